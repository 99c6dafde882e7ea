using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Confide.Web.Tests;

/// <summary>
/// No client content in the application's logs: a full scenario through the web app (sign-in, a new
/// client, a record, an attachment, a request with its subpoena PDF, a note, documents, a release
/// signed through the portal, re-triage under it, a disclosure packet built in the background) with unique marker strings in every piece of client data, and every log line of
/// every category at the most verbose level (EF Core's SQL included, sensitive data logging off as
/// configured) scanned for the markers: messages, structured values, scopes and exceptions.
/// </summary>
public abstract class LogScanTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory, ILoggedApp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FullScenario_AtTraceLevel_NoLogLineHoldsClientContent()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var markers = new Dictionary<string, string>
        {
            ["client name"] = $"Quenby{tag}namemark",
            ["record content"] = $"recordmark{tag} the client spoke about the river",
            ["attachment file name"] = $"attachfile{tag}.pdf",
            ["attachment bytes"] = $"pdfbytesmark{tag}",
            ["requester name"] = $"Requestermark{tag} LLP",
            ["requester address"] = $"addressmark{tag} Main St",
            ["court"] = $"Courtmark{tag} Superior Court",
            ["case number"] = $"casenum{tag}",
            ["case caption"] = $"Captionmark{tag} v. Someone",
            ["reference"] = $"refmark{tag}",
            ["subpoena file name"] = $"subpoenafile{tag}.pdf",
            ["note"] = $"notemark{tag} called the attorney back",
            ["release purpose"] = $"purposemark{tag} for the civil case",
            ["release recipient address"] = $"recipaddrmark{tag} Court St",
            ["signature"] = $"Signermark{tag} Quenby",
        };
        app.Logs.Clear();

        var sam = DemoSeeder.Accounts[1];
        using var browser = await app.SignedInAsync(sam);
        var samId = await app.UserIdAsync(sam);

        var created = await browser.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", markers["client name"]), ("Input.DateOfBirth", "1991-02-03"));
        var clientPath = Browser.Location(created)!;
        var clientId = Guid.Parse(clientPath["/Clients/".Length..]);
        var added = await browser.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "progress-notes"), ("item.Date", "2026-06-01"), ("item.Content", markers["record content"]));
        var recordPath = Browser.Location(added)!;
        Assert.StartsWith($"{clientPath}/Records/", recordPath, StringComparison.Ordinal);
        var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n% {markers["attachment bytes"]}\n%%EOF\n");
        using (var form = new MultipartFormDataContent())
        {
            var token = Browser.Token(await browser.GetPageAsync(recordPath));
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", markers["attachment file name"]);
            form.Add(new StringContent(token), "__RequestVerificationToken");
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"{recordPath}?handler=Upload", form)).StatusCode);
        }
        var recordPage = await browser.GetTextAsync(recordPath);
        Assert.Contains(markers["record content"], recordPage, StringComparison.Ordinal);
        Assert.Contains(markers["attachment file name"], recordPage, StringComparison.Ordinal);

        var intake = $"/Requests/Intake?clientId={clientId}";
        var fields = RequestTests<TApp>.Subpoena(samId);
        fields = RequestTests<TApp>.With(fields, "Input.RequesterName", markers["requester name"]);
        fields = RequestTests<TApp>.With(fields, "Input.RequesterAddress", markers["requester address"]);
        fields = RequestTests<TApp>.With(fields, "Input.Court", markers["court"]);
        fields = RequestTests<TApp>.With(fields, "Input.CaseNumber", markers["case number"]);
        fields = RequestTests<TApp>.With(fields, "Input.CaseCaption", markers["case caption"]);
        fields = RequestTests<TApp>.With(fields, "Input.Reference", markers["reference"]);
        var stored = await browser.SubmitMultipartAsync(intake, intake, fields, ("Upload", markers["subpoena file name"], "application/pdf", pdf));
        var requestId = RequestTests<TApp>.RequestIdFrom(stored);
        var requestPath = $"/Requests/{requestId}";
        var noted = await browser.SubmitAsync(requestPath, $"{requestPath}?handler=Note", ("text", markers["note"]));
        Assert.Equal(HttpStatusCode.Redirect, noted.StatusCode);
        var requestPage = await browser.GetTextAsync(requestPath);
        Assert.Contains(markers["note"], requestPage, StringComparison.Ordinal);
        Assert.Contains(markers["subpoena file name"], requestPage, StringComparison.Ordinal);
        foreach (var format in new[] { "pdf", "docx" })
        {
            var document = await browser.GetAsync($"{requestPath}?handler=Document&kind=privilege-assertion-letter&format={format}");
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Requests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Home")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(clientPath)).StatusCode);
        // A release to the requester, signed through the portal; the request triaged again under it;
        // then a disclosure packet of the record built in the background and downloaded.
        var expires = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var draft = $"/Releases/Draft?clientId={clientId}";
        var drafted = await browser.SubmitAsync(
            draft,
            draft,
            ("Input.Kind", "general"),
            ("Input.RecipientName", markers["requester name"]),
            ("Input.RecipientAddress", markers["release recipient address"]),
            ("Input.Purpose", "legal-proceeding"),
            ("Input.PurposeDescription", markers["release purpose"]),
            ("Input.Categories", "progress-notes"),
            ("Input.ExpiresOn", expires)
        );
        Assert.Equal(HttpStatusCode.Redirect, drafted.StatusCode);
        var releasePath = Browser.Location(drafted)!;
        var sent = await browser.SubmitAsync(releasePath, $"{releasePath}?handler=Send");
        var signToken = System.Text.RegularExpressions.Regex.Match(await sent.Content.ReadAsStringAsync(Ct), "/portal/([A-Za-z0-9_-]{43})<").Groups[1].Value;
        Assert.NotEmpty(signToken);
        using (var client = new Browser(app))
        {
            var portal = $"/portal/{signToken}";
            (string, string)[] answers = [("Answers[recipient]", "named"), ("Answers[notes]", "no"), ("Answers[sud]", "no"), ("Answers[condition]", "yes"), ("Answers[revoke]", "yes")];
            var check = await (await client.SubmitAsync(portal, $"{portal}?handler=Check", answers)).Content.ReadAsStringAsync(Ct);
            var shown = System.Text.RegularExpressions.Regex.Match(check, "name=\"ShownHash\" value=\"([0-9a-f]{64})\"").Groups[1].Value;
            var signed = await client.SubmitAsync(portal, $"{portal}?handler=Sign", [.. answers, ("ShownHash", shown), ("TypedName", markers["signature"])]);
            Assert.Contains("You signed this release", await signed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        await using (var db = app.NewDbContext())
        {
            var version = (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId, Ct)).Version.ToString();
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(requestPath, $"{requestPath}?handler=Retriage", ("Version", version))).StatusCode);
            Assert.Equal(Confide.Core.Triage.Outcome.DiscloseWithAuthorization, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId, Ct)).Outcome);
        }
        var packetPage = $"{requestPath}/Packet";
        Assert.Equal(packetPage, await DisclosureTests<TApp>.ReauthenticateAsync(browser, sam, packetPage));
        var itemId = recordPath[(recordPath.LastIndexOf('/') + 1)..];
        Guid attachmentId;
        await using (var db = app.NewDbContext())
        {
            attachmentId = await db.Attachments.AsNoTracking().Where(a => a.RecordItemId == Guid.Parse(itemId)).Select(a => a.Id).SingleAsync(Ct);
        }
        var (packetId, _) = await DisclosureTests<TApp>.BuildAsync(browser, requestId, ("include", itemId), ($"remove-{Guid.Parse(itemId):N}", "spoke about the river"), ($"mode-{attachmentId:N}", "exclude"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"{packetPage}?handler=Download&what=pdf&packetId={packetId}")).StatusCode);

        // Bad input too: a form error is logged as an outcome, not with what was typed.
        var refused = await browser.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", markers["client name"]), ("Input.DateOfBirth", "not a date"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        await browser.SubmitAsync("/Clients", "/Account/SignOut");

        var lines = app.Logs.Lines;
        // The capture works and is at the verbose end: EF Core's SQL and the request pipeline are in it, with identifiers.
        Assert.Contains(lines, l => l.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal) && l.Text.Contains("INSERT INTO", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogLevel.Trace || l.Level == LogLevel.Debug);
        Assert.Contains(lines, l => l.Text.Contains(requestId.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.True(lines.Count > 500, $"only {lines.Count} log lines captured");

        var leaks = (
            from line in lines
            from marker in markers
            where line.Text.Contains(Core(marker.Value), StringComparison.OrdinalIgnoreCase)
            select $"{marker.Key} in [{line.Level} {line.Category}] {Excerpt(line.Text, Core(marker.Value))}"
        ).Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines hold client content:\n{string.Join("\n", leaks.Take(20))}");
    }

    /// <summary>The distinctive part of a marker (the tag with its word), which any copy of it would contain.</summary>
    private static string Core(string marker) => marker.Split(' ')[0].Replace(".pdf", "", StringComparison.Ordinal);

    private static string Excerpt(string text, string needle)
    {
        var i = text.IndexOf(needle, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, i - 120);
        return text.Substring(start, Math.Min(text.Length - start, 260)).ReplaceLineEndings(" ");
    }
}

