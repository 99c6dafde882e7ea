using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Documents;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;
using Confide.Web.Features.Clients;
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
public sealed class RequestDetailModel(ConfideDbContext db, ClientContent content, RequestRecords records, IAuditTrail audit, RequestService requests, TimeProvider time) : PageModel
{
    public const int MaxNoteLength = 5000;
    public const int HistoryRows = RequestService.HistoryRows;

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

    /// <summary>What the page shows (<see cref="RequestService.OverviewAsync"/>).</summary>
    public RequestOverview Overview { get; private set; } = null!;
    public string ClientName => Overview.ClientName;
    public TriageRequest Document => Overview.Document;
    public Determination Determination => Overview.Determination;
    public RequestDetermination Current => Overview.Current;
    public bool ShowingEarlier => Overview.ShowingEarlier;
    public string? NewerProfileVersion => Overview.NewerProfileVersion;
    public DateOnly Today => Overview.Today;

    /// <summary>The practice's time zone: times on the page are shown in it.</summary>
    public TimeZoneInfo Zone => Overview.Zone;
    public DeadlineMark Mark => Overview.Mark;
    public IReadOnlyDictionary<int, (string By, DateTimeOffset At)> Ticks => Overview.Ticks;
    public IReadOnlyList<Citation> Citations => Overview.Citations;
    public IReadOnlyList<RequestOverview.StatusRow> StatusHistory => Overview.StatusHistory;
    public IReadOnlyList<RequestOverview.NoteRow> Notes => Overview.Notes;
    public IReadOnlyList<RequestOverview.FileRow> Files => Overview.Files;
    public IReadOnlyList<RequestOverview.HistoryRow> Determinations => Overview.Determinations;
    public IReadOnlyList<FinalizedDocument> Finalized => Overview.Finalized;

    /// <summary>The client's stored releases this determination used as its authorization, each in one line.</summary>
    public IReadOnlyList<(Guid Id, string Line)> ReleasesUsed => Overview.ReleasesUsed;

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
        switch (await requests.TickAsync(f.Grant!, f.Request, current, step, done, f.Viewer.UserId, Reason, ct))
        {
            case RequestService.TickOutcome.NoSuchStep:
                return BadRequest();
            case RequestService.TickOutcome.AlreadyAsAsked:
                return Redirect(Path + Query); // already as asked (a double submit, or a colleague did it)
        }
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
        await requests.AddNoteAsync(f.Request, text, f.Viewer.UserId, Reason, ct);
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
        audit.Add(f.Viewer.PracticeId, f.Viewer.UserId, AuditEvent.DocumentExported(f.Request, current.Id, documentKind, format, Reason));
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
        if (await requests.ReadFileAsync(f.Grant, f.Request, fileId, f.Viewer.UserId, Reason, ct) is not { } read)
        {
            return NotFound();
        }
        await db.SaveChangesAsync(ct);
        return File(read.Bytes, read.Row.ContentType, read.FileName);
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
        var (viewer, request) = (f.Viewer, f.Request);
        Item = request;
        Overview = await requests.OverviewAsync(f.Grant!, request, f.Client, Seq, ct);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RequestViewed(request, Current, Reason));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public string Name(Guid userId) => Overview.Name(userId);
}
