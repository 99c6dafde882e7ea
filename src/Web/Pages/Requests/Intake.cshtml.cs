using Confide.Documents.Sandbox;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Clients;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// Records a request for a client's information (or edits one): the intake form, the subpoena or
/// order as a PDF, and the determination. An invalid form shows its errors by field and stores
/// nothing; an edit started from an older version is refused (optimistic concurrency), not saved
/// over someone else's change. Editing triages again and keeps the earlier determinations.
/// </summary>
[RequestSizeLimit(PdfUpload.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = PdfUpload.MaxRequestBytes)]
public sealed class IntakeModel(ConfideDbContext db, ClientContent content, RequestRecords records, IAuditTrail audit, RequestService requests) : PageModel
{
    public const string ConflictMessage =
        "Someone else changed this request after you opened it. Nothing was saved: reload the request to see their change, then make yours again.";

    [BindProperty(SupportsGet = true)]
    public Guid? ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    [BindProperty]
    public IntakeInput Input { get; set; } = new();

    /// <summary>The subpoena or order as it arrived.</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    public Guid? RequestId { get; private set; }
    public string ClientName { get; private set; } = "";
    public string Jurisdiction { get; private set; } = "";
    public bool Conflict { get; private set; }
    public List<(Guid Id, string Name)> Clinicians { get; } = [];

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    /// <summary>Where the form posts: this page for the request being edited, or for the client.</summary>
    public string Action =>
        RequestId is { } id ? $"/Requests/Intake/{id}{Query}" : $"/Requests/Intake?clientId={ClientId}{(Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}")}";

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        var context = await LoadAsync(id, ct);
        if (context is null)
        {
            return NotFound();
        }
        var (viewer, client, request, _, grant) = context.Value;
        if (grant is null)
        {
            return Redirect($"/Clients/{client.Id}");
        }
        if (request is not null)
        {
            var parsed = (await records.ReadAsync(grant, request, ct)).Request;
            Input = IntakeInput.From(parsed, request.ClinicianId, request.Version);
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RequestEditOpened(request, Reason));
        }
        else
        {
            Input.ReceivedOn = IntakeInput.Date(await requests.TodayAsync(viewer.PracticeId, ct));
            Input.ClinicianId = Clinicians.Any(c => c.Id == viewer.UserId) ? viewer.UserId : Clinicians.FirstOrDefault().Id;
            Input.Profession = await db.Users.Where(u => u.Id == Input.ClinicianId).Select(u => u.Profession).FirstOrDefaultAsync(ct) is { } profession
                ? Wire<Profession>.Name(profession)
                : null;
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RequestIntakeOpened(client.Id, Reason));
        }
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        var context = await LoadAsync(id, ct);
        if (context is null)
        {
            return NotFound();
        }
        var (viewer, client, request, practice, grant) = context.Value;
        if (grant is null)
        {
            return BadRequest();
        }
        if (request is not null && request.Version != Input.Version)
        {
            return Conflicted();
        }

        User? clinician = null;
        if (Input.ClinicianId is { } clinicianId && Clinicians.Any(c => c.Id == clinicianId))
        {
            clinician = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == clinicianId, ct);
        }
        if (clinician is null)
        {
            ModelState.AddModelError("Input.ClinicianId", "Choose the clinician who holds the records.");
        }
        var upload = Upload is null ? null : await PdfUpload.ReadAsync(Upload, ModelState, nameof(Upload), HttpContext.RequestServices.GetRequiredService<PdfChildProcess>(), ct);
        var filled = clinician is null ? new FilledDetails(null, null, null, practice.Name, practice.Address) : await requests.FillAsync(grant, practice, client, clinician, ct);
        var (json, result) = RequestService.Parse(Input, practice, filled);
        foreach (var error in result.Errors)
        {
            var (field, message) = Input.FieldFor(error);
            ModelState.AddModelError(field, message);
        }
        if (!ModelState.IsValid || result.Request is null || clinician is null)
        {
            return Page();
        }

        if (request is null)
        {
            request = await requests.CreateAsync(grant, client, clinician.Id, viewer.UserId, json, result.Request, upload, Reason, ct);
        }
        else
        {
            await requests.UpdateAsync(grant, request, clinician.Id, viewer.UserId, json, result.Request, upload, Reason, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflicted();
        }
        return Redirect($"/Requests/{request.Id}{Query}");
    }

    private IActionResult Conflicted()
    {
        db.ChangeTracker.Clear();
        Conflict = true;
        ModelState.AddModelError("", ConflictMessage);
        var page = Page();
        page.StatusCode = StatusCodes.Status409Conflict;
        return page;
    }

    /// <summary>
    /// The viewer, the client (visible to them), the request when editing (tracked), and the practice;
    /// also fills the clinician choices and the names shown. Null when the viewer may not see it.
    /// </summary>
    private async Task<(Viewer Viewer, Client Client, RecordRequest? Request, Practice Practice, ClientGrant? Grant)?> LoadAsync(Guid? id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        RecordRequest? request = null;
        if (id is { } requestId)
        {
            request = await RequestAccess.Visible(db, viewer).FirstOrDefaultAsync(r => r.Id == requestId, ct);
            if (request is null)
            {
                return null;
            }
            ClientId = request.ClientId;
            RequestId = request.Id;
        }
        if (ClientId is not { } clientId)
        {
            return null;
        }
        var client = await ClientAccess.Visible(db, viewer).AsNoTracking().Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == clientId, ct);
        var decision = await content.OpenAsync(viewer.Reader, clientId, ContentPurpose.Record, Reason, ct);
        if (client is null || decision.Outcome is not (AccessOutcome.Granted or AccessOutcome.NeedsReason or AccessOutcome.Shredded))
        {
            return null;
        }
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == viewer.PracticeId, ct);
        Jurisdiction = practice.Jurisdiction;
        ClientName = decision.Grant is { } grant ? await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct) : "";
        var clinicians = await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct);
        var assigned = clinicians.Where(c => client.Assignments.Any(a => a.ClinicianId == c.Id)).ToList();
        Clinicians.AddRange(assigned.Count > 0 ? assigned : clinicians);
        return (viewer, client, request, practice, decision.Grant);
    }
}
