using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confide.Data;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PdfSharp.Drawing;
using static Microsoft.Playwright.Assertions;

namespace Confide.Browser.Tests;

/// <summary>
/// Blacking out a region of an attached PDF in a real browser (Debian's chromium through
/// Playwright), on SQLite: a clinician opens a court order's packet page, draws a rectangle with the
/// mouse on the preview of a page (the page's one static script, allowed by its policy from 'self'
/// only), builds the packet, and the packet's page, rendered by pdftoppm, is solid black there.
/// Screenshots in test-artifacts/browser/ (regions-NN-step.png). Waits are Playwright's, never sleeps.
/// </summary>
public sealed partial class PacketRegionsFlowTests : IAsyncLifetime
{
    private const string Email = "owner@regions-flow.example";
    private const string Password = "a long enough browser passphrase";

    private static readonly (byte R, byte G, byte B) Red = (220, 30, 30);
    private static readonly (byte R, byte G, byte B) Blue = (30, 30, 220);

    private readonly KestrelApp _app = new();
    private readonly DirectoryInfo _shots = Artifacts.Browser("regions");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _step;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task Packet_RegionDrawnWithTheMouse_IsSolidBlackInTheBuiltPacket_InChromium()
    {
        var baseUrl = _app.Start();
        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            // a script refused by the policy (Playwright's own screenshot styling is refused too, and is not the page's)
            // anything the packet page's policy refused (a refused script, or a style the script set the wrong way)
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) && message.Location.Contains("/Packet", StringComparison.Ordinal))
            {
                violations.Add(message.Text + " @ " + message.Location);
            }
        };
        try
        {
            await RunAsync(page, context, violations);
        }
        catch
        {
            await ShotAsync(page, "failure");
            throw;
        }
    }

    private async Task RunAsync(IPage page, IBrowserContext context, List<string> violations)
    {
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        // 1. Set up the practice and enrol an authenticator (as the practice flow does).
        var (key, enrolledAt) = await FirstStart.CreatePracticeAsync(page, _app, "Regions Flow Therapy (browser test)", "5 Oak St, Sacramento, CA 95814", "Dr. Regions Owner", Email, Password);

        // 2. A client with a billing statement whose attached PDF has red and blue ink at known places.
        var (clientId, ownerId) = await SeedAsync(today);

        // 3. A court order for the billing records, recorded through the intake form.
        await page.GotoAsync($"/Requests/Intake?clientId={clientId}");
        List<(string Name, string Value)> order =
        [
            ("Input.Instrument", "court-order"),
            ("Input.Requester", "attorney"),
            ("Input.ReceivedOn", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Input.RespondBy", today.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Input.Forum", "state"),
            ("Input.Kind", "civil"),
            ("Input.Requested", "billing"),
            ("Input.InTherapy", "true"),
            ("Input.ClinicianId", ownerId.ToString()),
            ("Input.Profession", "social-worker"),
            ("Input.Licensed", "true"),
            ("Input.RequesterName", "Alder & Finch LLP (fictional)"),
            ("Input.Court", "Superior Court of California"),
            ("Input.CaseNumber", "34-2026-555"),
            ("Input.OrderSignedByJudge", "true"),
            ("Input.OrderCategories", "billing"),
        ];
        foreach (var (name, value) in order)
        {
            var field = page.Locator($"[name='{name}']").First;
            var type = await field.GetAttributeAsync("type");
            var tag = await field.EvaluateAsync<string>("e => e.tagName");
            if (type is "radio" or "checkbox")
            {
                await page.Locator($"[name='{name}'][value='{value}']").CheckAsync();
            }
            else if (tag == "SELECT")
            {
                await field.SelectOptionAsync(value);
            }
            else
            {
                await field.FillAsync(value);
            }
        }
        await ShotAsync(page, "intake");
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await Expect(page).ToHaveURLAsync(RequestPage());
        var requestUrl = page.Url;

        // 4. The packet page asks for the password and a new code first (not the enrolment's).
        var packetUrl = new Uri(requestUrl).AbsolutePath + "/Packet";
        await page.GotoAsync(packetUrl);
        await Expect(page).ToHaveURLAsync(Path("/Account/Reauthenticate"));
        await page.GetByLabel("Password").FillAsync(Password);
        var next = enrolledAt.AddSeconds(30 - enrolledAt.ToUnixTimeSeconds() % 30);
        await Task.Delay(next - TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(1) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero); // a TOTP step is 30 s; a code is used once
        await page.GetByLabel("The 6-digit code", new() { Exact = false }).FillAsync(Totp.Now(key));
        var reviewed = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync(),
            r => r.Url.EndsWith("/Packet", StringComparison.Ordinal) && r.Request.Method == "GET"
        );
        await Expect(page).ToHaveURLAsync(Path(packetUrl));

        // its policy allows this site's script files and nothing else: no inline script, no other origin
        var policy = await reviewed.HeaderValueAsync("content-security-policy") ?? "";
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"script-src[^;]*(https?:|\*|data:)", policy);
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());

        // 5. Draw a rectangle on page 1's preview, over the red ink.
        var preview = page.Locator("fieldset[data-page='1'] .page-preview img");
        await Expect(preview).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await preview.ElementHandleAsync());
        await preview.ScrollIntoViewIfNeededAsync();
        var box = (await preview.BoundingBoxAsync())!;
        var scale = box.Width / 612;
        await page.Mouse.MoveAsync((float)(box.X + 70 * scale), (float)(box.Y + 90 * scale));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(box.X + 200 * scale), (float)(box.Y + 150 * scale), new() { Steps = 5 });
        await page.Mouse.MoveAsync((float)(box.X + 370 * scale), (float)(box.Y + 210 * scale), new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var regionsField = page.Locator("fieldset[data-page='1'] textarea");
        await Expect(regionsField).Not.ToHaveValueAsync("");
        await Expect(page.Locator("fieldset[data-page='1'] input[value='blackout']")).ToBeCheckedAsync();
        await Expect(page.Locator("fieldset[data-page='1'] .region")).ToHaveCountAsync(1);
        await ShotAsync(page, "drawn");
        var drawn = (await regionsField.InputValueAsync()).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, drawn.Length);
        Assert.InRange(drawn[0], 66, 74);
        Assert.InRange(drawn[1], 86, 94);
        Assert.InRange(drawn[2], 292, 308);
        Assert.InRange(drawn[3], 112, 128);
        Assert.True(violations.Count == 0, string.Join("\n", violations));

        // 6. Build, and wait for the packet.
        await page.GetByRole(AriaRole.Button, new() { Name = "Build the packet" }).ClickAsync();
        await Expect(page.Locator("#packet-status[data-status='done']")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await ShotAsync(page, "built");
        var pdf = await BytesAsync(context, await page.Locator("#packet-pdf").GetAttributeAsync("href"));
        using var manifest = JsonDocument.Parse(await BytesAsync(context, await page.Locator("#packet-manifest").GetAttributeAsync("href")));
        var item = manifest.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("blackedOutPages").GetArrayLength() > 0);
        Assert.Equal([1], item.GetProperty("blackedOutPages").EnumerateArray().Select(e => e.GetInt32()));
        var first = int.Parse(item.GetProperty("batesFirst").GetString()![4..], CultureInfo.InvariantCulture);

        // 7. The packet's page as pixels: black where the rectangle was drawn, the ink beside it in place.
        var pixels = PagePixels.Render(pdf)[first - 1];
        var (x, y, w, h) = ((int)Math.Ceiling(drawn[0]) + 2, (int)Math.Ceiling(drawn[1]) + 2, (int)Math.Floor(drawn[2]) - 4, (int)Math.Floor(drawn[3]) - 4);
        Assert.Equal(0, pixels.NotBlack(x, y, w, h));
        Assert.Equal(0, pixels.Near(Red));
        Assert.True(pixels.Near(402, 302, 116, 76, Blue) > 116 * 76 * 0.95, "the ink beside the region moved");
    }

    /// <summary>A client (assigned to the owner) with a billing statement and its attached PDF, stored encrypted as the record pages store them.</summary>
    private async Task<(Guid ClientId, Guid OwnerId)> SeedAsync(DateOnly today)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        var owner = await db.Users.AsNoTracking().SingleAsync(u => u.Email == Email, TestContext.Current.CancellationToken);
        db.Scope.Use(owner.PracticeId);
        var ct = TestContext.Current.CancellationToken;
        var client = new Client { PracticeId = owner.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1988, 2, 2) };
        client.NameCipher = await cipher.EncryptAsync(EncryptedFields.ClientName(client), "Regions Client (fictional)", ct);
        db.Clients.Add(client);
        db.ClientAssignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = owner.Id });
        var item = new RecordItem { ClientId = client.Id, Category = Core.Requests.Category.Billing, Date = today.AddDays(-30), AuthorId = owner.Id, ContentCipher = [] };
        item.ContentCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "RecordItems", item.Id, "content"), "Statement of account (fictional).", ct);
        db.RecordItems.Add(item);
        var pdf = InkPdf();
        var a = new Attachment { RecordItemId = item.Id, ClientId = client.Id, FileNameCipher = [], ContentType = "application/pdf", Size = pdf.Length, Sha256 = SHA256.HashData(pdf), ContentCipher = [] };
        a.FileNameCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "Attachments", a.Id, "file-name"), "statement.pdf", ct);
        a.ContentCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "Attachments", a.Id, "content"), pdf, ct);
        db.Attachments.Add(a);
        await db.SaveChangesAsync(ct);
        return (client.Id, owner.Id);
    }

    /// <summary>Two Letter pages, each a red block at (80, 100, 160, 60) and a blue one at (400, 300, 120, 80), in points from the top-left.</summary>
    private static byte[] InkPdf()
    {
        using var document = new PdfSharp.Pdf.PdfDocument();
        for (var i = 0; i < 2; i++)
        {
            var p = document.AddPage();
            p.Size = PdfSharp.PageSize.Letter;
            using var gfx = XGraphics.FromPdfPage(p);
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(Red.R, Red.G, Red.B)), 80, 100, 160, 60);
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(Blue.R, Blue.G, Blue.B)), 400, 300, 120, 80);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static async Task<byte[]> BytesAsync(IBrowserContext context, string? href)
    {
        Assert.NotNull(href);
        var response = await context.APIRequest.GetAsync(System.Net.WebUtility.HtmlDecode(href));
        Assert.True(response.Ok, $"{href}: {response.Status}");
        return await response.BodyAsync();
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _step++;
        var path = System.IO.Path.Combine(_shots.FullName, $"regions-{_step:D2}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path} ({page.Url})");
    }

    /// <summary>Exactly this path on the app (any query string), so a redirect elsewhere fails the wait.</summary>
    private static Regex Path(string path) => FirstStart.Path(path);

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
