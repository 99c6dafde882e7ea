using System.Text.RegularExpressions;
using Confide.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>
/// A practice's first hour in a real browser (Debian's chromium through Playwright), on SQLite:
/// set up the practice, enrol an authenticator, sign out and in again with a TOTP code, add a
/// client. Each step leaves a screenshot in test-artifacts/browser/ (flow-NN-step.png).
/// Waits are Playwright's (URL, visible text), never sleeps.
/// </summary>
public sealed partial class PracticeFlowTests : IAsyncLifetime
{
    private const string Email = "owner@riverbend.example";
    private const string Password = "a long enough browser passphrase";
    private const string ClientName = "Browser Test Client (fictional)";

    private readonly KestrelApp _app = new();
    private readonly DirectoryInfo _shots = Artifacts.Browser("flow");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    private int _step;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task Practice_SetupSignInWithTotpAndAddAClient_InChromium()
    {
        var baseUrl = _app.Start();
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        _context.SetDefaultTimeout(15_000);
        var page = await _context.NewPageAsync();
        try
        {
            await RunAsync(page);
        }
        catch
        {
            await ShotAsync(page, "failure");
            throw;
        }
    }

    private async Task RunAsync(IPage page)
    {
        // 1. A fresh installation opens on setup.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(Path("/Setup"));
        await page.GetByLabel("Practice name").FillAsync("Riverbend Therapy (browser test)");
        await page.GetByLabel("Address").FillAsync("12 River Rd, Sacramento, CA 95814");
        await page.GetByLabel("State where the practice is").SelectOptionAsync("US-CA");
        await page.GetByLabel("Your name", new() { Exact = true }).FillAsync("Dr. Browser Owner");
        await page.GetByLabel("Email (your sign-in name)").FillAsync(Email);
        await page.GetByLabel("Password (at least 12 characters", new() { Exact = false }).FillAsync(Password);
        await ShotAsync(page, "setup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the practice" }).ClickAsync();

        // 2. Enrol the authenticator: read the key off the page, as a person types it into an app.
        await Expect(page).ToHaveURLAsync(Path("/Account/Authenticator"));
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Matches("^[A-Z2-7]{16,}$", key);
        await page.GetByLabel("6-digit code", new() { Exact = false }).FillAsync(Totp.Now(key));
        await ShotAsync(page, "authenticator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Clients"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clients", Exact = true })).ToBeVisibleAsync();

        // 3. Sign out, then in again: password, then a TOTP code.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Account/SignIn"));
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await ShotAsync(page, "sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Account/SignInCode"));
        await page.GetByLabel("6-digit code", new() { Exact = false }).FillAsync(Totp.Now(key));
        await ShotAsync(page, "sign-in-code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Clients"));
        await Expect(page.GetByText("No clients to show.")).ToBeVisibleAsync();
        await ShotAsync(page, "clients-empty");

        // 4. Add a client, assigned to the owner (who is also a clinician).
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a client" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Clients/Create"));
        await page.GetByLabel("Client's name").FillAsync(ClientName);
        await page.GetByLabel("Date of birth").FillAsync("1986-03-14");
        await page.GetByLabel("Assigned clinician").SelectOptionAsync(new SelectOptionValue { Label = "Dr. Browser Owner" });
        await ShotAsync(page, "client-create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the client" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ClientPage());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = ClientName })).ToBeVisibleAsync();
        await Expect(page.GetByText("Born 1986-03-14")).ToBeVisibleAsync();
        await Expect(page.Locator("li", new() { HasText = "Dr. Browser Owner" })).ToBeVisibleAsync();
        await ShotAsync(page, "client");

        await page.GetByRole(AriaRole.Link, new() { Name = "Clients", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = ClientName })).ToBeVisibleAsync();
        await ShotAsync(page, "clients");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _step++;
        var path = System.IO.Path.Combine(_shots.FullName, $"flow-{_step:D2}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path} ({page.Url})");
    }

    /// <summary>Exactly this path on the app (any query string), so a redirect elsewhere fails the wait.</summary>
    private static Regex Path(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");

    [GeneratedRegex("^https?://[^/]+/Clients/[0-9a-f-]{36}$")]
    private static partial Regex ClientPage();

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }
}
