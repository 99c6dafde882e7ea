using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

namespace Confide.Web.Tests;

/// <summary>
/// Client releases end to end on the demo practice: drafting (field-level errors, nothing stored),
/// sending (the link shown once), the portal (read, fail then pass the understanding check, sign,
/// signed copy, revoke), links that are unknown, expired or used (one plain 404, recorded by hash
/// prefix and audited), triage using the release and no longer using it once revoked, expired or
/// altered after signing.
/// </summary>
public abstract partial class ReleaseTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Recipient = "Alder & Finch LLP";

    private FakeTimeProvider Clock => app.Clock ?? throw new InvalidOperationException("the release tests need a clock");

    private DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private List<(string, string)> CompleteRelease(DateOnly expires) =>
    [
        ("Input.Kind", "general"),
        ("Input.RecipientName", Recipient),
        ("Input.RecipientAddress", "9 Court St, Sacramento, CA"),
        ("Input.Purpose", "legal-proceeding"),
        ("Input.PurposeDescription", "Use in the client's civil case"),
        ("Input.Categories", "progress-notes"),
        ("Input.Categories", "billing"),
        ("Input.ExpiresOn", D(expires)),
    ];

    private async Task<Guid> DraftAsync(Browser sam, Guid client, DateOnly expires)
    {
        var draft = $"/Releases/Draft?clientId={client}";
        var response = await sam.SubmitAsync(draft, draft, [.. CompleteRelease(expires)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(Regex.Match(Browser.Location(response)!, "^/Releases/([0-9a-f-]{36})$").Groups[1].Value);
    }

    private static async Task<string> SendAsync(Browser sam, Guid release)
    {
        var sent = await sam.SubmitAsync($"/Releases/{release}", $"/Releases/{release}?handler=Send");
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var html = WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync(Ct));
        var link = Regex.Match(html, "id=\"sign-link-url\">https://portal\\.example/portal/([A-Za-z0-9_-]{43})<");
        Assert.True(link.Success, "no sign link on the page");
        // Shown once: the release page does not show it again.
        Assert.DoesNotContain(link.Groups[1].Value, await sam.GetPageAsync($"/Releases/{release}"), StringComparison.Ordinal);
        return link.Groups[1].Value;
    }

    /// <summary>The right answers for a general release: the recipient is named; not notes, not SUD; treatment does not depend on it; it can be revoked.</summary>
    private static readonly Dictionary<string, string> Answers = new() { ["recipient"] = "named", ["notes"] = "no", ["sud"] = "no", ["condition"] = "yes", ["revoke"] = "yes" };

    /// <summary>Opens the link, passes the check and signs; returns the revocation token.</summary>
    private async Task<string> SignAsync(string token, string name = "Ana Ferreira") => (await SignBothAsync(app, token, name)).Revoke;

    /// <summary>Opens the link, passes the check and signs; returns the copy link's token and the revocation link's (two separate links).</summary>
    internal static async Task<(string Copy, string Revoke)> SignBothAsync(AppFactory app, string token, string name)
    {
        using var client = new Browser(app);
        var portal = $"/portal/{token}";
        var page = await client.GetPageAsync(portal);
        var shownHash = Regex.Match(page, "name=\"ShownHash\" value=\"([0-9a-f]{64})\"");
        var answers = Answers;
        var check = await client.SubmitAsync(portal, $"{portal}?handler=Check", [.. answers.Select(a => ($"Answers[{a.Key}]", a.Value))]);
        var checkHtml = await check.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"sign-form\"", checkHtml, StringComparison.Ordinal);
        var hash = Regex.Match(checkHtml, "name=\"ShownHash\" value=\"([0-9a-f]{64})\"").Groups[1].Value;
        Assert.False(shownHash.Success, "the reading page has no sign form yet");
        var signed = await client.SubmitAsync(portal, $"{portal}?handler=Sign", [.. answers.Select(a => ($"Answers[{a.Key}]", a.Value)), ("ShownHash", hash), ("TypedName", name)]);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var html = WebUtility.HtmlDecode(await signed.Content.ReadAsStringAsync(Ct));
        Assert.Contains("You signed this release", html, StringComparison.Ordinal);
        var copy = Regex.Match(html, "id=\"copy-link\" href=\"https://portal\\.example/portal/([A-Za-z0-9_-]{43})\\?handler=Copy\"").Groups[1].Value;
        var revoke = Regex.Match(html, "id=\"revocation-link\" href=\"https://portal\\.example/portal/([A-Za-z0-9_-]{43})\"").Groups[1].Value;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", copy);
        Assert.NotEqual(copy, revoke);
        return (copy, revoke);
    }

    private async Task<Guid> RecordSubpoenaAsync(Browser sam, Guid client)
    {
        var samId = await app.UserIdAsync(Sam);
        var fields = RequestTests<TApp>.Subpoena(samId);
        fields = RequestTests<TApp>.With(fields, "Input.ReceivedOn", D(Today));
        fields = RequestTests<TApp>.With(fields, "Input.RespondBy", D(Today.AddDays(14)));
        var intake = $"/Requests/Intake?clientId={client}";
        var response = await sam.SubmitAsync(intake, intake, [.. fields]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return RequestTests<TApp>.RequestIdFrom(response);
    }

    private async Task<Guid> NewClientAsync(Browser sam, string name)
    {
        var created = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", name), ("Input.DateOfBirth", "1990-01-01"), ("Input.ClinicianId", (await app.UserIdAsync(Sam)).ToString()));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return Guid.Parse(Regex.Match(Browser.Location(created)!, "([0-9a-f-]{36})").Groups[1].Value);
    }

    [Fact]
    public async Task APacketUnderARelease_ProposesOnlyTheRecordsOfItsPeriodAndCategories()
    {
        using var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Imogen Vale (fictional)");
        var clientPath = $"/Clients/{client}";
        foreach (var (category, date, content) in new[]
        {
            ("progress-notes", Today.AddDays(-400), "Session note OLDPERIODMARK."),
            ("progress-notes", Today.AddDays(-30), "Session note INPERIODMARK."),
            ("billing", Today.AddDays(-20), "Invoice BILLINPERIODMARK."),
            ("intake", Today.AddDays(-25), "Intake OTHERCATEGORYMARK."),
        })
        {
            var added = await sam.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", category), ("item.Date", D(date)), ("item.Content", content));
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }
        // The release covers progress notes and billing from 90 days ago only.
        var draft = $"/Releases/Draft?clientId={client}";
        var drafted = await sam.SubmitAsync(draft, draft, [.. CompleteRelease(Today.AddDays(200)), ("Input.RecordsFrom", D(Today.AddDays(-90)))]);
        Assert.Equal(HttpStatusCode.Redirect, drafted.StatusCode);
        var release = Guid.Parse(Regex.Match(Browser.Location(drafted)!, "^/Releases/([0-9a-f-]{36})$").Groups[1].Value);
        await SignAsync(await SendAsync(sam, release), "Imogen Vale");
        var request = await RecordSubpoenaAsync(sam, client);
        Assert.Contains("data-outcome=\"disclose-with-authorization\"", await sam.GetTextAsync($"/Requests/{request}"), StringComparison.Ordinal);

        var packet = $"/Requests/{request}/Packet";
        Assert.Equal(Reauthentication.PageFor(packet), Browser.Location(await sam.GetAsync(packet)));
        Assert.Equal(packet, await DisclosureTests<TApp>.ReauthenticateAsync(sam, Sam, packet));
        var proposal = await sam.GetTextAsync(packet);
        Assert.Contains("INPERIODMARK", proposal, StringComparison.Ordinal);
        Assert.Contains("BILLINPERIODMARK", proposal, StringComparison.Ordinal);
        Assert.DoesNotContain("OLDPERIODMARK", proposal, StringComparison.Ordinal); // before the release's period
        Assert.DoesNotContain("OTHERCATEGORYMARK", proposal, StringComparison.Ordinal); // a category the release does not name
    }

    [Fact]
    public async Task Draft_Incomplete_ShowsEachMissingElementOnItsField_AndStoresNothing()
    {
        using var sam = await app.SignedInAsync(Sam);
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        await using var db = app.NewDbContext();
        var before = await db.Releases.CountAsync(Ct);
        var draft = $"/Releases/Draft?clientId={ana}";
        var response = await sam.SubmitAsync(draft, draft, ("Input.Kind", "general"), ("Input.Categories", "psychotherapy-notes"), ("Input.ExpiresOn", "next year"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Enter a date as YYYY-MM-DD", html, StringComparison.Ordinal);
        // With the date fixed, Core's completeness check speaks.
        response = await sam.SubmitAsync(draft, draft, ("Input.Kind", "general"), ("Input.Categories", "psychotherapy-notes"), ("Input.ExpiresOn", D(Today.AddDays(30))));
        html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("The recipient's name is missing", html, StringComparison.Ordinal);
        Assert.Contains("The recipient's address is missing", html, StringComparison.Ordinal);
        Assert.Contains("Say what the records are for", html, StringComparison.Ordinal);
        Assert.Contains("Psychotherapy notes and SUD records each need a release of their own", html, StringComparison.Ordinal);
        Assert.Matches("data-valmsg-for=\"Input.RecipientName\"[^>]*>The recipient", html);
        Assert.Equal(before, await db.Releases.CountAsync(Ct));
    }

    /// <param name="hoursLater">
    /// How long after the clock's noon UTC the client revokes: 13 hours later is 17:00 in the demo
    /// practice's Pacific zone but already the next day in UTC, which must not delay the revocation
    /// (it did: releases were dated by the UTC day while triage uses the practice's day).
    /// </param>
    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public async Task Portal_ReadCheckSign_TriageUsesIt_ThenRevoked_TriageDoesNot(int hoursLater)
    {
        var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Rowan Ellery (fictional)");
        var release = await DraftAsync(sam, client, Today.AddDays(200));
        var token = await SendAsync(sam, release);
        using var anon = new Browser(app);
        var portal = $"/portal/{token}";

        // Opening (twice: previews and reloads do no harm) shows the plain summary and the full text.
        for (var i = 0; i < 2; i++)
        {
            var page = await anon.GetTextAsync(portal);
            Assert.Contains("What will be shared:", page, StringComparison.Ordinal);
            Assert.Contains("billing records and progress notes", page, StringComparison.Ordinal);
            Assert.Contains($"{Recipient} only", page, StringComparison.Ordinal);
            Assert.Contains("You may refuse.", page, StringComparison.Ordinal);
            Assert.Contains("You may revoke it", page, StringComparison.Ordinal);
            Assert.Contains("Authorization to Use or Disclose Health Information", page, StringComparison.Ordinal);
            Assert.Contains("Will your psychotherapy notes", page, StringComparison.Ordinal);
        }

        // A wrong answer shows the explanation again, and no sign form.
        var wrong = await anon.SubmitAsync(
            portal,
            $"{portal}?handler=Check",
            ("Answers[recipient]", "anyone"), ("Answers[notes]", "no"), ("Answers[sud]", "no"), ("Answers[condition]", "yes"), ("Answers[revoke]", "yes")
        );
        var wrongHtml = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Ct));
        Assert.Contains($"Not quite. Only {Recipient} will receive them.", wrongHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"sign-form\"", wrongHtml, StringComparison.Ordinal);
        // Signing without passing the check is refused too.
        var forced = await anon.SubmitAsync(portal, $"{portal}?handler=Sign", ("Answers[recipient]", "anyone"), ("TypedName", "Rowan Ellery"));
        Assert.DoesNotContain("You signed", await forced.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var (copyToken, revokeToken) = await SignBothAsync(app, token, "Rowan Ellery");
        Assert.Matches("^[A-Za-z0-9_-]{43}$", revokeToken);

        // The sign link is used up: the same plain 404 as an unknown link.
        var used = await anon.GetAsync(portal);
        Assert.Equal(HttpStatusCode.NotFound, used.StatusCode);
        var unknown = await anon.GetAsync($"/portal/{new string('A', 43)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(Ct), await used.Content.ReadAsStringAsync(Ct));
        // Signing again with the used link is refused the same way, and records nothing new.
        var resign = await anon.SubmitAsync("/Account/SignIn", $"{portal}?handler=Sign", [.. Answers.Select(x => ($"Answers[{x.Key}]", x.Value)), ("TypedName", "Someone Else")]);
        Assert.Equal(HttpStatusCode.NotFound, resign.StatusCode);

        await using (var db = app.NewDbContext())
        {
            var row = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == release, Ct);
            Assert.Equal(ReleaseStatus.Signed, row.Status);
            Assert.True(row.UnderstandingConfirmed);
            var sign = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == AuditActions.ReleaseSign && e.TargetId == release.ToString("N"), Ct);
            Assert.Contains($"text-sha256={Convert.ToHexStringLower(row.ShownTextSha256!)}", sign.Detail, StringComparison.Ordinal);
            var failures = await db.PortalFailures.AsNoTracking().Where(f => f.Reason == "used").ToListAsync(Ct);
            Assert.Contains(failures, f => f.HashPrefix == Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..8]);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PortalRefused && e.TargetId == release.ToString("N") && e.Detail!.Contains("reason=used"), Ct));
            // No audit entry or failure holds the token itself.
            Assert.False(await db.AuditEntries.AnyAsync(e => e.Detail != null && (e.Detail.Contains(token) || e.Detail.Contains(revokeToken) || e.Detail.Contains(copyToken)), Ct));
        }

        // The clinician sees the signed release, intact, with its evidence; the signed PDF carries it, but no portal link (it is often forwarded to the recipient).
        var detail = await sam.GetTextAsync($"/Releases/{release}");
        Assert.Contains("Status:</strong> Signed", detail, StringComparison.Ordinal);
        Assert.Contains("id=\"text-intact\"", detail, StringComparison.Ordinal);
        Assert.Contains("typed name “Rowan Ellery”", detail, StringComparison.Ordinal);
        var pdf = await (await sam.GetAsync($"/Releases/{release}?handler=Pdf")).Content.ReadAsByteArrayAsync(Ct);
        using (var doc = PdfDocument.Open(pdf))
        {
            var text = string.Join(" ", doc.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains("Rowan Ellery", text, StringComparison.Ordinal);
            var joined = text.Replace(" ", "", StringComparison.Ordinal);
            Assert.DoesNotContain(revokeToken, joined, StringComparison.Ordinal);
            Assert.DoesNotContain(copyToken, joined, StringComparison.Ordinal);
            Assert.DoesNotContain("/portal/", joined, StringComparison.Ordinal);
            Assert.Contains("Text signed (SHA-256)", text, StringComparison.Ordinal);
        }

        // A subpoena from the named firm for what the release covers: disclose, naming the release.
        var request = await RecordSubpoenaAsync(sam, client);
        var determination = await sam.GetTextAsync($"/Requests/{request}");
        Assert.Contains("data-outcome=\"disclose-with-authorization\"", determination, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Releases/{release}\"", determination, StringComparison.Ordinal);
        Assert.Contains($"general release to {Recipient}", determination, StringComparison.Ordinal);

        // The client downloads the copy and revokes in writing through the revocation link.
        if (hoursLater > 0)
        {
            Clock.Advance(TimeSpan.FromHours(hoursLater));
            sam.Dispose();
            sam = await app.SignedInAsync(Sam); // past the 12-hour sign-in cap
        }
        var copy = await anon.GetAsync($"/portal/{copyToken}?handler=Copy");
        Assert.Equal("application/pdf", copy.Content.Headers.ContentType?.MediaType);
        // The two links are separate: the copy link cannot revoke, the revocation link does not download.
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/portal/{revokeToken}?handler=Copy")).StatusCode);
        Assert.DoesNotContain("revoke-form", await anon.GetPageAsync($"/portal/{copyToken}"), StringComparison.Ordinal);
        var revokePage = $"/portal/{revokeToken}";
        var missing = await anon.SubmitAsync(revokePage, $"{revokePage}?handler=Revoke", ("TypedName", ""));
        Assert.Contains("Type your full name to revoke in writing.", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        var revoked = await anon.SubmitAsync(revokePage, $"{revokePage}?handler=Revoke", ("TypedName", "Rowan Ellery"), ("DateOfBirth", "1990-01-01"), ("Confirm", "true"));
        Assert.Contains("This release is revoked", await revoked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Triage again: the revoked release is no longer used; the earlier determination stays as made.
        await using (var db = app.NewDbContext())
        {
            var version = (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).Version;
            var retriage = await sam.SubmitAsync($"/Requests/{request}", $"/Requests/{request}?handler=Retriage", ("Version", version.ToString()));
            Assert.Equal(HttpStatusCode.Redirect, retriage.StatusCode);
            Assert.Equal(Core.Triage.Outcome.AssertPrivilege, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).Outcome);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ReleaseRevoke && e.TargetId == release.ToString("N"), Ct));
        }
        var after = await sam.GetTextAsync($"/Requests/{request}");
        Assert.Contains("data-outcome=\"assert-privilege\"", after, StringComparison.Ordinal);
        Assert.Contains("id=\"no-release\"", after, StringComparison.Ordinal);
        Assert.Contains("Revoked", await sam.GetTextAsync($"/Releases/{release}"), StringComparison.Ordinal);
        sam.Dispose();
        if (hoursLater > 0)
        {
            // Back to noon UTC, where the UTC day and the practice's day agree, for the tests that follow.
            Clock.Advance(TimeSpan.FromHours(24 - hoursLater));
        }
    }

    [Fact]
    public async Task ExpiredSignLink_IsThePlain404_RecordedAndAudited_AndAnExpiredReleaseIsNotUsed()
    {
        using var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Morgan Tate (fictional)");
        var release = await DraftAsync(sam, client, Today.AddDays(10));
        var stale = await SendAsync(sam, release);
        Clock.Advance(TimeSpan.FromDays(8)); // past the 7-day sign link (and past the clinician's idle sign-out)
        using var sam2 = await app.SignedInAsync(Sam);
        using var anon = new Browser(app);
        var expired = await anon.GetAsync($"/portal/{stale}");
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(Confide.Web.PortalRules.NotFoundPage, await expired.Content.ReadAsStringAsync(Ct));
        await using (var db = app.NewDbContext())
        {
            var prefix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stale)))[..8];
            Assert.True(await db.PortalFailures.AnyAsync(f => f.Reason == "expired" && f.HashPrefix == prefix, Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PortalRefused && e.Detail == $"token={prefix};reason=expired", Ct));
        }

        // A new link; signed; then the release's own expiry passes: triage does not use it.
        var fresh = await SendAsync(sam2, release);
        await SignAsync(fresh, "Morgan Tate");
        var covered = await RecordSubpoenaAsync(sam2, client);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(Core.Triage.Outcome.DiscloseWithAuthorization, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == covered, Ct)).Outcome);
        }
        Clock.Advance(TimeSpan.FromDays(3)); // expires 10 days after it was drafted
        using var sam3 = await app.SignedInAsync(Sam);
        var late = await RecordSubpoenaAsync(sam3, client);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(Core.Triage.Outcome.AssertPrivilege, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == late, Ct)).Outcome);
            Assert.False(await db.DeterminationReleases.AnyAsync(x => db.RequestDeterminations.Any(d => d.Id == x.DeterminationId && d.RequestId == late), Ct));
        }
        Assert.Contains("Expired", await sam3.GetTextAsync($"/Releases/{release}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShownTextAlteredAfterSigning_IsDetected_AndNotUsed()
    {
        using var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Casey Lund (fictional)");
        var release = await DraftAsync(sam, client, Today.AddDays(200));
        await SignAsync(await SendAsync(sam, release), "Casey Lund");

        // Someone with database access rewrites the stored text (validly encrypted, so only the hash can tell).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Confide.Data.ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var row = await db.Releases.SingleAsync(r => r.Id == release, Ct);
            var text = await cipher.DecryptStringAsync(EncryptedFields.ReleaseShownText(row), row.ShownTextCipher!, Ct);
            row.ShownTextCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseShownText(row), text.Replace("billing records", "billing records and psychotherapy notes", StringComparison.Ordinal), Ct);
            await db.SaveChangesAsync(Ct);
        }
        var detail = await sam.GetTextAsync($"/Releases/{release}");
        Assert.Contains("id=\"text-altered\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"text-intact\"", detail, StringComparison.Ordinal);

        var request = await RecordSubpoenaAsync(sam, client);
        await using var check = app.NewDbContext();
        Assert.Equal(Core.Triage.Outcome.AssertPrivilege, (await check.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).Outcome);
    }

    [Fact]
    public async Task AnIncompleteReleaseIsNotSent_AndAnotherClinicianCannotSeeIt()
    {
        using var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Jesse Quinn (fictional)");
        var release = await DraftAsync(sam, client, Today.AddDays(30));
        // The expiry passes before it is sent: sending is refused with what is missing; no link is made.
        Clock.Advance(TimeSpan.FromDays(31));
        using var samLater = await app.SignedInAsync(Sam);
        var refused = await samLater.SubmitAsync($"/Releases/{release}", $"/Releases/{release}?handler=Send");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("The expiry date has already passed.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.PortalTokens.AnyAsync(t => t.ReleaseId == release, Ct));
        }
        using var priya = await app.SignedInAsync(DemoSeeder.Accounts[2]);
        Assert.Equal(HttpStatusCode.NotFound, (await priya.GetAsync($"/Releases/{release}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await priya.GetAsync($"/Releases/Draft?clientId={client}")).StatusCode);
    }
}

public sealed class SqliteReleaseTests(SqlitePortalApp app) : ReleaseTests<SqlitePortalApp>(app);

public sealed class PostgresReleaseTests(PostgresPortalApp app) : ReleaseTests<PostgresPortalApp>(app);

/// <summary>Guessing links: after the per-address limit every portal request is refused (429) and counted, and no guess opens anything.</summary>
public abstract class PortalBruteForceTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    [Fact]
    public async Task ManyWrongTokens_AreAllRefused_ThenRateLimited_AndRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var guesser = new Browser(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PortalLimits.BruteForcePerMinute + 5; i++)
        {
            var guess = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            statuses.Add((await guesser.GetAsync($"/portal/{guess}")).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, PortalLimits.BruteForcePerMinute), statuses.Take(PortalLimits.BruteForcePerMinute));
        Assert.All(statuses.Skip(PortalLimits.BruteForcePerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // Each refusal is counted (in memory), but a flood adds one row per reason per hour, not one per request.
        var counter = app.Services.GetRequiredService<Features.Releases.PortalFailureCounter>();
        Assert.Equal(PortalLimits.BruteForcePerMinute, counter.InWindow("unknown"));
        Assert.Equal(5, counter.InWindow("rate-limited"));
        await using var db = app.NewDbContext();
        Assert.Equal(1, await db.PortalFailures.CountAsync(f => f.Reason == "unknown", ct));
        Assert.Equal(1, await db.PortalFailures.CountAsync(f => f.Reason == "rate-limited", ct));
        Assert.All(await db.PortalFailures.Select(f => f.HashPrefix).ToListAsync(ct), p => Assert.Matches("^[0-9a-f]{8}$", p));
    }
}

public sealed class SqlitePortalBruteForceTests(SqliteBruteForceApp app) : PortalBruteForceTests<SqliteBruteForceApp>(app);

public sealed class PostgresPortalBruteForceTests(PostgresBruteForceApp app) : PortalBruteForceTests<PostgresBruteForceApp>(app);

internal static class PortalLimits
{
    public const int BruteForcePerMinute = 12;

    public static void Configure(IWebHostBuilder builder, int perMinute)
    {
        builder.UseSetting("Confide:PortalRequestsPerMinute", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Confide:PublicBaseUrl", "https://portal.example");
    }
}

/// <summary>The demo practice on a clock the tests move, with a portal limit high enough for a whole class.</summary>
public sealed class SqlitePortalApp : SqliteApp
{
    protected override bool SeedDemo => true;

    public override FakeTimeProvider Clock { get; } = DemoClock.New();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PortalLimits.Configure(builder, 1000);
    }
}

public sealed class PostgresPortalApp : PostgresApp
{
    protected override bool SeedDemo => true;

    public override FakeTimeProvider Clock { get; } = DemoClock.New();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PortalLimits.Configure(builder, 1000);
    }
}

public sealed class SqliteBruteForceApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PortalLimits.Configure(builder, PortalLimits.BruteForcePerMinute);
    }
}

public sealed class PostgresBruteForceApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PortalLimits.Configure(builder, PortalLimits.BruteForcePerMinute);
    }
}
