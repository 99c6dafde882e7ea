using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

/// <summary>
/// Fuzzes the PDF upload path through the web app: random bytes (with and without the PDF header),
/// declared types and file names (traversal, control and non-ASCII characters, long names). Each
/// upload is either stored whole (one attachment more, and it downloads byte for byte) or refused
/// with the form again and nothing stored; never a 5xx, never partial data. A short seeded run in the
/// suite; <c>scripts/fuzz.sh</c> runs it for <c>CONFIDE_FUZZ_SECONDS</c> (seed in <c>CONFIDE_FUZZ_SEED</c>).
/// </summary>
public sealed class SqliteUploadFuzzTests(SqliteDemoApp app) : IClassFixture<SqliteDemoApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Types = ["application/pdf", "APPLICATION/PDF", "text/plain", "application/octet-stream", "image/png", "Application/Pdf"];

    private static readonly string[] Names = ["a.pdf", "../../etc/passwd.pdf", "..", ".", "x/y.pdf", "x\\y.pdf", "ünïcødé 𝄞.pdf", "a\tb.pdf", "\u202Egnp.pdf", " ", "CON.pdf", "a.pdf.exe", "%2e%2e%2fx.pdf"];

    [Fact]
    public async Task RandomUploads_StoredWholeOrRefused_NeverPartial_Never5xx()
    {
        var seconds = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SECONDS") is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
        var seed = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : seconds > 0 ? Environment.TickCount : 7;
        var random = new Random(seed);
        var sam = DemoSeeder.Accounts[1];
        using var browser = await app.SignedInAsync(sam);
        var created = await browser.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", "Fuzz Target (fictional)"), ("Input.DateOfBirth", "1990-05-06"));
        var clientPath = Browser.Location(created)!;
        var recordPath = Browser.Location(await browser.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "intake"), ("item.Date", "2026-06-01"), ("item.Content", "intake form")))!;
        var itemId = Guid.Parse(recordPath[(recordPath.LastIndexOf('/') + 1)..]);

        var clock = Stopwatch.StartNew();
        var stored = 0;
        var refused = 0;
        for (var i = 0; seconds > 0 ? clock.Elapsed.TotalSeconds < seconds : i < 25; i++)
        {
            var bytes = new byte[random.Next(0, 3) == 0 ? 0 : random.Next(1, 4096)];
            random.NextBytes(bytes);
            if (bytes.Length >= 5 && random.Next(2) == 0)
            {
                "%PDF-"u8.CopyTo(bytes);
            }
            var type = Types[random.Next(Types.Length)];
            var name = random.Next(3) == 0 ? RandomName(random) : Names[random.Next(Names.Length)];
            var before = await AttachmentsAsync(itemId);
            var what = $"iteration {i} of seed {seed} (CONFIDE_FUZZ_SEED={seed}): {bytes.Length} bytes, type '{type}', name '{Escape(name)}'";

            var response = await BadInputTests<SqliteDemoApp>.UploadAsync(browser, recordPath, bytes, type, name);

            var after = await AttachmentsAsync(itemId);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.True(after.Count == before.Count + 1, $"stored, but {after.Count - before.Count} attachments were added: {what}");
                var added = after.Except(before).Single();
                var download = await browser.GetAsync($"{recordPath}?handler=Download&attachmentId={added}");
                Assert.True(download.StatusCode == HttpStatusCode.OK, $"download {download.StatusCode}: {what}");
                Assert.True((await download.Content.ReadAsByteArrayAsync(Ct)).AsSpan().SequenceEqual(bytes), $"the stored file differs: {what}");
                stored++;
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {what}");
                Assert.True(after.Count == before.Count, $"refused, but {after.Count - before.Count} attachments were added: {what}");
                refused++;
            }
        }
        Assert.True(stored > 0 && refused > 0, $"the run should both store and refuse ({stored} stored, {refused} refused)");
        if (seconds > 0)
        {
            Console.WriteLine($"fuzz upload: {stored + refused} uploads ({stored} stored, {refused} refused) in {clock.Elapsed.TotalSeconds:F0} s, seed {seed}, no failure");
        }
    }

    private async Task<List<Guid>> AttachmentsAsync(Guid itemId)
    {
        await using var db = app.NewDbContext();
        return await db.Attachments.Where(a => a.RecordItemId == itemId).Select(a => a.Id).ToListAsync(Ct);
    }

    private static string RandomName(Random random)
    {
        var chars = new char[random.Next(0, 300)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(1, 0xD7FF);
        }
        return new string(chars);
    }

    private static string Escape(string s)
    {
        var b = new StringBuilder();
        foreach (var c in s.Length > 80 ? s[..80] + "…" : s)
        {
            b.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }
        return b.ToString();
    }
}
