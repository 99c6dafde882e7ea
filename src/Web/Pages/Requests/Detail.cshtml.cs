using System.Security.Cryptography;
using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Documents;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;
using Confide.Web.Features.Clients;
using Confide.Web.Features.Releases;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// The determination page of a request: the outcome in plain words, what may and may not be
/// disclosed and why, the steps as a checklist, the citations with their text and status, the
/// profile, warnings, the documents (PDF and DOCX), the workflow, notes and history. Every view,
/// change and download is audited in the same save as the action. Changes that could overwrite a
/// colleague's (status, triage again) carry the version the page showed and are refused when it is stale.
/// </summary>
public sealed class RequestDetailModel(ConfideDbContext db, RecordCipher cipher, ClientContent content, RequestRecords records, AuditTrail audit, RequestService requests, ReleaseService releases, PracticeClock clock, TimeProvider time) : PageModel
{
    public const int MaxNoteLength = 5000;
    public const int HistoryRows = 50;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    /// <summary>The request's version the page showed, posted back by the changes that could overwrite a colleague's (status, triage again).</summary>
    [BindProperty]
    public Guid Version { get; set; }

    /// <summary>
    /// A new note's text (form field <c>text</c>). A bound property, not a handler parameter: Razor
    /// Pages logs a handler's arguments at Trace level, and a note is client content.
    /// </summary>
    [BindProperty(Name = "text")]
    public string? NoteText { get; set; }

    /// <summary>An earlier determination to show instead of the current one (its sequence number).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Seq { get; set; }

    public bool AskReason { get; private set; }
    public string? Message { get; private set; }
    public RecordRequest Item { get; private set; } = null!;
    public string ClientName { get; private set; } = "";
    public TriageRequest Document { get; private set; } = null!;
    public Determination Determination { get; private set; } = null!;
    public RequestDetermination Current { get; private set; } = null!;
    public bool ShowingEarlier { get; private set; }
    public string? NewerProfileVersion { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary>The practice's time zone: times on the page are shown in it.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public DeadlineMark Mark { get; private set; }
    public Dictionary<int, (string By, DateTimeOffset At)> Ticks { get; } = [];
    public List<Citation> Citations { get; } = [];
    public List<StatusRow> StatusHistory { get; } = [];
    public List<NoteRow> Notes { get; } = [];
    public List<FileRow> Files { get; } = [];
    public List<HistoryRow> Determinations { get; } = [];
    public List<FinalizedDocument> Finalized { get; } = [];
    public Dictionary<Guid, string> Names { get; } = [];

    /// <summary>The client's stored releases this determination used as its authorization, each in one line.</summary>
    public List<(Guid Id, string Line)> ReleasesUsed { get; } = [];

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    public string Amp => Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}";

