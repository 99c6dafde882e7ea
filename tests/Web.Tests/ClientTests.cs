using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>Clients and records on the demo practice: access, encryption at rest, audit, antiforgery.</summary>
public abstract class ClientTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Owner => DemoSeeder.Accounts[0];
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];
    private static DemoSeeder.DemoAccount Priya => DemoSeeder.Accounts[2];
    private static DemoSeeder.DemoAccount Jordan => DemoSeeder.Accounts[3];

    [Fact]
    public async Task Clients_Anonymous_RedirectsToSignIn()
    {
        using var browser = new Browser(app);
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");

        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);
        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync($"/Clients/{ana}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_SignedInWithoutTwoFactor_RedirectsAway()
    {
        const string email = "no-factor@demo.confide.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email, DisplayName = "No Factor" };
            Assert.True((await users.CreateAsync(user, DemoSeeder.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Clinician)).Succeeded);
        }
        using var browser = new Browser(app);

        var signedIn = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", DemoSeeder.Password));

        Assert.Equal("/Account/Authenticator", Browser.Location(signedIn));
        Assert.Contains("/Account/TwoFactorRequired", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);
        Assert.Contains("/Account/TwoFactorRequired", Browser.Location(await browser.GetAsync("/Clients/Create")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccount()
    {
        const string email = "lockout@demo.confide.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            Assert.True((await users.CreateAsync(new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email }, DemoSeeder.Password)).Succeeded);
        }
        using var browser = new Browser(app);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", "not the password at all"));
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", DemoSeeder.Password));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        // The page says the same for every failure (issue 10): the lockout itself is in the account.
        await using var db = app.NewDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email, TestContext.Current.CancellationToken);
        Assert.True(user.LockoutEnd > TimeProvider.System.GetUtcNow(), "the account is not locked");
    }

    [Fact]
    public async Task CreateClientAndRecord_StoredEncrypted_ShownOnThePage_AuditedWithoutContent()
    {
        var ct = TestContext.Current.CancellationToken;
        const string name = "Zed Quillfeather";
        const string content = "Marker-7f3a: discussed sleep and the move.";
        using var sam = await app.SignedInAsync(Sam);

        var created = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", name), ("Input.DateOfBirth", "1990-05-06"));
        var clientPath = Browser.Location(created)!;
        Assert.StartsWith("/Clients/", clientPath, StringComparison.Ordinal);
        var clientId = Guid.Parse(clientPath["/Clients/".Length..]);
        Assert.Contains(name, await sam.GetPageAsync(clientPath), StringComparison.Ordinal);

        var added = await sam.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "progress-notes"), ("item.Date", "2026-11-01"), ("item.Content", content));
        var recordPath = Browser.Location(added)!;
        Assert.StartsWith($"{clientPath}/Records/", recordPath, StringComparison.Ordinal);
        var page = await sam.GetPageAsync(recordPath);
        Assert.Contains(content, page, StringComparison.Ordinal);
        Assert.Contains("progress notes", page, StringComparison.Ordinal);

        await using var db = app.NewDbContext();
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        var item = await db.RecordItems.AsNoTracking().SingleAsync(r => r.ClientId == clientId, ct);
        Assert.False(Contains(client.NameCipher, name));
        Assert.False(Contains(client.NameCipher, "Quillfeather"));
        Assert.False(Contains(item.ContentCipher, content));
        Assert.False(Contains(item.ContentCipher, "Marker-7f3a"));
        Assert.Single(await db.ClientKeys.Where(k => k.ClientId == clientId).ToListAsync(ct));

        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.ClientId == clientId).ToListAsync(ct);
        var actions = audit.Select(e => e.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { AuditActions.ClientCreate, AuditActions.ClientAssign, AuditActions.ClientView, AuditActions.RecordCreate, AuditActions.RecordView }, actions);
        var samId = await db.Users.Where(u => u.Email == Sam.Email).Select(u => u.Id).SingleAsync(ct);
        Assert.All(audit, e => Assert.Equal(samId, e.ActorUserId));
        foreach (var e in audit)
        {
            var text = $"{e.Action}|{e.TargetType}|{e.TargetId}|{e.Detail}";
            Assert.DoesNotContain("Quillfeather", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Marker", text, StringComparison.OrdinalIgnoreCase);
        }
        var chain = await db.AuditEntries.AsNoTracking().Where(e => e.PracticeId == DemoSeeder.PracticeId).OrderBy(e => e.Sequence).ToListAsync(ct);
        Assert.True(AuditSealer.Verify(chain));
    }

    [Fact]
    public async Task Attachment_PdfOnly_StoredEncrypted_DownloadsTheSameBytes_Audited()
    {
        var ct = TestContext.Current.CancellationToken;
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        Guid itemId;
        await using (var db = app.NewDbContext())
        {
            itemId = await db.RecordItems.Where(r => r.ClientId == ana && r.Category == Core.Requests.Category.Intake).Select(r => r.Id).SingleAsync(ct);
        }
        var recordPath = $"/Clients/{ana}/Records/{itemId}";
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Marker-pdf-91c2 fictional intake form\n%%EOF\n");
        using var sam = await app.SignedInAsync(Sam);

        var notPdf = await Upload(sam, recordPath, Encoding.ASCII.GetBytes("MZ not a pdf"), "application/pdf", "x.pdf");
        Assert.Equal(HttpStatusCode.OK, notPdf.StatusCode); // the page again, with the error
        var wrongType = await Upload(sam, recordPath, pdf, "text/plain", "x.txt");
        Assert.Equal(HttpStatusCode.OK, wrongType.StatusCode);
        var uploaded = await Upload(sam, recordPath, pdf, "application/pdf", "Ferreira intake.pdf");
        Assert.Equal(recordPath, Browser.Location(uploaded));

        var page = await sam.GetPageAsync(recordPath);
        Assert.Contains("Ferreira intake.pdf", page, StringComparison.Ordinal);
        await using var check = app.NewDbContext();
        var attachment = await check.Attachments.AsNoTracking().SingleAsync(a => a.RecordItemId == itemId, ct);
        Assert.False(Contains(attachment.ContentCipher, "Marker-pdf-91c2"));
        Assert.False(Contains(attachment.FileNameCipher, "Ferreira"));
        var download = await sam.GetAsync($"{recordPath}?handler=Download&attachmentId={attachment.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(ct));
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == AuditActions.AttachmentDownload && e.TargetId == attachment.Id.ToString("N"), ct));
    }

    private static async Task<HttpResponseMessage> Upload(Browser browser, string recordPath, byte[] bytes, string contentType, string fileName)
    {
        var token = Browser.Token(await browser.GetPageAsync(recordPath));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent(token), "__RequestVerificationToken");
        return await browser.PostAsync($"{recordPath}?handler=Upload", form);
    }

    [Fact]
    public async Task ClientOfAnotherClinician_IsTheBreakGlassForm_WithoutTheName_AndNotListed()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        Guid item;
        await using (var db = app.NewDbContext())
        {
            item = await db.RecordItems.Where(r => r.ClientId == ana).Select(r => r.Id).FirstAsync(TestContext.Current.CancellationToken);
        }
        using var priya = await app.SignedInAsync(Priya);

        var page = await priya.GetAsync($"/Clients/{ana}");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Break the glass", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Ferreira", html, StringComparison.Ordinal);
        // A made-up id answers the same: the form tells nothing about which clients exist.
        Assert.Equal(HttpStatusCode.Forbidden, (await priya.GetAsync($"/Clients/{Guid.CreateVersion7()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await priya.GetAsync($"/Clients/{ana}/Records/{item}")).StatusCode);
        var list = await priya.GetPageAsync("/Clients");
        Assert.DoesNotContain("Ana Ferreira", list, StringComparison.Ordinal);
        Assert.Contains("Leo Hart", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PsychotherapyNote_VisibleOnlyToItsAuthor()
    {
        var ct = TestContext.Current.CancellationToken;
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        Guid note;
        await using (var db = app.NewDbContext())
        {
            note = await db.RecordItems.Where(r => r.ClientId == ana && r.Category == Core.Requests.Category.PsychotherapyNotes).Select(r => r.Id).SingleAsync(ct);
        }
        using var sam = await app.SignedInAsync(Sam);
        using var owner = await app.SignedInAsync(Owner);

        Assert.Contains("transference", await sam.GetPageAsync($"/Clients/{ana}/Records/{note}"), StringComparison.Ordinal);
        Assert.Contains(note.ToString(), await sam.GetPageAsync($"/Clients/{ana}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/Clients/{ana}/Records/{note}")).StatusCode);
        Assert.DoesNotContain(note.ToString(), await owner.GetPageAsync($"/Clients/{ana}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_StateAReasonCode_BeforeRecordsOpen_AndTheCodeIsAudited()
    {
        var ct = TestContext.Current.CancellationToken;
        var leo = await DemoAccess.ClientIdAsync(app, "Leo Hart (fictional)");
        using var jordan = await app.SignedInAsync(Jordan);

        var ask = await jordan.GetPageAsync($"/Clients/{leo}");
        Assert.Contains("State a reason", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("Leo Hart", ask, StringComparison.Ordinal);
        Assert.Contains("State a reason", await jordan.GetPageAsync($"/Clients/{leo}?reason=curiosity"), StringComparison.Ordinal);

        var open = await jordan.GetPageAsync($"/Clients/{leo}?reason=billing");
        Assert.Contains("Leo Hart", open, StringComparison.Ordinal);
        Assert.Contains("Dana Hart", open, StringComparison.Ordinal); // the guardian of a minor

        await using var db = app.NewDbContext();
        var jordanId = await db.Users.Where(u => u.Email == Jordan.Email).Select(u => u.Id).SingleAsync(ct);
        var views = await db.AuditEntries.Where(e => e.ActorUserId == jordanId && e.Action == AuditActions.ClientView && e.ClientId == leo).ToListAsync(ct);
        var view = Assert.Single(views);
        Assert.Contains("reason=billing", view.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forms_WithoutAntiforgeryToken_Are400()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var sam = await app.SignedInAsync(Sam);

        var create = await sam.PostAsync("/Clients/Create", ("Input.Name", "Forged Client"), ("Input.DateOfBirth", "1990-01-01"));
        var record = await sam.PostAsync($"/Clients/{ana}?handler=Record", ("item.Category", "billing"), ("item.Date", "2026-11-01"), ("item.Content", "forged"));
        var signOut = await sam.PostAsync("/Account/SignOut");

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, record.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}

public sealed class SqliteClientTests(SqliteDemoApp app) : ClientTests<SqliteDemoApp>(app);

public sealed class PostgresClientTests(PostgresDemoApp app) : ClientTests<PostgresDemoApp>(app);
