using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>
/// A practice's first subpoena in a real browser (Debian's chromium through Playwright), on SQLite:
/// set up the practice (California), enrol an authenticator, sign out and in again with a TOTP
/// code, add a client, record an attorney's subpoena for the client's notes (with the PDF), read the
/// determination (assert privilege, why, the documents, the citations), download the subpoena and
/// the privilege letter, find the request in the deadline queue, tick every step, and mark it
/// responded.
/// Each step leaves a screenshot in test-artifacts/browser/ (flow-NN-step.png).
/// Waits are Playwright's (URL, visible text, element state), never sleeps.
/// </summary>
public sealed partial class PracticeFlowTests : IAsyncLifetime
{
    private const string Email = "owner@riverbend.example";
    private const string Password = "a long enough browser passphrase";
    private const string ClientName = "Browser Test Client (fictional)";
    private static readonly byte[] SubpoenaPdf = "%PDF-1.4\n% a fictional subpoena\n%%EOF\n"u8.ToArray();

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
    public async Task Practice_FromSetupToARespondedSubpoena_InChromium()
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
        // The one-time setup code, as printed to the console at start (taken from the service: no HTTP route reaches it).
        await page.GetByLabel("Setup code", new() { Exact = false }).FillAsync(_app.Services.GetRequiredService<Confide.Web.Hosting.SetupCode>().Issue());
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
        await Expect(page.GetByText("Born March 14, 1986")).ToBeVisibleAsync();
        await Expect(page.Locator("li", new() { HasText = "Dr. Browser Owner" })).ToBeVisibleAsync();
        await ShotAsync(page, "client");