/// <summary>An app whose every log entry, of every category and level, is kept.</summary>
public interface ILoggedApp
{
    LogSink Logs { get; }
}

/// <summary>
/// Keeps every log entry as text: the formatted message, each structured value, the active scopes'
/// values and the exception, so a scan sees whatever any logging provider could write.
/// </summary>
public sealed class LogSink : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Line> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Line(string Category, LogLevel Level, string Text);

    public IReadOnlyList<Line> Lines => [.. _lines];

    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => sink._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }
            sink._scopes.ForEachScope(
                (scope, b) =>
                {
                    b.Append(" | scope: ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopeValues)
                    {
                        foreach (var (key, value) in scopeValues)
                        {
                            b.Append(' ').Append(key).Append('=').Append(value);
                        }
                    }
                },
                text
            );
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }
            sink._lines.Enqueue(new Line(category, logLevel, text.ToString()));
        }
    }
}

/// <summary>Logging at Trace for every category (the app's own Warning filters for EF Core and ASP.NET Core lifted), into a <see cref="LogSink"/>.</summary>
internal static class VerboseLogging
{
    public static void Apply(IWebHostBuilder builder, LogSink sink) =>
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(sink);
            s.PostConfigure<LoggerFilterOptions>(o =>
            {
                o.Rules.Clear();
                o.MinLevel = LogLevel.Trace;
            });
        });
}

public sealed class SqliteLoggedDemoApp : SqliteApp, ILoggedApp
{
    public LogSink Logs { get; } = new();

    protected override bool SeedDemo => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        VerboseLogging.Apply(builder, Logs);
    }
}

public sealed class PostgresLoggedDemoApp : PostgresApp, ILoggedApp
{
    public LogSink Logs { get; } = new();

    protected override bool SeedDemo => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        VerboseLogging.Apply(builder, Logs);
    }
}

public sealed class SqliteLogScanTests(SqliteLoggedDemoApp app) : LogScanTests<SqliteLoggedDemoApp>(app);

public sealed class PostgresLogScanTests(PostgresLoggedDemoApp app) : LogScanTests<PostgresLoggedDemoApp>(app);
