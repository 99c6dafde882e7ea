using Confide.Core.Disclosure;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Disclosures;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Confide.Cli.Tests;

/// <summary>
/// <c>confide accounting</c> on disclosures recorded through the data layer the web app uses: the
/// CSV and the PDF read back hold exactly what 45 C.F.R. § 164.528 requires for the six years before
/// the date; bad options and unknown clients are exit 2 with the option named; every export is audited.
/// </summary>
public abstract class AccountingCliTests<TStore>(TStore store) : IClassFixture<TStore>
    where TStore : AuditStore
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Seeded(Guid Practice, Guid Client, Guid Order, Guid Report, Guid Authorization, Guid OldOrder, Guid Corrected);

    /// <summary>A practice, a clinician, a client and five disclosures: an order, a report, one under the client's authorization, one older than six years, and a corrected one.</summary>
    private async Task<Seeded> SeedAsync(string timeZone = "America/Los_Angeles")
    {
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        var log = scope.ServiceProvider.GetRequiredService<DisclosureLog>();
        var practice = new Practice { Name = "Accounting Practice", Address = "1 Test St", Jurisdiction = "US-CA", TimeZone = timeZone };
        var user = new User { PracticeId = practice.Id, UserName = $"c{Guid.NewGuid():N}@test", Email = $"c{Guid.NewGuid():N}@test", DisplayName = "Dr. Test Clinician" };
        var client = new Client { PracticeId = practice.Id, NameCipher = [], DateOfBirth = new DateOnly(1980, 1, 1) };
        client.NameCipher = await cipher.EncryptAsync(new FieldRef(practice.Id, client.Id, "Clients", client.Id, "name"), "Cli Client (fictional)", Ct);
        db.Practices.Add(practice);
        db.Users.Add(user);
        db.Clients.Add(client);
        await db.SaveChangesAsync(Ct);
        NewDisclosure D(DisclosureBasis basis, DateOnly on, string recipient) =>
            new(practice.Id, client.Id, basis, on, recipient, "1 Court St", "billing records", $"basis of {recipient}", user.Id);
        var order = await log.RecordAsync(D(DisclosureBasis.CourtOrder, new DateOnly(2026, 3, 1), "=HYPERLINK(\"http://evil\"), Superior Court"), Ct);
        var report = await log.RecordAsync(D(DisclosureBasis.AbuseReport, new DateOnly(2025, 7, 1), "County CPS \"hotline\""), Ct);
        var authorization = await log.RecordAsync(D(DisclosureBasis.ClientAuthorization, new DateOnly(2026, 2, 1), "Family Medicine"), Ct);
        var old = await log.RecordAsync(D(DisclosureBasis.CourtOrder, new DateOnly(2020, 11, 28), "Old Court"), Ct);
        var wrong = await log.RecordAsync(D(DisclosureBasis.Subpoena, new DateOnly(2026, 1, 5), "Wrong Recipient"), Ct);
        await db.SaveChangesAsync(Ct);
        var corrected = await log.RecordAsync(D(DisclosureBasis.Subpoena, new DateOnly(2026, 1, 5), "Right Recipient") with { CorrectsId = wrong.Id }, Ct);
        await db.SaveChangesAsync(Ct);
        return new Seeded(practice.Id, client.Id, order.Id, report.Id, authorization.Id, old.Id, corrected.Id);
    }

    [Fact]
    public async Task Csv_ToStandardOutput_ExactlyTheAccountableDisclosuresOfSixYears_FormulaSafe_Audited()
    {
        var s = await SeedAsync();

        var r = store.Cli("accounting", "--client", s.Client.ToString(), "--as-of", "2026-11-29");

        Assert.True(r.Code == 0, r.ToString());
        var lines = r.Stdout.Split("\r\n");
        Assert.Equal(string.Join(",", Documents.AccountingReport.Columns.Select(c => $"\"{c}\"")), lines[0]);
        var ids = lines.Skip(1).Where(l => l.Length > 0).Select(l => Guid.Parse(l.Split(',')[^2].Trim('"'))).ToHashSet();
        Assert.Equal(new HashSet<Guid> { s.Order, s.Report, s.Corrected }, ids);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\"), Superior Court\"", r.Stdout, StringComparison.Ordinal); // text, not a formula
        Assert.Contains("\"County CPS \"\"hotline\"\"\"", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong Recipient", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Family Medicine", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Old Court", r.Stdout, StringComparison.Ordinal);

        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.PracticeId == s.Practice && e.Action == AuditActions.AccountingExport, Ct);
        Assert.Equal(("client", s.Client.ToString("N"), "scope=client;format=csv;entries=3;via=cli"), (entry.TargetType, entry.TargetId, entry.Detail));
        // The command read as a named system reader, and that opening is audited too (before the export).
        var opened = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.PracticeId == s.Practice && e.Action == AuditActions.ContentSystemRead, Ct);
        Assert.Equal(s.Client, opened.ClientId);
        Assert.Equal("system=cli-accounting;purpose=disclosures;outcome=Granted", opened.Detail);
        Assert.True(opened.Sequence < entry.Sequence);
        Assert.Equal(0, store.Cli("audit", "verify", "--practice", s.Practice.ToString()).Code); // the export joined the chain intact
    }

    [Fact]
    public async Task WithoutAsOf_TodayIsThePracticesDay_NotUtcs()
    {
        // The CLI's clock reads 2026-11-29 12:00 UTC: already the 30th on Kiritimati (UTC+14), still the 29th in Los Angeles.
        foreach (var (zone, day) in new[] { ("Pacific/Kiritimati", "2026-11-30"), ("America/Los_Angeles", "2026-11-29") })
        {
            var s = await SeedAsync(zone);
            var file = Path.Combine(store.Dir.FullName, $"accounting-{Guid.NewGuid():N}.csv");
            var r = store.Cli("accounting", "--client", s.Client.ToString(), "--out", file);
            Assert.True(r.Code == 0, r.ToString());
            Assert.Contains($"as of {day}", r.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pdf_ToAFile_ReadsBack_WithTheClientAndEachAccountedRecipient()
    {
        var s = await SeedAsync();
        var file = Path.Combine(store.Dir.FullName, $"accounting-{Guid.NewGuid():N}.pdf");

        var r = store.Cli("accounting", "--client", s.Client.ToString(), "--format", "pdf", "--out", file, "--as-of", "2026-11-29");

        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("", r.Stdout);
        using var pdf = PdfDocument.Open(file);
        var text = string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        foreach (var expected in new[] { "Accounting", "Cli", "Client", "Superior", "hotline", "Right", "November", "2020" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
        foreach (var absent in new[] { "Wrong", "Family", "Old" })
        {
            Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(store.Dir.FullName, "*.tmp"));
    }

    [Fact]
    public async Task BadInput_Exit2_NamesTheOption_WritesNothing()
    {
        var s = await SeedAsync();
        var file = Path.Combine(store.Dir.FullName, $"never-{Guid.NewGuid():N}.pdf");
        (string[] Args, string Message)[] cases =
        [
            (["accounting", "--client", "not-an-id"], "--client: expected a client id"),
            (["accounting", "--client", Guid.NewGuid().ToString()], "--client: no client"),
            (["accounting", "--client", s.Client.ToString(), "--format", "xlsx"], "--format: expected csv or pdf"),
            (["accounting", "--client", s.Client.ToString(), "--format", "pdf"], "--format pdf needs --out FILE"),
            (["accounting", "--client", s.Client.ToString(), "--as-of", "29/11/2026"], "--as-of: expected a date"),
            (["accounting", "--client", s.Client.ToString(), "--out", Path.Combine(store.Dir.FullName, "no-such-dir", "x.csv")], "--out: the directory"),
        ];
        foreach (var (args, message) in cases)
        {
            var r = store.Cli(args);
            Assert.True(r.Code == 2, r.ToString());
            Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
            Assert.Equal("", r.Stdout);
        }
        Assert.False(File.Exists(file));
    }
}

public sealed class SqliteAccountingCliTests(SqliteStore store) : AccountingCliTests<SqliteStore>(store);

public sealed class PostgresAccountingCliTests(PostgresStore store) : AccountingCliTests<PostgresStore>(store);