        // 5. Record an attorney's subpoena for the notes, with the subpoena as a PDF.
        var clientUrl = page.Url;
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var respondBy = today.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var respondByShown = Confide.Core.Vocabulary.Date(today.AddDays(20)); // the pages write dates for people
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a request" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Requests/Intake"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Record a request for {ClientName}" })).ToBeVisibleAsync();
        await page.GetByLabel("A subpoena (signed by an attorney or a court clerk)").CheckAsync();
        await page.GetByLabel("Deadline to respond", new() { Exact = false }).FillAsync(respondBy);
        await page.GetByLabel("The subpoena or order as a PDF", new() { Exact = false })
            .SetInputFilesAsync(new FilePayload { Name = "subpoena.pdf", MimeType = "application/pdf", Buffer = SubpoenaPdf });
        await page.GetByLabel("Who is asking").SelectOptionAsync(new SelectOptionValue { Label = "An attorney" });
        await page.GetByLabel("Their name (a person or an office)").FillAsync("Jane Roe, Esq. (fictional)");
        await page.GetByLabel("Court", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "A state court or agency" });
        await page.GetByLabel("Kind of case").SelectOptionAsync(new SelectOptionValue { Label = "A lawsuit (civil case)" });
        await page.GetByLabel("Case name (caption)").FillAsync("Doe v. Roe (fictional)");
        await page.Locator("input[name='Input.Requested'][value='progress-notes']").CheckAsync();
        await page.Locator("input[name='Input.Requested'][value='psychotherapy-notes']").CheckAsync();
        await page.GetByLabel("Their profession").SelectOptionAsync(new SelectOptionValue { Label = "Psychologist" });
        await ShotAsync(page, "request-intake");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record and check the request" }).ClickAsync();

        // 6. The determination: assert privilege, why, and the law relied on (with its status).
        await Expect(page).ToHaveURLAsync(RequestPage());
        var requestUrl = page.Url;
        await Expect(page.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "assert-privilege");
        await Expect(page.Locator("#outcome")).ToContainTextAsync("Assert privilege: refuse on the client's behalf, in writing");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Received");
        await Expect(page.Locator("#respond-by")).ToHaveTextAsync(respondByShown);
        await Expect(page.Locator("#withheld")).ToContainTextAsync("Psychotherapy notes");
        await Expect(page.Locator("#reasons li").First).ToBeVisibleAsync();
        var evidenceCode = page.Locator("#citations li[data-citation='ca-evid-1014']");
        await Expect(evidenceCode).ToBeVisibleAsync();
        await Expect(evidenceCode).ToContainTextAsync("Evid. Code");
        await Expect(page.Locator("#files")).ToContainTextAsync("subpoena.pdf");
        await Expect(page.Locator("#documents")).ToContainTextAsync("Letter asserting privilege");
        await ShotAsync(page, "determination");

        // 7. The subpoena as it arrived, and the privilege letter, download from their links.
        var subpoena = await page.RunAndWaitForDownloadAsync(() => page.Locator("#files").GetByRole(AriaRole.Link, new() { Name = "subpoena.pdf" }).ClickAsync());
        Assert.Equal("subpoena.pdf", subpoena.SuggestedFilename);
        Assert.Equal(SubpoenaPdf, await DownloadedAsync(subpoena));
        var letter = await page.RunAndWaitForDownloadAsync(() => page.Locator("#documents li", new() { HasText = "Letter asserting privilege" }).GetByRole(AriaRole.Link, new() { Name = "PDF" }).ClickAsync());
        Assert.True((await DownloadedAsync(letter)).AsSpan().StartsWith("%PDF-"u8), "the privilege letter did not download as a PDF");

        // 8. The open queue shows it by its deadline.
        await page.GetByRole(AriaRole.Link, new() { Name = "All open requests" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Requests"));
        await Expect(page.Locator("#queue tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#queue tbody tr").First).ToContainTextAsync(respondByShown);
        await Expect(page.Locator("#queue tbody tr").First).ToContainTextAsync("Assert privilege");
        await ShotAsync(page, "requests-open");
        await page.Locator("#queue tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(requestUrl);

        // 9. Tick every step; each tick reloads the page, so wait for that step's own state each time.
        var steps = await page.Locator("#steps > li").CountAsync();
        Assert.True(steps >= 3, $"expected the steps of an assert-privilege determination, found {steps}");
        for (var i = 1; i <= steps; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = $"Mark step {i} done", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Mark step {i} not done", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        }
        await Expect(page.Locator("#steps > li.done")).ToHaveCountAsync(steps);
        await Expect(page.Locator("#steps .ticked-by").First).ToContainTextAsync("Dr. Browser Owner");
        await ShotAsync(page, "steps-ticked");

        // 10. The workflow: received -> under review -> responded, each change in the history.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Under review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark responded" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Responded");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Close the request" })).ToBeVisibleAsync();
        await Expect(page.Locator("#status-history tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#status-history")).ToContainTextAsync("Dr. Browser Owner");
        await ShotAsync(page, "responded");

        // 11. Answered: off the open queue, among the responded ones, and so on the client's page.
        await page.GotoAsync("/Requests");
        await Expect(page.GetByText("No requests to show.")).ToBeVisibleAsync();
        await page.GotoAsync("/Requests?show=done");
        await Expect(page.Locator("#queue tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#queue tbody tr").First).ToContainTextAsync("Responded");
        await Expect(page.Locator("#queue tbody tr").First).ToContainTextAsync(ClientName);
        await ShotAsync(page, "requests-done");
        await page.GotoAsync(clientUrl);
        await Expect(page.Locator("#client-requests")).ToContainTextAsync("Responded");
    }

    private async Task<byte[]> DownloadedAsync(IDownload download)
    {
        var path = System.IO.Path.Combine(_app.Dir.FullName, "download-" + Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(path);
        return await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _step++;
        var path = System.IO.Path.Combine(_shots.FullName, $"flow-{_step:D2}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path} ({page.Url})");
    }

    /// <summary>Exactly this path on the app (any query string), so a redirect elsewhere fails the wait.</summary>
    private static Regex Path(string path) => FirstStart.Path(path);

    [GeneratedRegex("^https?://[^/]+/Clients/[0-9a-f-]{36}$")]
    private static partial Regex ClientPage();

    [GeneratedRegex("^https?://[^/]+/Requests/[0-9a-f-]{36}$")]
    private static partial Regex RequestPage();

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