    public string Path => $"/Requests/{Item.Id}";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Shredded)
        {
            return Redirect($"/Clients/{f.Client.Id}");
        }
        if (f.Grant is null)
        {
            AskReason = true;
            return Page();
        }
        return await ShowAsync(f, ct);
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, string? to, CancellationToken ct)
    {
        var (found, refusal) = await FindForChangeAsync(id, ct);
        if (found is not { } f)
        {
            return refusal!;
        }
        var request = f.Request;
        if (request.Version != Version)
        {
            return await ConflictAsync(f, IntakeModel.ConflictMessage, ct);
        }
        if (!Wire<RequestStatus>.TryParse(to, out var next) || RequestAccess.Next(request.Status) != next)
        {
            return await ConflictAsync(f, $"A request that is {RequestWords.Status(request.Status).ToLowerInvariant()} cannot move to that status.", ct);
        }
        if (next == RequestStatus.Responded && request.Outcome is Outcome.MandatedReport or Outcome.DutyToProtect && !Reauthentication.IsFresh(User, time))
        {
            // marking it responded records the report as a disclosure: confirm who is doing it first
            return Redirect(Reauthentication.PageFor(Path + Query));
        }
        await requests.AdvanceAsync(f.Grant!, request, next, f.Viewer.UserId, Reason, ct);
        return await SaveAsync(f, ct);
    }

    public async Task<IActionResult> OnPostRetriageAsync(Guid id, CancellationToken ct)
    {
        var (found, refusal) = await FindForChangeAsync(id, ct);
        if (found is not { } f)
        {
            return refusal!;
        }
        if (f.Request.Version != Version)
        {
            return await ConflictAsync(f, IntakeModel.ConflictMessage, ct);
        }
        await requests.RetriageAsync(f.Grant!, f.Request, f.Viewer.UserId, Reason, ct);
        return await SaveAsync(f, ct);
    }

    public async Task<IActionResult> OnPostTickAsync(Guid id, Guid determinationId, int step, bool done, CancellationToken ct)
    {
        var (found, refusal) = await FindForChangeAsync(id, ct);
        if (found is not { } f)
        {
            return refusal!;
        }
        var current = await records.CurrentAsync(f.Request.Id, ct);
        if (current.Id != determinationId)
        {
            return await ConflictAsync(f, "The request was checked again since you opened it, and its steps may have changed. Nothing was ticked: look at the steps below.", ct);
        }
        var steps = (await records.ReadAsync(f.Grant!, current, ct)).Determination.Steps;
        if (step < 0 || step >= steps.Count)
        {
            return BadRequest();
        }
        var tick = await db.RequestStepTicks.FirstOrDefaultAsync(t => t.DeterminationId == current.Id && t.StepIndex == step, ct);
        if (done == (tick is not null))
        {
            return Redirect(Path + Query); // already as asked (a double submit, or a colleague did it)
        }
        if (tick is null)
        {
            db.RequestStepTicks.Add(new RequestStepTick { RequestId = f.Request.Id, DeterminationId = current.Id, StepIndex = step, TickedById = f.Viewer.UserId, TickedAt = time.GetUtcNow() });
        }
        else
        {
            db.RequestStepTicks.Remove(tick);
        }
        audit.Record(f.Viewer.PracticeId, f.Viewer.UserId, AuditActions.RequestStep, "request", f.Request.Id, f.Request.ClientId, RequestService.Detail($"determination={current.Id:N};step={step + 1};{(done ? "done" : "undone")}", Reason));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (done)
        {
            db.ChangeTracker.Clear(); // ticked by someone else at the same moment: the unique index kept one
        }
        return Redirect(Path + Query);
    }

    public async Task<IActionResult> OnPostNoteAsync(Guid id, CancellationToken ct)
    {
        var (found, refusal) = await FindForChangeAsync(id, ct);
        if (found is not { } f)
        {
            return refusal!;
        }
        var text = NoteText?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxNoteLength)
        {
            ModelState.AddModelError("text", $"Write a note of at most {MaxNoteLength} characters.");
            return await ShowAsync(f, ct);
        }
        var note = new RequestNote { RequestId = f.Request.Id, ClientId = f.Request.ClientId, AuthorId = f.Viewer.UserId, TextCipher = [], CreatedAt = time.GetUtcNow() };
        note.TextCipher = await cipher.EncryptAsync(RequestAccess.NoteText(f.Viewer.PracticeId, note), text, ct);
        db.RequestNotes.Add(note);
        audit.Record(f.Viewer.PracticeId, f.Viewer.UserId, AuditActions.RequestNote, "request", f.Request.Id, f.Request.ClientId, RequestService.Detail($"note={note.Id:N}", Reason));
        await db.SaveChangesAsync(ct);
        return Redirect(Path + Query);
    }

    /// <summary>
    /// One of the current determination's documents, as PDF or DOCX (without a kind: its first
    /// document; without a format: PDF), filled from the stored request. Audited as an export.
    /// </summary>
    public async Task<IActionResult> OnGetDocumentAsync(Guid id, string? kind, string? format, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Shredded)
        {
            return Redirect($"/Clients/{f.Client.Id}");
        }
        if (f.Grant is null)
        {
            return Redirect(Path + Query);
        }
        var stored = await records.ReadCurrentAsync(f.Grant, f.Request.Id, ct);
        var current = stored.Row;
        if (kind is null)
        {
            var listed = stored.Determination.Documents;
            kind = listed.Count > 0 ? Wire<DocumentKind>.Name(listed[0]) : null;
        }
        format ??= "pdf";
        if (!Wire<DocumentKind>.TryParse(kind, out var documentKind) || format is not ("pdf" or "docx"))
        {
            return NotFound();
        }
        var model = requests.Compose(stored, documentKind);
        if (model is null)
        {
            return NotFound();
        }
        var bytes = format == "pdf" ? new PdfRenderer(PaperSize.Letter).Render(model) : new DocxRenderer(PaperSize.Letter).Render(model);
        audit.Record(f.Viewer.PracticeId, f.Viewer.UserId, AuditActions.DocumentExport, "request", f.Request.Id, f.Request.ClientId, RequestService.Detail($"determination={current.Id:N};kind={kind};format={format}", Reason));
        await db.SaveChangesAsync(ct);
        var contentType = format == "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        return File(bytes, contentType, $"{model.FileStem}.{format}");
    }

    /// <summary>The subpoena or order as uploaded, checked against its SHA-256.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid fileId, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Shredded)
        {
            return Redirect($"/Clients/{f.Client.Id}");
        }
        if (f.Grant is null)
        {
            return Redirect(Path + Query);
        }
        var file = await db.RequestFiles.AsNoTracking().FirstOrDefaultAsync(x => x.Id == fileId && x.RequestId == f.Request.Id, ct);
        if (file is null)
        {
            return NotFound();
        }
        var bytes = await content.ReadAsync(f.Grant, RequestAccess.FileContent(f.Viewer.PracticeId, file.ClientId, file.Id), file.ContentCipher, ct);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(file.Sha256))
        {
            throw new CryptographicException($"request file {file.Id:N} does not match its checksum");
        }
        var name = await content.ReadStringAsync(f.Grant, RequestAccess.FileName(f.Viewer.PracticeId, file.ClientId, file.Id), file.FileNameCipher, ct);
        audit.Record(f.Viewer.PracticeId, f.Viewer.UserId, AuditActions.RequestFileDownload, "request-file", file.Id, file.ClientId, RequestService.Detail($"request={f.Request.Id:N}", Reason));
        await db.SaveChangesAsync(ct);
        return File(bytes, file.ContentType, name);
    }

    private async Task<IActionResult> SaveAsync(Found f, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await FindAsync(f.Request.Id, ct);
            return fresh is { } again ? await ConflictAsync(again, IntakeModel.ConflictMessage, ct) : NotFound();
        }
        return Redirect(Path + Query);
    }

    /// <summary>The page as it stands now, with <paramref name="message"/> and status 409: nothing of the refused change was kept.</summary>
    private async Task<IActionResult> ConflictAsync(Found f, string message, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        Message = message;
        var result = await ShowAsync(f with { Request = await db.Requests.FirstAsync(r => r.Id == f.Request.Id, ct) }, ct);
        if (result is PageResult page)
        {
            page.StatusCode = StatusCodes.Status409Conflict;
        }
        return result;
    }

    /// <summary>A request the viewer may find, its client, and <see cref="ClientContent"/>'s grant (null: a staff member must state a reason first).</summary>
    private sealed record Found(Viewer Viewer, RecordRequest Request, Client Client, ClientGrant? Grant, bool Shredded);

    /// <summary>The request (tracked) and its client, when the viewer may see them; null otherwise (a 404).</summary>
    private async Task<Found?> FindAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        var request = await RequestAccess.Visible(db, viewer).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null)
        {
            return null;
        }
        var decision = await content.OpenAsync(viewer.Reader, request.ClientId, ContentPurpose.Record, Reason, ct);
        if (decision.Outcome is not (AccessOutcome.Granted or AccessOutcome.NeedsReason or AccessOutcome.Shredded))
        {
            return null;
        }
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == request.ClientId, ct);
        Item = request;
        return new Found(viewer, request, client, decision.Grant, decision.Outcome == AccessOutcome.Shredded);
    }

    /// <summary>Like <see cref="FindAsync"/>, for a change: a 404 when not visible, a 400 when a staff member stated no reason.</summary>
    private async Task<(Found? Found, IActionResult? Refusal)> FindForChangeAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is null)
        {
            return (null, NotFound());
        }
        return found.Grant is null ? (null, BadRequest()) : (found, null);
    }

    private async Task<IActionResult> ShowAsync(Found f, CancellationToken ct)
    {
        var (viewer, request, client, grant) = (f.Viewer, f.Request, f.Client, f.Grant!);
        Item = request;
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        Zone = await clock.ZoneAsync(viewer.PracticeId, ct);
        Mark = RequestAccess.Mark(request.RespondBy, request.IsOpen, Today);
        ClientName = await content.ReadStringAsync(grant, ClientAccess.ClientName(client), client.NameCipher, ct);

        var history = await db.RequestDeterminations.AsNoTracking()
            .Where(d => d.RequestId == request.Id)
            .OrderByDescending(d => d.Sequence)
            .Select(d => new HistoryRow(d.Id, d.Sequence, d.Outcome, d.EvaluatedOn, d.ProfileJurisdiction, d.ProfileVersion, d.ProfileReviewedOn, d.CreatedById, d.CreatedAt))
            .Take(HistoryRows)
            .ToListAsync(ct);
        Determinations.AddRange(history);
        var latest = history[0].Sequence;
        var shown = Seq is { } seq && seq != latest ? seq : latest;
        ShowingEarlier = shown != latest;
        Current = await db.RequestDeterminations.AsNoTracking().FirstOrDefaultAsync(d => d.RequestId == request.Id && d.Sequence == shown, ct)
            ?? await db.RequestDeterminations.AsNoTracking().FirstAsync(d => d.RequestId == request.Id && d.Sequence == latest, ct);
        ShowingEarlier = Current.Sequence != latest;
        (_, Document, Determination) = await records.ReadAsync(grant, Current, ct);
        var currentId = Current.Id;
        foreach (var releaseId in await db.DeterminationReleases.AsNoTracking().Where(x => x.DeterminationId == currentId).Select(x => x.ReleaseId).ToListAsync(ct))
        {
            ReleasesUsed.Add((releaseId, await releases.DescribeAsync(grant, releaseId, ct) ?? releaseId.ToString("N")));
        }

        var law = requests.Engine.Law;
        foreach (var id in Determination.Citations)
        {
            Citations.Add(law.Catalog.Find(id) ?? new Citation(id, id, "This citation is no longer in the catalog.", VerificationStatus.Unverified, "", "", ""));
        }
        var now = law.Resolve(Determination.Profile.Jurisdiction).Ref;
        NewerProfileVersion = now.Version != Determination.Profile.Version ? now.Version : null;

        var ticks = await db.RequestStepTicks.AsNoTracking().Where(t => t.DeterminationId == Current.Id).OrderBy(t => t.StepIndex).Take(HistoryRows).ToListAsync(ct);
        var statuses = await db.RequestStatusChanges.AsNoTracking().Where(s => s.RequestId == request.Id).OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Take(HistoryRows).ToListAsync(ct);
        var notes = await db.RequestNotes.AsNoTracking().Where(n => n.RequestId == request.Id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(HistoryRows).ToListAsync(ct);
        var files = await db.RequestFiles.AsNoTracking()
            .Where(x => x.RequestId == request.Id)
            .OrderBy(x => x.CreatedAt)
            .Select(x => new { x.Id, x.ClientId, x.FileNameCipher, x.Size, x.CreatedAt })
            .Take(HistoryRows)
            .ToListAsync(ct);

        Finalized.AddRange(await db.FinalizedDocuments.AsNoTracking().Where(x => x.RequestId == request.Id).OrderBy(x => x.FinalizedAt).ThenBy(x => x.Version).Take(HistoryRows).ToListAsync(ct));
        var people = ticks.Select(t => t.TickedById).Concat(Finalized.Select(x => x.FinalizedById)).Concat(statuses.Select(s => s.ById)).Concat(notes.Select(n => n.AuthorId)).Concat(history.Select(h => h.ById)).Append(request.ClinicianId).Distinct().ToList();
        foreach (var u in await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
        {
            Names[u.Id] = u.DisplayName;
        }
        foreach (var t in ticks)
        {
            Ticks[t.StepIndex] = (Name(t.TickedById), t.TickedAt);
        }
        StatusHistory.AddRange(statuses.Select(s => new StatusRow(s.From, s.To, Name(s.ById), s.At)));
        foreach (var n in notes)
        {
            Notes.Add(new NoteRow(Name(n.AuthorId), n.CreatedAt, await content.ReadStringAsync(grant, RequestAccess.NoteText(viewer.PracticeId, n), n.TextCipher, ct)));
        }
        foreach (var x in files)
        {
            Files.Add(new FileRow(x.Id, await content.ReadStringAsync(grant, RequestAccess.FileName(viewer.PracticeId, x.ClientId, x.Id), x.FileNameCipher, ct), x.Size, x.CreatedAt));
        }

        audit.Record(viewer.PracticeId, viewer.UserId, AuditActions.RequestView, "request", request.Id, request.ClientId, RequestService.Detail($"determination={Current.Id:N};outcome={Wire<Outcome>.Name(Current.Outcome)}", Reason));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public string Name(Guid userId) => Names.GetValueOrDefault(userId, "(unknown)");

    public sealed record StatusRow(RequestStatus? From, RequestStatus To, string By, DateTimeOffset At);

    public sealed record NoteRow(string By, DateTimeOffset At, string Text);

    public sealed record FileRow(Guid Id, string FileName, long Size, DateTimeOffset At);

    public sealed record HistoryRow(Guid Id, int Sequence, Outcome Outcome, DateOnly EvaluatedOn, string Jurisdiction, string ProfileVersion, DateOnly ProfileReviewedOn, Guid ById, DateTimeOffset At);
}
