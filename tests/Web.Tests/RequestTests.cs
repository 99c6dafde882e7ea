using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Confide.Core.Law;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

/// <summary>
/// Requests end to end on the demo practice (a fixed "today"): intake through the contract's parser,
/// field-level errors that store nothing, PDF-only uploads, the determination page, ticks, workflow,
/// optimistic concurrency, documents, access and the audit trail without client content.
/// </summary>
public abstract partial class RequestTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    internal static DemoSeeder.DemoAccount Owner => DemoSeeder.Accounts[0];
    internal static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];
    internal static DemoSeeder.DemoAccount Priya => DemoSeeder.Accounts[2];
    internal static DemoSeeder.DemoAccount Jordan => DemoSeeder.Accounts[3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    /// <summary>A subpoena from an attorney in a state civil case for progress notes and billing: assert-privilege in California.</summary>
    internal static List<(string Name, string Value)> Subpoena(Guid clinicianId) =>
    [
        ("Input.Instrument", "subpoena"),
        ("Input.Requester", "attorney"),
        ("Input.ReceivedOn", "2026-06-12"),
        ("Input.RespondBy", "2026-06-26"),
        ("Input.Forum", "state"),
        ("Input.Kind", "civil"),
        ("Input.Requested", "progress-notes"),
        ("Input.Requested", "billing"),
        ("Input.InTherapy", "true"),
        ("Input.ClinicianId", clinicianId.ToString()),
        ("Input.Profession", "social-worker"),
        ("Input.Licensed", "true"),
        ("Input.RequesterName", "Alder & Finch LLP"),
        ("Input.Court", "Superior Court of California"),
        ("Input.CaseNumber", "34-2026-123"),
    ];

    /// <summary>The fields with <paramref name="name"/> replaced by <paramref name="values"/> (none: removed).</summary>
    internal static List<(string Name, string Value)> With(List<(string Name, string Value)> fields, string name, params string[] values) =>
        [.. fields.Where(f => f.Name != name), .. values.Select(v => (name, v))];

    internal static Guid RequestIdFrom(HttpResponseMessage response)
    {
        var location = Browser.Location(response) ?? throw new InvalidOperationException($"no redirect: {(int)response.StatusCode}");
        var match = Regex.Match(location, "^/Requests/([0-9a-f-]{36})");
        Assert.True(match.Success, location);
        return Guid.Parse(match.Groups[1].Value);
    }

    private static string Intake(Guid clientId) => $"/Requests/Intake?clientId={clientId}";

    [Fact]
    public async Task Part2ProgramSetting_OwnerOnly_Audited_AndEveryTriageThenAppliesIt()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        var ownerId = await app.UserIdAsync(Owner);
        using var owner = await app.SignedInAsync(Owner);
        using var sam = await app.SignedInAsync(Sam);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync("/Practice")).StatusCode);
        Assert.DoesNotContain("id=\"part2-program\" name=\"Part2Program\" value=\"true\" checked", await owner.GetPageAsync("/Practice"), StringComparison.Ordinal);
        List<(string Name, string Value)> report =
        [
            ("Input.Instrument", "report"),
            ("Input.ReceivedOn", "2026-06-12"),
            ("Input.ClinicianId", (await app.UserIdAsync(Sam)).ToString()),
            ("Input.Profession", "psychologist"),
            ("Input.Licensed", "true"),
            ("Input.SuspectedElderAbuse", "true"),
        ];
        await using var db = app.NewDbContext();
        try
        {
            var before = await RecordAsync(owner, ana, report);
            Assert.Equal(Core.Triage.Outcome.MandatedReport, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == before, Ct)).Outcome);

            Assert.Equal(HttpStatusCode.NotFound, (await sam.SubmitAsync("/Home", "/Practice", ("Part2Program", "true"))).StatusCode);
            var saved = await owner.SubmitAsync("/Practice", "/Practice", ("Part2Program", "true"), ("Part2Program", "false"));
            Assert.Contains("id=\"saved\"", await saved.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.True((await db.Practices.AsNoTracking().SingleAsync(p => p.Id == DemoSeeder.PracticeId, Ct)).Part2Program);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PracticeUpdate && e.ActorUserId == ownerId && e.Detail == "part2Program=true", Ct));

            // Part 2 has no adult-abuse exception (R2): the same report now goes to counsel first.
            var after = await RecordAsync(owner, ana, report);
            Assert.Equal(Core.Triage.Outcome.ConsultCounsel, (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == after, Ct)).Outcome);
            Assert.Contains("42 CFR 2.12(c)(6)", await owner.GetTextAsync($"/Requests/{after}"), StringComparison.Ordinal);
        }
        finally
        {
            await owner.SubmitAsync("/Practice", "/Practice", ("Part2Program", "false"));
        }
        Assert.False((await db.Practices.AsNoTracking().SingleAsync(p => p.Id == DemoSeeder.PracticeId, Ct)).Part2Program);
    }

    private async Task<Guid> RecordAsync(Browser browser, Guid clientId, List<(string Name, string Value)> fields)
    {
        var response = await browser.SubmitAsync(Intake(clientId), Intake(clientId), [.. fields]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return RequestIdFrom(response);
    }

    private async Task<(int Requests, int Determinations, int Files, int StatusChanges, int Keys, int RequestAudit)> CountsAsync()
    {
        await using var db = app.NewDbContext();
        string[] actions = [AuditActions.RequestCreate, AuditActions.RequestTriage, AuditActions.RequestFileCreate, AuditActions.RequestUpdate];
        return (
            await db.Requests.CountAsync(Ct),
            await db.RequestDeterminations.CountAsync(Ct),
            await db.RequestFiles.CountAsync(Ct),
            await db.RequestStatusChanges.CountAsync(Ct),
            await db.ClientKeys.CountAsync(Ct),
            await db.AuditEntries.CountAsync(e => actions.Contains(e.Action), Ct)
        );
    }

    [Fact]
    public async Task Intake_Subpoena_AssertsPrivilege_WithCitationsTextAndStatus_StoredEncrypted()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var sam = await app.SignedInAsync(Sam);
        var form = await sam.GetTextAsync(Intake(ana));
        Assert.Contains("Ana Ferreira (fictional)", form, StringComparison.Ordinal);
        Assert.Contains("A written release on file", form, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-06-15\"", form, StringComparison.Ordinal); // received: today, from the app's clock

        var id = await RecordAsync(sam, ana, Subpoena(await app.UserIdAsync(Sam)));
        var page = await sam.GetTextAsync($"/Requests/{id}");

        Assert.Contains("data-outcome=\"assert-privilege\"", page, StringComparison.Ordinal);
        Assert.Contains("Assert privilege: refuse on the client's behalf, in writing", page, StringComparison.Ordinal);
        var law = LawLibrary.Embedded;
        await using var db = app.NewDbContext();
        var row = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id, Ct);
        Assert.Equal((Core.Triage.Outcome.AssertPrivilege, new DateOnly(2026, 6, 26), RequestStatus.Received), (row.Outcome, row.RespondBy, row.Status));
        foreach (var citation in new[] { "ca-evid-1014", "hipaa-164.512-e", "nasw-1.07" })
        {
            var c = law.Catalog.Get(citation);
            Assert.Contains($"data-citation=\"{citation}\"", page, StringComparison.Ordinal);
            Assert.Contains(c.Text, page, StringComparison.Ordinal);
            Assert.Contains(c.StatusLabel, page, StringComparison.Ordinal);
        }
        var (profile, reference) = law.Resolve("US-CA");
        Assert.Contains($"version {profile.Version}, reviewed {Confide.Core.Vocabulary.Date(reference.ReviewedOn)}", page, StringComparison.Ordinal);
        Assert.Contains("Letter asserting privilege", page, StringComparison.Ordinal);
        Assert.Contains("Nothing.", page, StringComparison.Ordinal); // may disclose
        Assert.Contains("Progress notes", page, StringComparison.Ordinal); // withheld
        var determination = await db.RequestDeterminations.AsNoTracking().SingleAsync(d => d.RequestId == id, Ct);
        Assert.Equal((1, "US-CA", profile.Version), (determination.Sequence, determination.ProfileJurisdiction, determination.ProfileVersion));
        Assert.False(Contains(row.DocumentCipher, "Alder"));
        Assert.False(Contains(determination.DeterminationCipher, "assert-privilege"));
    }

    [Fact]
    public async Task Intake_EveryFieldError_ShownOnItsField_AndNothingStored()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        var leo = await DemoAccess.ClientIdAsync(app, "Leo Hart (fictional)");
        var samId = await app.UserIdAsync(Sam);
        var priyaId = await app.UserIdAsync(Priya);
        var valid = Subpoena(samId);
        (string Field, List<(string Name, string Value)> Fields)[] cases =
        [
            ("Input.Forum", With(With(valid, "Input.Forum"), "Input.Kind")), // a subpoena with no proceeding
            ("Input.Forum", With(With(With(valid, "Input.Instrument", "court-order"), "Input.Forum"), "Input.Kind")),
            ("Input.Instrument", With(valid, "Input.Instrument")),
            ("Input.Instrument", With(valid, "Input.Instrument", "fax")),
            ("Input.Requester", With(With(valid, "Input.Instrument", "letter"), "Input.Requester")),
            ("Input.Requested", With(valid, "Input.Requested")),
            ("Input.Requested", With(valid, "Input.Requested", "progress-notes", "everything")),
            ("Input.Kind", With(valid, "Input.Kind")),
            ("Input.Forum", With(valid, "Input.Forum", "tribal")),
            ("Input.RuleOfDecision", With(With(With(valid, "Input.Forum", "federal"), "Input.Kind", "criminal"), "Input.RuleOfDecision", "state")),
            ("Input.Order", With(valid, "Input.OrderSignedByJudge", "true")), // order facts on a subpoena
            ("Input.OrderCategories", With(With(valid, "Input.Instrument", "court-order"), "Input.OrderCategories", "diaries")),
            ("Input.ReceivedOn", With(valid, "Input.ReceivedOn", "2026-02-30")),
            ("Input.RespondBy", With(valid, "Input.RespondBy", "next week")),
            ("Input.Release.ExpiresOn", With(valid, "Input.Release.ExpiresOn", "soon")),
            ("Input.Release.Categories", With(valid, "Input.Release.Categories", "all")),
            ("Input.Profession", With(valid, "Input.Profession")),
            ("Input.Profession", With(valid, "Input.Profession", "astrologer")),
            ("Input.ClinicianId", With(valid, "Input.ClinicianId", priyaId.ToString())), // not Ana's clinician
            ("Input.RequesterName", With(valid, "Input.RequesterName", new string('x', 501))),
        ];
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        foreach (var (field, fields) in cases)
        {
            var response = await sam.SubmitAsync(Intake(ana), Intake(ana), [.. fields]);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{field}: {(int)response.StatusCode}");
            Assert.Matches($"class=\"field-validation-error\" data-valmsg-for=\"{Regex.Escape(field)}\"", html);
        }
        var missing = await sam.SubmitAsync(Intake(ana), Intake(ana), [.. With(With(valid, "Input.Forum"), "Input.Kind")]);
        Assert.Contains("A subpoena belongs to a court case or hearing", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.SubmitAsync(Intake(ana), Intake(leo), [.. valid])).StatusCode); // not Sam's client

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Intake_WithUpload_NonPdfRefused_NothingStored_PdfStoredEncrypted_AndDownloads()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        var fields = Subpoena(await app.UserIdAsync(Sam));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Marker-subpoena-5e1d fictional subpoena\n%%EOF\n");
        using var sam = await app.SignedInAsync(Sam);
        var before = await CountsAsync();

        var exe = await sam.SubmitMultipartAsync(Intake(ana), Intake(ana), fields, ("Upload", "subpoena.pdf", "application/pdf", Encoding.ASCII.GetBytes("MZ not a pdf")));
        var text = await sam.SubmitMultipartAsync(Intake(ana), Intake(ana), fields, ("Upload", "subpoena.txt", "text/plain", pdf));

        Assert.Equal(HttpStatusCode.OK, exe.StatusCode);
        Assert.Contains("data-valmsg-for=\"Upload\"", await exe.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("That file is not a PDF.", await exe.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Contains("Only PDF files can be attached.", await text.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());

        var stored = await sam.SubmitMultipartAsync(Intake(ana), Intake(ana), fields, ("Upload", "Ferreira subpoena.pdf", "application/pdf", pdf));
        var id = RequestIdFrom(stored);
        await using var db = app.NewDbContext();
        var file = await db.RequestFiles.AsNoTracking().SingleAsync(f => f.RequestId == id, Ct);
        Assert.False(Contains(file.ContentCipher, "Marker-subpoena"));
        Assert.False(Contains(file.FileNameCipher, "Ferreira"));
        Assert.Contains("Ferreira subpoena.pdf", await sam.GetTextAsync($"/Requests/{id}"), StringComparison.Ordinal);
        var download = await sam.GetAsync($"/Requests/{id}?handler=File&fileId={file.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RequestFileDownload && e.TargetId == file.Id.ToString("N"), Ct));
    }

    [Fact]
    public async Task Steps_TickAndUntick_WithWhoAndWhen_AndWorkflowMovesOneStepAtATime_WithHistory()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var sam = await app.SignedInAsync(Sam);
        var id = await RecordAsync(sam, ana, Subpoena(await app.UserIdAsync(Sam)));
        var path = $"/Requests/{id}";
        Guid determinationId;
        await using (var db = app.NewDbContext())
        {
            determinationId = await db.RequestDeterminations.Where(d => d.RequestId == id).Select(d => d.Id).SingleAsync(Ct);
        }

        // The page's own forms and links must post to real handlers: Razor once read "Tick@Model.Amp"
        // as an email address and rendered it literally, so a browser's tick reached no handler.
        var rendered = await (await sam.GetAsync(path)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("@Model", rendered);
        foreach (var handler in new[] { "Tick", "Status", "Note", "Retriage" })
        {
            Assert.Contains($"?handler={handler}\"", rendered);
        }

        var ticked = await sam.SubmitAsync(path, $"{path}?handler=Tick", ("determinationId", determinationId.ToString()), ("step", "1"), ("done", "true"));
        Assert.Equal(path, Browser.Location(ticked));
        var page = await sam.GetTextAsync(path);
        Assert.Contains("Done: Sam Okafor, LCSW, June 15, 2026 05:00 (UTC-07:00)", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Mark step 2 not done\"", page, StringComparison.Ordinal);
        await sam.SubmitAsync(path, $"{path}?handler=Tick", ("determinationId", determinationId.ToString()), ("step", "1"), ("done", "false"));
        Assert.DoesNotContain("Done: Sam", await sam.GetTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await sam.SubmitAsync(path, $"{path}?handler=Tick", ("determinationId", determinationId.ToString()), ("step", "99"), ("done", "true"))).StatusCode);
        await sam.SubmitAsync(path, $"{path}?handler=Tick", ("determinationId", determinationId.ToString()), ("step", "0"), ("done", "true"));

        foreach (var to in new[] { "under-review", "responded", "closed" })
        {
            var moved = await sam.SubmitAsync(path, $"{path}?handler=Status", ("to", to), ("Version", await VersionAsync(id)));
            Assert.Equal(path, Browser.Location(moved));
        }
        var reopen = await sam.SubmitAsync(path, $"{path}?handler=Status", ("to", "received"), ("Version", await VersionAsync(id)));
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        Assert.Contains("cannot move to that status", await reopen.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using var check = app.NewDbContext();
        var samId = await app.UserIdAsync(Sam);
        var history = await check.RequestStatusChanges.AsNoTracking().Where(s => s.RequestId == id).OrderBy(s => s.At).ThenBy(s => s.Id).ToListAsync(Ct);
        (RequestStatus?, RequestStatus)[] expected =
        [
            (null, RequestStatus.Received),
            (RequestStatus.Received, RequestStatus.UnderReview),
            (RequestStatus.UnderReview, RequestStatus.Responded),
            (RequestStatus.Responded, RequestStatus.Closed),
        ];
        Assert.Equal(expected, history.Select(h => (h.From, h.To)).ToArray());
        Assert.All(history, h => Assert.Equal(samId, h.ById));
        Assert.Equal(RequestStatus.Closed, (await check.Requests.AsNoTracking().SingleAsync(r => r.Id == id, Ct)).Status);
        var tick = Assert.Single(await check.RequestStepTicks.AsNoTracking().Where(t => t.RequestId == id).ToListAsync(Ct));
        Assert.Equal((0, samId), (tick.StepIndex, tick.TickedById));
        var audit = await check.AuditEntries.AsNoTracking().Where(e => e.TargetId == id.ToString("N")).Select(e => new { e.Action, e.Detail }).ToListAsync(Ct);
        Assert.Equal(3, audit.Count(e => e.Action == AuditActions.RequestStep));
        Assert.Contains(audit, e => e.Action == AuditActions.RequestStatus && e.Detail == "from=responded;to=closed");
        Assert.Contains("Closed", await sam.GetTextAsync(path), StringComparison.Ordinal);
    }

    private async Task<string> VersionAsync(Guid id)
    {
        await using var db = app.NewDbContext();
        return (await db.Requests.AsNoTracking().Where(r => r.Id == id).Select(r => r.Version).SingleAsync(Ct)).ToString();
    }

    [Fact]
    public async Task ConcurrentEdits_SameVersion_SecondGetsAConflict_FirstKept_AndEachEditKeepsTheHistory()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        var samId = await app.UserIdAsync(Sam);
        using var sam = await app.SignedInAsync(Sam);
        using var owner = await app.SignedInAsync(Owner);
        var id = await RecordAsync(sam, ana, Subpoena(samId));
        var edit = $"/Requests/Intake/{id}";
        var version = await VersionAsync(id);
        var editForm = await sam.GetTextAsync(edit);
        Assert.Contains($"name=\"Input.Version\" value=\"{version}\"", editForm, StringComparison.Ordinal);
        Assert.Contains("Alder & Finch LLP", editForm, StringComparison.Ordinal);

        // Both opened the form at the same version; Sam saves a court order first, then the owner saves a letter.
        var order = With(With(With(Subpoena(samId), "Input.Instrument", "court-order"), "Input.OrderSignedByJudge", "true"), "Input.OrderCategories", "billing");
        var first = await sam.SubmitAsync(edit, edit, [.. order, ("Input.Version", version)]);
        var second = await owner.SubmitAsync(edit, edit, [.. With(Subpoena(samId), "Input.Instrument", "letter"), ("Input.Version", version)]);

        Assert.Equal($"/Requests/{id}", Browser.Location(first));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Someone else changed this request after you opened it. Nothing was saved", WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        await using var db = app.NewDbContext();
        var row = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id, Ct);
        Assert.Equal(Core.Triage.Outcome.ComplyWithOrder, row.Outcome);
        var determinations = await db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == id).OrderBy(d => d.Sequence).Select(d => d.Outcome).ToListAsync(Ct);
        Assert.Equal([Core.Triage.Outcome.AssertPrivilege, Core.Triage.Outcome.ComplyWithOrder], determinations);

        // The same for the workflow: two status changes from one version.
        var stale = row.Version.ToString();
        var moved = await sam.SubmitAsync($"/Requests/{id}", $"/Requests/{id}?handler=Status", ("to", "under-review"), ("Version", stale));
        var again = await owner.SubmitAsync($"/Requests/{id}", $"/Requests/{id}?handler=Status", ("to", "under-review"), ("Version", stale));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, await db.RequestStatusChanges.CountAsync(s => s.RequestId == id, Ct));

        // Triaging again adds a determination and keeps the others; the page lists the history.
        var retriage = await sam.SubmitAsync($"/Requests/{id}", $"/Requests/{id}?handler=Retriage", ("Version", await VersionAsync(id)));
        Assert.Equal(HttpStatusCode.Redirect, retriage.StatusCode);
        Assert.Equal(3, await db.RequestDeterminations.CountAsync(d => d.RequestId == id, Ct));
        var earlier = await sam.GetTextAsync($"/Requests/{id}?seq=1");
        Assert.Contains("This is an earlier determination", earlier, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"assert-privilege\"", earlier, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_DownloadAsPdfAndDocx_FilledFromTheStoredRequest_AuditedAsExports()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var sam = await app.SignedInAsync(Sam);
        var id = await RecordAsync(sam, ana, Subpoena(await app.UserIdAsync(Sam)));
        var page = await sam.GetTextAsync($"/Requests/{id}");
        Assert.Contains("handler=Document&kind=privilege-assertion-letter&format=pdf", page, StringComparison.Ordinal);
        Assert.Contains("handler=Document&kind=client-notice&format=docx", page, StringComparison.Ordinal);

        var pdf = await sam.GetAsync($"/Requests/{id}?handler=Document&kind=privilege-assertion-letter&format=pdf");
        var docx = await sam.GetAsync($"/Requests/{id}?handler=Document&kind=client-notice&format=docx");
        var other = await sam.GetAsync($"/Requests/{id}?handler=Document&kind=access-response-letter&format=pdf");

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync(Ct))[..4]);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("PK"u8.ToArray(), (await docx.Content.ReadAsByteArrayAsync(Ct))[..2]);
        Assert.Equal("client-notice.docx", docx.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode); // not a document of this determination
        await using var db = app.NewDbContext();
        var exports = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.DocumentExport && e.TargetId == id.ToString("N")).Select(e => e.Detail!).ToListAsync(Ct);
        Assert.Equal(2, exports.Count);
        Assert.Contains(exports, d => d.EndsWith(";kind=privilege-assertion-letter;format=pdf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClinicianNotAssigned_Gets404_OnTheRequest_ItsDocuments_ItsFile_AndItsChanges()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        using var sam = await app.SignedInAsync(Sam);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n");
        var id = RequestIdFrom(await sam.SubmitMultipartAsync(Intake(ana), Intake(ana), Subpoena(await app.UserIdAsync(Sam)), ("Upload", "s.pdf", "application/pdf", pdf)));
        Guid fileId, determinationId;
        await using (var db = app.NewDbContext())
        {
            fileId = await db.RequestFiles.Where(f => f.RequestId == id).Select(f => f.Id).SingleAsync(Ct);
            determinationId = await db.RequestDeterminations.Where(d => d.RequestId == id).Select(d => d.Id).SingleAsync(Ct);
        }
        using var priya = await app.SignedInAsync(Priya);
        var token = Browser.Token(await priya.GetPageAsync("/Requests"));

        string[] gets =
        [
            $"/Requests/{id}",
            $"/Requests/{id}?handler=Document&kind=privilege-assertion-letter&format=pdf",
            $"/Requests/{id}?handler=Document&kind=client-notice&format=docx",
            $"/Requests/{id}?handler=File&fileId={fileId}",
            $"/Requests/Intake/{id}",
            Intake(ana),
        ];
        foreach (var url in gets)
        {
            Assert.True((await priya.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, url);
        }
        var version = await VersionAsync(id);
        (string Url, (string, string)[] Fields)[] posts =
        [
            ($"/Requests/{id}?handler=Status", [("to", "under-review"), ("Version", version)]),
            ($"/Requests/{id}?handler=Tick", [("determinationId", determinationId.ToString()), ("step", "0"), ("done", "true")]),
            ($"/Requests/{id}?handler=Note", [("text", "forged")]),
            ($"/Requests/{id}?handler=Retriage", [("Version", version)]),
            ($"/Requests/Intake/{id}", [("Input.Instrument", "letter"), ("Input.Version", version)]),
        ];
        foreach (var (url, fields) in posts)
        {
            Assert.True((await priya.PostAsync(url, [.. fields, ("__RequestVerificationToken", token)])).StatusCode == HttpStatusCode.NotFound, url);
        }
        Assert.DoesNotContain(id.ToString(), await priya.GetPageAsync("/Requests?show=all"), StringComparison.Ordinal);
        Assert.Equal(version, await VersionAsync(id));
    }

    [Fact]
    public async Task Staff_StateAReasonCode_BeforeARequestOpens_AndTheCodeIsAudited()
    {
        await using var db = app.NewDbContext();
        var request = await db.Requests.AsNoTracking().Where(r => r.Outcome == Core.Triage.Outcome.MandatedReport).Select(r => r.Id).FirstAsync(Ct);
        using var jordan = await app.SignedInAsync(Jordan);

        var ask = await jordan.GetTextAsync($"/Requests/{request}");
        Assert.Contains("State a reason", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("Leo Hart", ask, StringComparison.Ordinal);
        Assert.Contains("Leo Hart", await jordan.GetTextAsync($"/Requests/{request}?reason=records-request"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await jordan.SubmitAsync($"/Requests/{request}?reason=billing", $"/Requests/{request}?handler=Note", ("text", "no reason"))).StatusCode);

        var jordanId = await app.UserIdAsync(Jordan);
        var views = await db.AuditEntries.AsNoTracking().Where(e => e.ActorUserId == jordanId && e.Action == AuditActions.RequestView && e.TargetId == request.ToString("N")).Select(e => e.Detail!).ToListAsync(Ct);
        Assert.Contains(views, d => d.EndsWith(";reason=records-request", StringComparison.Ordinal));
        Assert.All(views, d => Assert.Contains(";reason=", d, StringComparison.Ordinal)); // no view without a reason
    }

    [Fact]
    public async Task Audit_ViewCreateTickStatusDownloadNote_WrittenWithNoClientContent_AndNoPlainColumnHoldsIt()
    {
        const string ClientMarker = "Quillon-Marker-4b7e";
        const string DetailMarker = "Brackwater-Marker-9c21";
        const string NoteMarker = "Ferrule-Marker-63aa";
        using var sam = await app.SignedInAsync(Sam);
        var created = await sam.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", $"Ida {ClientMarker}"), ("Input.DateOfBirth", "1984-02-03"));
        var clientId = Guid.Parse(Browser.Location(created)!["/Clients/".Length..]);
        var fields = With(With(With(Subpoena(await app.UserIdAsync(Sam)), "Input.RequesterName", $"Counsel {DetailMarker}"), "Input.CaseCaption", $"{ClientMarker} v. {DetailMarker}"), "Input.Reference", DetailMarker);
        var id = await RecordAsync(sam, clientId, fields);
        var path = $"/Requests/{id}";
        var page = await sam.GetTextAsync(path);
        Assert.Contains(ClientMarker, page, StringComparison.Ordinal);
        Assert.Contains(DetailMarker, page, StringComparison.Ordinal);
        Guid determinationId;
        await using (var db = app.NewDbContext())
        {
            determinationId = await db.RequestDeterminations.Where(d => d.RequestId == id).Select(d => d.Id).SingleAsync(Ct);
        }
        await sam.SubmitAsync(path, $"{path}?handler=Tick", ("determinationId", determinationId.ToString()), ("step", "0"), ("done", "true"));
        await sam.SubmitAsync(path, $"{path}?handler=Status", ("to", "under-review"), ("Version", await VersionAsync(id)));
        await sam.SubmitAsync(path, $"{path}?handler=Note", ("text", $"Called {DetailMarker} about {ClientMarker}; {NoteMarker}"));
        Assert.Contains(NoteMarker, await sam.GetTextAsync(path), StringComparison.Ordinal);
        var letter = await sam.GetAsync($"{path}?handler=Document&kind=privilege-assertion-letter&format=pdf");
        Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
        await sam.GetPageAsync("/Requests");
        await sam.GetPageAsync("/Home");

        await using var check = app.NewDbContext();
        var audit = await check.AuditEntries.AsNoTracking().Where(e => e.ClientId == clientId || e.TargetId == id.ToString("N")).ToListAsync(Ct);
        var actions = audit.Where(e => e.TargetId == id.ToString("N")).Select(e => e.Action).ToHashSet();
        Assert.Superset(
            new HashSet<string> { AuditActions.RequestCreate, AuditActions.RequestTriage, AuditActions.RequestView, AuditActions.RequestStep, AuditActions.RequestStatus, AuditActions.RequestNote, AuditActions.DocumentExport },
            actions
        );
        Assert.All(audit, e => Assert.Equal(clientId, e.ClientId));
        var everyAuditRow = await check.AuditEntries.AsNoTracking().ToListAsync(Ct);
        var text = new StringBuilder();
        foreach (var e in everyAuditRow)
        {
            text.Append(e.Action).Append('|').Append(e.TargetType).Append('|').Append(e.TargetId).Append('|').Append(e.Detail).Append('\n');
        }
        await PlainTextAsync(check.Requests, text);
        await PlainTextAsync(check.RequestDeterminations, text);
        await PlainTextAsync(check.RequestNotes, text);
        await PlainTextAsync(check.RequestStatusChanges, text);
        await PlainTextAsync(check.RequestStepTicks, text);
        await PlainTextAsync(check.RequestFiles, text);
        await PlainTextAsync(check.Clients, text);
        foreach (var marker in new[] { ClientMarker, DetailMarker, NoteMarker, "Quillon", "Brackwater", "Ferrule" })
        {
            Assert.DoesNotContain(marker, text.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        var chain = await check.AuditEntries.AsNoTracking().Where(e => e.PracticeId == DemoSeeder.PracticeId).OrderBy(e => e.Sequence).ToListAsync(Ct);
        Assert.True(AuditSealer.Verify(chain));
    }

    /// <summary>Every column of every row as text: strings as they are, bytes decoded as UTF-8 (plaintext would show).</summary>
    private static async Task PlainTextAsync<T>(IQueryable<T> rows, StringBuilder text)
        where T : class
    {
        foreach (var row in await rows.AsNoTracking().ToListAsync(Ct))
        {
            foreach (var property in typeof(T).GetProperties())
            {
                var value = property.GetValue(row);
                text.Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()).Append('|');
            }
            text.Append('\n');
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}

public sealed class SqliteRequestTests(SqliteClockedDemoApp app) : RequestTests<SqliteClockedDemoApp>(app);

public sealed class PostgresRequestTests(PostgresClockedDemoApp app) : RequestTests<PostgresClockedDemoApp>(app);
