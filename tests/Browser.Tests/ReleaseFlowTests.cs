using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>
/// A client's release in a real browser (Debian's chromium through Playwright), on SQLite: the
/// clinician drafts and sends a release; the client opens the link on a phone-sized screen, reads
/// it, fails then passes the understanding check and signs; the clinician sees it signed and
/// records a subpoena it covers (disclose with authorization, naming the release); the client
/// revokes it through the revocation link (kept apart from the copy link, and asking for the date of
/// birth); the clinician's packet build, on a page opened before, is refused and the request shows
/// "re-check needed" with why (its page, the queue, the owner's home); checked again, the same
/// request is to assert privilege. The signed copy carries no portal link.
/// Screenshots in test-artifacts/browser/ (release-NN-step.png). Waits are Playwright's, never sleeps.
/// </summary>
public sealed partial class ReleaseFlowTests : IAsyncLifetime
{
    private const string Email = "owner@release-flow.example";
    private const string Password = "a long enough browser passphrase";
    private const string ClientName = "Robin Vale (fictional)";
    private const string Recipient = "Jane Roe, Esq. (fictional)";

    private readonly KestrelApp _app = new();
    private readonly DirectoryInfo _shots = Artifacts.Browser("release");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _step;
    private string _key = "";

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task Release_DraftSendSignUseRevoke_InChromium()
    {
        var baseUrl = _app.Start();
        await using var practice = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        // The client, on a phone-sized screen.
        await using var phone = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        practice.SetDefaultTimeout(15_000);
        phone.SetDefaultTimeout(15_000);
        var page = await practice.NewPageAsync();
        var client = await phone.NewPageAsync();
        try
        {
            await RunAsync(page, client);
        }
        catch
        {
            await ShotAsync(page, "failure-practice");
            await ShotAsync(client, "failure-client");
            throw;
        }
    }

