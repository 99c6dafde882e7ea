using System.Text.RegularExpressions;
using Confide.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>The steps every flow starts with on a fresh install: the setup page (with the console's one-time code), then enrolling an authenticator.</summary>
internal static class FirstStart
{
    /// <summary>A URL pattern for <paramref name="path"/> on the app under test (any host, any query).</summary>
    public static Regex Path(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");

    /// <summary>
    /// Creates a California practice and its owner on <paramref name="page"/>, enrols the owner's
    /// authenticator and lands on /Clients; returns the authenticator key and when it was enrolled.
    /// </summary>
    public static async Task<(string Key, DateTimeOffset EnrolledAt)> CreatePracticeAsync(IPage page, KestrelApp app, string practice, string address, string owner, string email, string password)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Setup code", new() { Exact = false }).FillAsync(app.Services.GetRequiredService<SetupCode>().Issue());
        await page.GetByLabel("Practice name").FillAsync(practice);
        await page.GetByLabel("Address").FillAsync(address);
        await page.GetByLabel("State where the practice is").SelectOptionAsync("US-CA");
        await page.GetByLabel("Your name", new() { Exact = true }).FillAsync(owner);
        await page.GetByLabel("Email (your sign-in name)").FillAsync(email);
        await page.GetByLabel("Password (at least 12 characters", new() { Exact = false }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the practice" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Account/Authenticator"));
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var enrolledAt = TimeProvider.System.GetUtcNow();
        await page.GetByLabel("6-digit code", new() { Exact = false }).FillAsync(Totp.At(key, enrolledAt));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Clients"));
        return (key, enrolledAt);
    }
}
