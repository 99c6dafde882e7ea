using System.Net;
using System.Security.Cryptography;
using System.Text;
using Confide.Core.Requests;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// Break-glass (a clinician opening a client they are not assigned to; the owner opening another
/// author's psychotherapy notes) and crypto-shredding, through the pages, on the demo practice.
/// </summary>
public abstract class KeysTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Owner => DemoSeeder.Accounts[0];
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];
    private static DemoSeeder.DemoAccount Priya => DemoSeeder.Accounts[2];

    private const string TypedReason = "Crisis call tonight, Sam unreachable zq7-glass-marker";

    private static async Task<HttpResponseMessage> BreakGlassAsync(Browser browser, Guid client, string scope, string code, string text, HttpStatusCode formStatus)
    {
        var form = await browser.GetAsync($"/Clients/{client}");
        Assert.Equal(formStatus, form.StatusCode);
        var token = Browser.Token(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await browser.PostAsync($"/Clients/{client}?handler=BreakGlass", ("scope", scope), ("reasonCode", code), ("reasonText", text), ("__RequestVerificationToken", token));
    }

    [Fact]
    public async Task BreakGlass_ClinicianNotAssigned_OpensWithAReason_ForAnHour_EncryptedReason_AuditedWithTheCodeOnly_FlaggedToTheOwnerUntilAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var priya = await app.SignedInAsync(Priya);

        // No reason: refused, nothing stored.
        var refused = await BreakGlassAsync(priya, ana, "client", "risk-of-harm", "   ", HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Guid priyaId;
        await using (var db = app.NewDbContext())
        {
            priyaId = await db.Users.Where(u => u.Email == Priya.Email).Select(u => u.Id).SingleAsync(ct);
            Assert.Equal(0, await db.BreakGlasses.CountAsync(g => g.ClientId == ana && g.UserId == priyaId, ct));
        }

        var opened = await BreakGlassAsync(priya, ana, "client", "risk-of-harm", TypedReason, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var page = await priya.GetPageAsync($"/Clients/{ana}");
        Assert.Contains("Ana Ferreira", page, StringComparison.Ordinal);
        Assert.Contains("break-glass", page, StringComparison.Ordinal);

        await using (var db = app.NewDbContext())
        {
            var glass = await db.BreakGlasses.SingleAsync(g => g.ClientId == ana && g.UserId == priyaId, ct);
            Assert.Equal(TimeSpan.FromMinutes(60), glass.ExpiresAt - glass.OpenedAt);
            Assert.Equal("risk-of-harm", glass.ReasonCode);
            Assert.Equal(-1, glass.ReasonCipher.AsSpan().IndexOf(Encoding.UTF8.GetBytes("zq7-glass-marker")));
            var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.BreakGlassOpen && e.ClientId == ana && e.ActorUserId == priyaId, ct);
            Assert.Contains("reason=risk-of-harm", entry.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("zq7", entry.Detail, StringComparison.Ordinal);
            var view = await db.AuditEntries.Where(e => e.Action == AuditActions.ClientView && e.ClientId == ana && e.ActorUserId == priyaId).OrderByDescending(e => e.Sequence).FirstAsync(ct);
            Assert.Contains($"break-glass={glass.Id:N}", view.Detail, StringComparison.Ordinal);
            Assert.False(await db.AuditEntries.AnyAsync(e => e.Detail != null && e.Detail.Contains("zq7"), ct));
        }

        // The owner's home page lists it, with the typed reason, until acknowledged.
        using var owner = await app.SignedInAsync(Owner);
        var home = await owner.GetTextAsync("/Home");
        Assert.Contains("Break-glass openings to review", home, StringComparison.Ordinal);
        Assert.Contains("zq7-glass-marker", home, StringComparison.Ordinal);
        Assert.Contains("Priya Raman", home, StringComparison.Ordinal);
        var ack = await owner.SubmitAsync($"/Clients/{ana}", $"/Clients/{ana}?handler=Acknowledge");
        Assert.Equal("/Home", Browser.Location(ack));
        Assert.DoesNotContain("zq7-glass-marker", await owner.GetTextAsync("/Home"), StringComparison.Ordinal);

        // Only for a limited time: once it has expired, the record is closed again.
        await using (var db = app.NewDbContext())
        {
            var glass = await db.BreakGlasses.SingleAsync(g => g.ClientId == ana && g.UserId == priyaId, ct);
            glass.ExpiresAt = glass.OpenedAt.AddMinutes(-1);
            await db.SaveChangesAsync(ct);
        }
        var closed = await priya.GetAsync($"/Clients/{ana}");
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.DoesNotContain("Ana Ferreira", await closed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BreakGlass_OwnerOpensAnotherAuthorsPsychotherapyNotes_OnlyWithAReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        Guid note;
        await using (var db = app.NewDbContext())
        {
            note = await db.RecordItems.Where(r => r.ClientId == ana && r.Category == Category.PsychotherapyNotes).Select(r => r.Id).SingleAsync(ct);
        }
        using var owner = await app.SignedInAsync(Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/Clients/{ana}/Records/{note}")).StatusCode);
        Assert.Contains("psychotherapy note(s) by other clinicians are kept apart", await owner.GetTextAsync($"/Clients/{ana}"), StringComparison.Ordinal);

        var opened = await BreakGlassAsync(owner, ana, "notes", "legal-deadline", "Court order due Friday", HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Contains("transference", await owner.GetPageAsync($"/Clients/{ana}/Records/{note}"), StringComparison.Ordinal);
        Assert.Contains(note.ToString(), await owner.GetPageAsync($"/Clients/{ana}"), StringComparison.Ordinal);
        await using var check = app.NewDbContext();
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == AuditActions.BreakGlassOpen && e.ClientId == ana && e.Detail!.Contains("scope=psychotherapy-notes"), ct));
        // A clinician cannot break glass for notes: the owner only.
        using var sam = await app.SignedInAsync(Sam);
        var token = Browser.Token(await sam.GetPageAsync($"/Clients/{ana}"));
        var refused = await sam.PostAsync($"/Clients/{ana}?handler=BreakGlass", ("scope", "notes"), ("reasonCode", "other"), ("reasonText", "curious"), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Shred_RefusedWhileRetentionRuns_ThenDestroysTheKey_ContentUnreadable_PagesSayDestroyed_AuditKeepsTheFact()
    {
        var ct = TestContext.Current.CancellationToken;
        var rosa = await DemoAccess.ClientIdAsync(app, "Rosa Delgado (fictional)");
        using var owner = await app.SignedInAsync(Owner);

        // Recent records: the retention period (10 years by default) forbids it.
        var early = await owner.SubmitAsync($"/Clients/{rosa}", $"/Clients/{rosa}?handler=Shred", ("confirm", "DELETE"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("must be kept until", WebUtility.HtmlDecode(await early.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);

        // A client whose last record is 15 years old.
        var old = await OldClientAsync(ct);
        var unconfirmed = await owner.SubmitAsync($"/Clients/{old}", $"/Clients/{old}?handler=Shred", ("confirm", "delete please"));
        Assert.Equal(HttpStatusCode.Conflict, unconfirmed.StatusCode);
        using (var sam = await app.SignedInAsync(Sam))
        {
            // A clinician (assigned) may not delete.
            var token = Browser.Token(await sam.GetPageAsync($"/Clients/{rosa}"));
            Assert.Equal(HttpStatusCode.NotFound, (await sam.PostAsync($"/Clients/{rosa}?handler=Shred", ("confirm", "DELETE"), ("__RequestVerificationToken", token))).StatusCode);
        }

        // Before: a release sent to the client (a portal link) and a disclosure entry.
        var (release, signLink) = await SentReleaseAsync(owner, old, ct);
        using var anonymous = new Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/portal/{signLink}")).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>().Scope.Use(DemoSeeder.PracticeId);
            var ownerId = await scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>().Users.Where(u => u.Email == Owner.Email).Select(u => u.Id).SingleAsync(ct);
            await scope.ServiceProvider.GetRequiredService<Data.Disclosures.DisclosureLog>().RecordAsync(
                new Data.Disclosures.NewDisclosure(DemoSeeder.PracticeId, old, Core.Disclosure.DisclosureBasis.CourtOrder, new DateOnly(2026, 6, 1), "Court zq7-recipient", null, "records", "order", ownerId),
                ct
            );
            await scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>().SaveChangesAsync(ct);
        }
        Assert.Contains("Court zq7-recipient", await owner.GetTextAsync("/Disclosures"), StringComparison.Ordinal);

        var shredded = await owner.SubmitAsync($"/Clients/{old}", $"/Clients/{old}?handler=Shred", ("confirm", "DELETE"));
        Assert.Equal(HttpStatusCode.Redirect, shredded.StatusCode);

        // After: the release's page and the accounting send to the client's page (which says destroyed), the
        // portal link no longer works, and the practice's log keeps the entry's date and basis, its content destroyed.
        Assert.Equal($"/Clients/{old}", Browser.Location(await owner.GetAsync($"/Releases/{release}")));
        Assert.Equal($"/Clients/{old}", Browser.Location(await owner.GetAsync($"/Clients/{old}/Accounting")));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/portal/{signLink}")).StatusCode);
        var log = await owner.GetTextAsync("/Disclosures");
        Assert.DoesNotContain("Court zq7-recipient", log, StringComparison.Ordinal);
        Assert.Contains(Data.Disclosures.StoredDisclosure.DestroyedText, log, StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == old, ct);
            var item = await db.RecordItems.AsNoTracking().SingleAsync(r => r.ClientId == old, ct);
            Assert.NotNull(client.ShreddedAt);
            Assert.NotEmpty(item.ContentCipher); // the ciphertext is still there...
            var key = await db.ClientKeys.AsNoTracking().SingleAsync(k => k.ClientId == old, ct);
            Assert.Empty(key.WrappedKey);
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            // ...and can no longer be decrypted, not even below the authorization point.
            await Assert.ThrowsAnyAsync<CryptographicException>(() => cipher.DecryptAsync(new FieldRef(client.PracticeId, old, "Clients", old, "name"), client.NameCipher, ct));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => cipher.DecryptAsync(new FieldRef(client.PracticeId, old, "RecordItems", item.Id, "content"), item.ContentCipher, ct));
            var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ClientShred && e.ClientId == old, ct);
            Assert.StartsWith("keys=1;", entry.Detail, StringComparison.Ordinal);
        }

        var page = await owner.GetTextAsync($"/Clients/{old}");
        Assert.Contains("Content destroyed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Old Client zq7", page, StringComparison.Ordinal);
        Assert.Contains("(content destroyed)", await owner.GetTextAsync("/Clients"), StringComparison.Ordinal);
        await using (var db = app.NewDbContext())
        {
            var itemId = await db.RecordItems.Where(r => r.ClientId == old).Select(r => r.Id).SingleAsync(ct);
            Assert.Equal($"/Clients/{old}", Browser.Location(await owner.GetAsync($"/Clients/{old}/Records/{itemId}")));
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Home")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Requests?show=all")).StatusCode);
    }

    /// <summary>Drafts a complete release for <paramref name="client"/> as the owner and sends it: its id and the sign link's token.</summary>
    private async Task<(Guid Release, string Token)> SentReleaseAsync(Browser owner, Guid client, CancellationToken ct)
    {
        var expires = DateOnly.FromDateTime(app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).AddDays(200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var draft = $"/Releases/Draft?clientId={client}";
        var drafted = await owner.SubmitAsync(
            draft,
            draft,
            ("Input.Kind", "general"),
            ("Input.RecipientName", "Alder & Finch LLP"),
            ("Input.RecipientAddress", "9 Court St, Sacramento, CA"),
            ("Input.Purpose", "legal-proceeding"),
            ("Input.PurposeDescription", "Use in the client's civil case"),
            ("Input.Categories", "progress-notes"),
            ("Input.ExpiresOn", expires)
        );
        Assert.Equal(HttpStatusCode.Redirect, drafted.StatusCode);
        var release = Guid.Parse(System.Text.RegularExpressions.Regex.Match(Browser.Location(drafted)!, "^/Releases/([0-9a-f-]{36})$").Groups[1].Value);
        var sent = await owner.SubmitAsync($"/Releases/{release}", $"/Releases/{release}?handler=Send");
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var link = System.Text.RegularExpressions.Regex.Match(WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync(ct)), "/portal/([A-Za-z0-9_-]{43})<");
        Assert.True(link.Success, "no sign link on the release page");
        return (release, link.Groups[1].Value);
    }

    /// <summary>A client of the demo practice, assigned to the owner, whose only record item is 15 years old.</summary>
    private async Task<Guid> OldClientAsync(CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId); // on PostgreSQL the app's role writes only as the practice
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        var owner = await db.Users.Where(u => u.Email == Owner.Email).Select(u => u.Id).SingleAsync(ct);
        var longAgo = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(-15);
        var client = new Client { PracticeId = DemoSeeder.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1950, 1, 1), CreatedAt = longAgo };
        client.NameCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "Clients", client.Id, "name"), "Old Client zq7", ct);
        client.Assignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = owner, AssignedAt = longAgo });
        var item = new RecordItem { ClientId = client.Id, Category = Category.ProgressNotes, Date = DateOnly.FromDateTime(longAgo.UtcDateTime), AuthorId = owner, ContentCipher = [], CreatedAt = longAgo };
        item.ContentCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "RecordItems", item.Id, "content"), "Old session zq7", ct);
        db.Clients.Add(client);
        db.RecordItems.Add(item);
        await db.SaveChangesAsync(ct);
        return client.Id;
    }
}

public sealed class SqliteKeysTests(SqliteDemoApp app) : KeysTests<SqliteDemoApp>(app);

public sealed class PostgresKeysTests(PostgresDemoApp app) : KeysTests<PostgresDemoApp>(app);