    private async Task RunAsync(IPage page, IPage client)
    {
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        // 1. Set up the practice and enrol an authenticator (as the practice flow does).
        (_key, _) = await FirstStart.CreatePracticeAsync(page, _app, "Release Flow Therapy (browser test)", "3 Elm St, Sacramento, CA 95814", "Dr. Release Owner", Email, Password);

        // 2. A client, assigned to the owner.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a client" }).ClickAsync();
        await page.GetByLabel("Client's name").FillAsync(ClientName);
        await page.GetByLabel("Date of birth").FillAsync("1990-05-01");
        await page.GetByLabel("Assigned clinician").SelectOptionAsync(new SelectOptionValue { Label = "Dr. Release Owner" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the client" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ClientPage());
        var clientUrl = page.Url;
        await page.Locator("#item-category").SelectOptionAsync("progress-notes");
        await page.Locator("#item-content").FillAsync("Session note RELEASEFLOWMARK (fictional).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the record" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Records/[0-9a-f-]{36}$"));
        await page.GotoAsync(clientUrl);

        // 3. Draft a release: saving without a recipient shows what is missing, on its field.
        await page.GetByRole(AriaRole.Link, new() { Name = "Draft a release" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/Releases/Draft"));
        await page.GetByLabel(ReleaseWordsGeneral).CheckAsync();
        await page.Locator("input[name='Input.Categories'][value='progress-notes']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the draft" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.RecipientName']")).ToContainTextAsync("The recipient's name is missing");
        await ShotAsync(page, "draft-errors");
        await page.GetByLabel("Name (person or organization)").FillAsync(Recipient);
        await page.GetByLabel("Address", new() { Exact = true }).FillAsync("1 Law Plaza, Sacramento, CA 95814");
        await page.GetByLabel("for use in a legal proceeding").CheckAsync();
        await page.GetByLabel("The purpose in a sentence").FillAsync("Use in Vale v. Stone, the client's civil case (fictional)");
        await page.GetByLabel("Expires after (YYYY-MM-DD)").FillAsync(today.AddDays(180).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await ShotAsync(page, "draft");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the draft" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ReleasePage());
        var releaseUrl = page.Url;
        await Expect(page.Locator("#release-status")).ToContainTextAsync("Draft");

        // 4. Send: the link is shown once, to give to the client.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to the client" }).ClickAsync();
        var link = (await page.Locator("#sign-link-url").InnerTextAsync()).Trim();
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/portal/[A-Za-z0-9_-]{43}$", link);
        await ShotAsync(page, "sent");

        // 5. The client opens it on a phone and reads what will be shared, with whom, why, until when.
        await client.GotoAsync(link);
        await Expect(client.Locator("#summary")).ToContainTextAsync("progress notes");
        await Expect(client.Locator("#summary")).ToContainTextAsync($"{Recipient} only");
        await Expect(client.Locator("#summary")).ToContainTextAsync("You may refuse.");
        await Expect(client.Locator("#summary")).ToContainTextAsync("You may revoke it");
        await Expect(client.Locator("#full-text")).ToContainTextAsync("Authorization to Use or Disclose Health Information");
        var box = await client.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).BoundingBoxAsync();
        Assert.True(box is { Height: >= 44 }, "the button is a large tap target");
        Assert.True(await client.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page fits a phone's width");
        await ShotAsync(client, "portal-read");

        // 6. A wrong answer shows the explanation again; then the right answers open the signature.
        await client.GetByLabel("Anyone who asks for them").CheckAsync();
        await Answer(client, "notes", "no");
        await Answer(client, "sud", "no");
        await Answer(client, "condition", "yes");
        await Answer(client, "revoke", "yes");
        await client.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
        await Expect(client.Locator("#q-recipient .explanation")).ToContainTextAsync($"Only {Recipient} will receive them.");
        await Expect(client.Locator("#sign-form")).ToHaveCountAsync(0);
        await ShotAsync(client, "portal-wrong-answer");
        await client.Locator("#q-recipient").GetByLabel(Recipient).CheckAsync();
        await Answer(client, "notes", "no");
        await Answer(client, "sud", "no");
        await Answer(client, "condition", "yes");
        await Answer(client, "revoke", "yes");
        await client.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
        await Expect(client.Locator("#sign-form")).ToBeVisibleAsync();
        await client.GetByLabel("Your full name").FillAsync("Robin Vale");
        await ShotAsync(client, "portal-sign");
        await client.GetByRole(AriaRole.Button, new() { Name = "Sign the release" }).ClickAsync();
        await Expect(client.Locator("#signed")).ToBeVisibleAsync();
        var revocationLink = await client.Locator("#revocation-link").GetAttributeAsync("href") ?? "";
        Assert.Matches("/portal/[A-Za-z0-9_-]{43}$", revocationLink);
        var copy = await client.RunAndWaitForDownloadAsync(() => client.Locator("#copy").ClickAsync());
        var copyPath = System.IO.Path.Combine(_app.Dir.FullName, "copy.pdf");
        await copy.SaveAsAsync(copyPath);
        var copyBytes = await File.ReadAllBytesAsync(copyPath, TestContext.Current.CancellationToken);
        Assert.True(copyBytes.AsSpan().StartsWith("%PDF-"u8));
        // The copy is often forwarded to the recipient: neither link (nor any portal address) is printed on it.
        var copyLink = await client.Locator("#copy-link").GetAttributeAsync("href") ?? "";
        Assert.NotEqual(revocationLink, copyLink);
        var copyText = ReadBack.Pdf(copyBytes).Text.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("RobinVale", copyText, StringComparison.Ordinal);
        Assert.DoesNotContain("/portal/", copyText, StringComparison.Ordinal);
        Assert.DoesNotContain(revocationLink[^43..], copyText, StringComparison.Ordinal);
        Assert.DoesNotContain(copyLink.Split('/')[^1][..43], copyText, StringComparison.Ordinal);
        await ShotAsync(client, "portal-signed");
        // The sign link is used up.
        var again = await client.GotoAsync(link);
        Assert.Equal(404, again!.Status);

        // 7. The clinician sees it signed, its text intact.
        await page.GotoAsync(releaseUrl);
        await Expect(page.Locator("#release-status")).ToContainTextAsync("Signed");
        await Expect(page.Locator("#text-intact")).ToBeVisibleAsync();
        await Expect(page.Locator("#signature")).ToContainTextAsync("Robin Vale");
        await ShotAsync(page, "release-signed");

        // 8. A subpoena from the named attorney for what the release covers: disclose, naming it.
        await page.GotoAsync(clientUrl);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a request" }).ClickAsync();
        await page.GetByLabel("A subpoena (signed by an attorney or a court clerk)").CheckAsync();
        await page.GetByLabel("Deadline to respond", new() { Exact = false }).FillAsync(today.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Who is asking").SelectOptionAsync(new SelectOptionValue { Label = "An attorney" });
        await page.GetByLabel("Their name (a person or an office)").FillAsync(Recipient);
        await page.GetByLabel("Court", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "A state court or agency" });
        await page.GetByLabel("Kind of case").SelectOptionAsync(new SelectOptionValue { Label = "A lawsuit (civil case)" });
        await page.Locator("input[name='Input.Requested'][value='progress-notes']").CheckAsync();
        await page.GetByLabel("Their profession").SelectOptionAsync(new SelectOptionValue { Label = "Psychologist" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Record and check the request" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(RequestPage());
        var requestUrl = page.Url;
        await Expect(page.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "disclose-with-authorization");
        await Expect(page.Locator("#release-used")).ToContainTextAsync($"general release to {Recipient}");
        await ShotAsync(page, "determination-with-release");

        // 8b. The clinician opens the packet (a fresh password and code first): the note is proposed.
        await page.GotoAsync(requestUrl + "/Packet");
        await Expect(page).ToHaveURLAsync(Path("/Account/Reauthenticate"));
        await page.GetByLabel("Password").FillAsync(Password);
        // The next time step's code: the one used at enrolment may still be current, and a code is good once.
        await page.GetByLabel("The 6-digit code from your authenticator app").FillAsync(Totp.At(_key, TimeProvider.System.GetUtcNow().AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page.Locator("#packet-form")).ToContainTextAsync("Progress notes");
        await ShotAsync(page, "packet-review");

        // 9. The client revokes it, in writing, through the revocation link, which asks for the date of birth too.
        await client.GotoAsync(revocationLink);
        await Expect(client.Locator("#copy")).ToHaveCountAsync(0); // the revocation link does not download
        await client.GetByLabel("Your full name").FillAsync("Robin Vale");
        await client.GetByLabel("Your date of birth (YYYY-MM-DD)").FillAsync("1990-01-05");
        await client.GetByLabel("I revoke this release.").CheckAsync();
        await client.GetByRole(AriaRole.Button, new() { Name = "Revoke the release" }).ClickAsync();
        await Expect(client.Locator("#revoke-form")).ToContainTextAsync("That date of birth does not match our records. Nothing was revoked.");
        await client.GetByLabel("Your full name").FillAsync("Robin Vale");
        await client.GetByLabel("Your date of birth (YYYY-MM-DD)").FillAsync("1990-05-01");
        await client.GetByLabel("I revoke this release.").CheckAsync();
        await ShotAsync(client, "portal-revoke");
        await client.GetByRole(AriaRole.Button, new() { Name = "Revoke the release" }).ClickAsync();
        await Expect(client.Locator("#revoked")).ToBeVisibleAsync();
        await ShotAsync(client, "portal-revoked");

        // 9b. The packet page was opened before the revocation: building from it is refused, saying why.
        await page.GetByRole(AriaRole.Button, new() { Name = "Build the packet" }).ClickAsync();
        await Expect(page.Locator("#consent-refused")).ToContainTextAsync("The client revoked the general release");
        await Expect(page.Locator("#packet-form")).ToHaveCountAsync(0);
        await ShotAsync(page, "packet-refused");
        // The request says "re-check needed" with why, in its page, the queue and the owner's home.
        await page.GotoAsync(requestUrl);
        await Expect(page.Locator("#recheck")).ToContainTextAsync("The client revoked the general release");
        await ShotAsync(page, "request-recheck");
        await page.GotoAsync("/Requests");
        await Expect(page.Locator($"tr[data-request='{requestUrl[^36..]}']")).ToContainTextAsync("re-check needed");
        await page.GotoAsync("/Home");
        await Expect(page.Locator($"#rechecks tr[data-request='{requestUrl[^36..]}']")).ToContainTextAsync("The client revoked the general release");
        await ShotAsync(page, "home-rechecks");

        // 10. Checked again, the same request is to assert privilege; no release covers it.
        await page.GotoAsync(requestUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check it again now" }).ClickAsync();
        await Expect(page.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "assert-privilege");
        await Expect(page.Locator("#no-release")).ToBeVisibleAsync();
        await Expect(page.Locator("#recheck")).ToHaveCountAsync(0); // triaged again: the flag is cleared
        await ShotAsync(page, "determination-after-revocation");
        await page.GotoAsync(releaseUrl);
        await Expect(page.Locator("#release-status")).ToContainTextAsync("Revoked");
        await Expect(page.Locator("#revocation")).ToContainTextAsync("Robin Vale");
    }

    private const string ReleaseWordsGeneral = "general release";

    private static Task Answer(IPage page, string question, string option) => page.Locator($"#q-{question} input[value='{option}']").CheckAsync();

    private async Task ShotAsync(IPage page, string name)
    {
        _step++;
        var path = System.IO.Path.Combine(_shots.FullName, $"release-{_step:D2}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path} ({page.Url})");
    }

    private static Regex Path(string path) => FirstStart.Path(path);

    [GeneratedRegex("^https?://[^/]+/Clients/[0-9a-f-]{36}$")]
    private static partial Regex ClientPage();

    [GeneratedRegex("^https?://[^/]+/Releases/[0-9a-f-]{36}$")]
    private static partial Regex ReleasePage();

    [GeneratedRegex("^https?://[^/]+/Requests/[0-9a-f-]{36}$")]
    private static partial Regex RequestPage();

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
