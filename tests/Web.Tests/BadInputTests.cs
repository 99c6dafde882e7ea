using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

/// <summary>
/// Bad input is refused cleanly with nothing stored: path-traversal and control-character file
/// names, wrong content types, oversized bodies and fields; SQL-injection strings in every form
/// field are stored and shown verbatim, never executed. On the demo practice, both providers.
/// </summary>
public abstract class BadInputTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% fictional\n%%EOF\n");

    public static TheoryData<string> TraversalNames =>
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/passwd.pdf",
        "C:\\Users\\x\\subpoena.pdf",
        "..pdf..",
        "sub\u0000poena.pdf",
        "line\r\nbreak.pdf",
        new string('a', 300) + ".pdf",
    ];

    [Theory]
    [MemberData(nameof(TraversalNames))]
    public async Task Upload_PathTraversalOrControlFileName_RefusedWithAFieldError_NothingStored(string name)
    {
        var (recordPath, clientId) = await RecordAsync();
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        var attachment = await UploadAsync(sam, recordPath, Pdf, "application/pdf", name);
        var intake = $"/Requests/Intake?clientId={clientId}";
        var request = await MultipartAsync(sam, intake, intake, RequestTests<TApp>.Subpoena(await app.UserIdAsync(Sam)), "Upload", Pdf, "application/pdf", name);

        foreach (var response in new[] { attachment, request })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("The file name is not allowed", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Upload_PlainName_Stored_AsTheControl()
    {
        var (recordPath, _) = await RecordAsync();
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        var response = await UploadAsync(sam, recordPath, Pdf, "application/pdf", "subpoena (2).pdf");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before.Attachments + 1, (await CountsAsync()).Attachments);
    }

    [Fact]
    public async Task WrongContentTypes_Refused_NothingStored()
    {
        var (recordPath, _) = await RecordAsync();
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        // A form posted as JSON or plain text: no antiforgery token can be read, so nothing runs.
        var token = Browser.Token(await sam.GetPageAsync("/Clients/Create"));
        var json = await sam.PostAsync("/Clients/Create", new StringContent($"{{\"Input.Name\":\"X\",\"__RequestVerificationToken\":\"{token}\"}}", Encoding.UTF8, "application/json"));
        var text = await sam.PostAsync("/Clients/Create", new StringContent($"Input.Name=X&__RequestVerificationToken={token}", Encoding.UTF8, "text/plain"));
        // A PDF declared as something else, and something else declared as a PDF.
        var declaredText = await UploadAsync(sam, recordPath, Pdf, "text/plain", "a.pdf");
        var notPdf = await UploadAsync(sam, recordPath, Encoding.ASCII.GetBytes("<html>not a pdf</html>"), "application/pdf", "a.pdf");

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("Only PDF files can be attached.", await declaredText.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("That file is not a PDF.", await notPdf.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task OversizedBodies_RefusedCleanly_NothingStored()
    {
        var (recordPath, _) = await RecordAsync();
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        // A PDF over the 10 MB cap: a field error (or 413 where the server enforces the body limit).
        var big = new byte[PdfUpload.MaxBytes + 1];
        Pdf.CopyTo(big, 0);
        var oversizedPdf = await UploadAsync(sam, recordPath, big, "application/pdf", "big.pdf");
        // A 5 MB form field, over the form reader's 4 MB value limit.
        var hugeName = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", new string('x', 5 * 1024 * 1024)), ("Input.DateOfBirth", "1990-01-01"));
        // A name over the field's own limit: the form again with the field named.
        var longName = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", new string('x', 5000)), ("Input.DateOfBirth", "1990-01-01"));

        Assert.True(oversizedPdf.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestEntityTooLarge, oversizedPdf.StatusCode.ToString());
        if (oversizedPdf.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("Attach a PDF of at most 10 MB.", await oversizedPdf.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        Assert.True(hugeName.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, hugeName.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, longName.StatusCode);
        Assert.Contains("Client's name must be a string with a maximum length of 200", WebUtility.HtmlDecode(await longName.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string> Injections =>
    [
        "Robert'); DROP TABLE \"Clients\"; --",
        "' OR '1'='1' --",
        "x\"; DELETE FROM \"AuditEntries\"; --",
        "1; UPDATE \"Requests\" SET \"Status\" = 0 /*",
        "%' UNION SELECT \"Email\" FROM \"AspNetUsers\" --",
    ];

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task SqlInjectionStrings_InEveryFormField_StoredAndShownVerbatim_NeverExecuted(string injection)
    {
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        var created = await sam.SubmitAsync(
            "/Clients/Create",
            "/Clients/Create",
            ("Input.Name", injection),
            ("Input.DateOfBirth", "2012-03-04"),
            ("Input.GuardianName", injection + " guardian"),
            ("Input.GuardianRelationship", "Parent")
        );
        var clientPath = Browser.Location(created)!;
        Assert.StartsWith("/Clients/", clientPath, StringComparison.Ordinal);
        var clientId = Guid.Parse(clientPath["/Clients/".Length..]);
        var added = await sam.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "progress-notes"), ("item.Date", "2026-06-01"), ("item.Content", injection + " content"));
        var recordPath = Browser.Location(added)!;
        var fields = RequestTests<TApp>.Subpoena(await app.UserIdAsync(Sam));
        foreach (var field in new[] { "Input.RequesterName", "Input.RequesterAddress", "Input.Court", "Input.CaseNumber", "Input.CaseCaption", "Input.Reference" })
        {
            fields = RequestTests<TApp>.With(fields, field, $"{injection} {field}");
        }
        var intake = $"/Requests/Intake?clientId={clientId}";
        var requestId = RequestTests<TApp>.RequestIdFrom(await sam.SubmitAsync(intake, intake, [.. fields]));
        var requestPath = $"/Requests/{requestId}";
        Assert.Equal(HttpStatusCode.Redirect, (await sam.SubmitAsync(requestPath, $"{requestPath}?handler=Note", ("text", injection + " note"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sam.SubmitAsync("/Account/Profile", "/Account/Profile", ("Profession", "social-worker"), ("LicenseNumber", injection[..Math.Min(injection.Length, 30)]))).StatusCode);

        Assert.Contains(injection, await sam.GetTextAsync(clientPath), StringComparison.Ordinal);
        Assert.Contains(injection + " guardian", await sam.GetTextAsync(clientPath), StringComparison.Ordinal);
        Assert.Contains(injection + " content", await sam.GetTextAsync(recordPath), StringComparison.Ordinal);
        var requestPage = await sam.GetTextAsync(requestPath);
        Assert.Contains(injection + " note", requestPage, StringComparison.Ordinal);
        Assert.Contains($"{injection} Input.RequesterName", requestPage, StringComparison.Ordinal);
        var editPage = await sam.GetTextAsync($"/Requests/Intake?id={requestId}");
        foreach (var field in new[] { "Input.RequesterAddress", "Input.Court", "Input.CaseNumber", "Input.CaseCaption", "Input.Reference" })
        {
            Assert.Contains($"{injection} {field}", editPage, StringComparison.Ordinal);
        }
        Assert.Contains(injection[..Math.Min(injection.Length, 30)], await sam.GetTextAsync("/Account/Profile"), StringComparison.Ordinal);

        // Nothing was executed: every table is there and only what the forms added was added.
        var after = await CountsAsync();
        Assert.Equal((before.Clients + 1, before.Requests + 1, before.Attachments), (after.Clients, after.Requests, after.Attachments));
        await using var db = app.NewDbContext();
        Assert.True(await db.Users.CountAsync(Ct) >= 4);
    }

    /// <summary>A record of a new client of Sam's, to upload to.</summary>
    private async Task<(string RecordPath, Guid ClientId)> RecordAsync()
    {
        using var sam = await app.SignedInAsync(Sam);
        var created = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", "Upload Target (fictional)"), ("Input.DateOfBirth", "1990-05-06"));
        var clientPath = Browser.Location(created)!;
        var added = await sam.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "intake"), ("item.Date", "2026-06-01"), ("item.Content", "intake form"));
        return (Browser.Location(added)!, Guid.Parse(clientPath["/Clients/".Length..]));
    }

    internal static Task<HttpResponseMessage> UploadAsync(Browser browser, string recordPath, byte[] bytes, string contentType, string fileName) =>
        MultipartAsync(browser, recordPath, $"{recordPath}?handler=Upload", [], "file", bytes, contentType, fileName);

    /// <summary>A multipart form with one file whose name is sent exactly as given (RFC 5987 <c>filename*</c>), control characters included.</summary>
    internal static async Task<HttpResponseMessage> MultipartAsync(
        Browser browser,
        string formPage,
        string action,
        IEnumerable<(string Name, string Value)> fields,
        string fileField,
        byte[] bytes,
        string contentType,
        string fileName
    )
    {
        var token = Browser.Token(await browser.GetPageAsync(formPage));
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{fileField}\"", FileNameStar = fileName };
        form.Add(file);
        form.Add(new StringContent(token), "__RequestVerificationToken");
        return await browser.PostAsync(action, form);
    }

    /// <summary>The rows that hold what people enter (audit entries of page views are not among them).</summary>
    private async Task<(int Clients, int Requests, int Attachments, int RequestFiles, int Records, int Guardians, int Notes)> CountsAsync()
    {
        await using var db = app.NewDbContext();
        return (
            await db.Clients.CountAsync(Ct),
            await db.Requests.CountAsync(Ct),
            await db.Attachments.CountAsync(Ct),
            await db.RequestFiles.CountAsync(Ct),
            await db.RecordItems.CountAsync(Ct),
            await db.Guardians.CountAsync(Ct),
            await db.RequestNotes.CountAsync(Ct)
        );
    }
}

public sealed class SqliteBadInputTests(SqliteDemoApp app) : BadInputTests<SqliteDemoApp>(app);

public sealed class PostgresBadInputTests(PostgresDemoApp app) : BadInputTests<PostgresDemoApp>(app);
