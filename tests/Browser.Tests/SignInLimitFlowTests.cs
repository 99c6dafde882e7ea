using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>
/// A fresh installation in chromium: the setup page asks for the one-time setup code (a wrong one is
/// refused, the console's one works), then, after three failed sign-ins from this address (the limit
/// is lowered to 3), even the right password is refused with the very same words as a wrong one.
/// Screenshots in test-artifacts/browser/ (limit-NN-step.png).
/// </summary>
public sealed partial class SignInLimitFlowTests : IAsyncLifetime
{
    private const string Email = "owner@limits.example";
    private const string Password = "a long enough browser passphrase";
    private const string Failed = "The email or password is not right, or sign-in is locked for a while after too many failed attempts. Try again in 15 minutes.";

    private readonly KestrelApp _app = new(new Dictionary<string, string> { ["Confide:SignInFailuresPerAddress"] = "3" });
    private readonly DirectoryInfo _shots = Artifacts.Browser("limit");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _step;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task SetupNeedsTheConsoleCode_ThenSignInIsRefusedAfterTheLimit_WithTheSameWords()
    {
        var baseUrl = _app.Start();
        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Setup");
        async Task FillSetupAsync(string code)
        {
            await page.GetByLabel("Setup code", new() { Exact = false }).FillAsync(code);
            await page.GetByLabel("Practice name").FillAsync("Limits Practice (browser test)");
            await page.GetByLabel("Address").FillAsync("1 Limit Way, Austin, TX");
            await page.GetByLabel("State where the practice is").SelectOptionAsync("US-TX");
            await page.GetByLabel("Your name", new() { Exact = true }).FillAsync("Dr. Limit Owner");
            await page.GetByLabel("Email (your sign-in name)").FillAsync(Email);
            await page.GetByLabel("Password (at least 12 characters", new() { Exact = false }).FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the practice" }).ClickAsync();
        }
        await FillSetupAsync("AAAAA-BBBBB-CCCCC-DDDDD");
        await Expect(page.GetByText("The setup code is not right", new() { Exact = false }).First).ToBeVisibleAsync();
        await ShotAsync(page, "setup-wrong-code");
        // The code the console printed (taken from the service: no HTTP route reaches it).
        await FillSetupAsync(_app.Services.GetRequiredService<Confide.Web.Hosting.SetupCode>().Issue());
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Authenticator$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn$"));

        async Task SignInAsync(string email, string password)
        {
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        }
        await SignInAsync("nobody@limits.example", "not a password at all");
        await Expect(page.GetByText(Failed)).ToBeVisibleAsync();
        await ShotAsync(page, "unknown-email");
        await SignInAsync(Email, "not the password at all");
        await Expect(page.GetByText(Failed)).ToBeVisibleAsync();
        await SignInAsync(Email, "still not the password");
        await Expect(page.GetByText(Failed)).ToBeVisibleAsync();
        // The fourth attempt, with the right password: the same words, still on the sign-in page.
        await SignInAsync(Email, Password);
        await Expect(page.GetByText(Failed)).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn$"));
        await ShotAsync(page, "refused-after-limit");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _step++;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(_shots.FullName, $"limit-{_step:D2}-{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }
}
