using System.ComponentModel.DataAnnotations;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>
/// A client: details, guardians, clinicians and the list of record items (psychotherapy notes only
/// for their author, or the owner under a break-glass). Whether it opens is decided by
/// <see cref="ClientContent"/>: a staff member states a reason code; a clinician not assigned sees
/// only the break-glass form (a 403, the same for any id); a shredded client shows that their content
/// was destroyed. The owner can break glass for other authors' notes, acknowledge break-glass
/// openings, and delete the client (crypto-shredding) once retention allows. Every view and change
/// is audited in the same save.
/// </summary>
public sealed class DetailModel(ConfideDbContext db, RecordCipher cipher, ClientContent content, KeyRing keys, IAuditTrail audit, PracticeClock clock, TimeProvider time, IConfiguration configuration)
    : PageModel
{
    public const int MaxContentLength = 20_000;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public bool AskReason { get; private set; }
    public bool AskBreakGlass { get; private set; }
    public string? BreakGlassError { get; private set; }
    public DateTimeOffset? DestroyedAt { get; private set; }
    public bool IsOwner { get; private set; }
    public int HiddenNotes { get; private set; }
    public bool NotesOpen { get; private set; }
    public DateTimeOffset? BreakGlassUntil { get; private set; }
    public DateOnly DeletableFrom { get; private set; }
    public string? ShredMessage { get; private set; }
    public int OpenBreakGlasses { get; private set; }

    /// <summary>How long a break-glass lasts here (<see cref="BreakGlassMinutesKey"/>, 1 minute to 24 hours).</summary>
    public int BreakGlassMinutes => Math.Clamp(configuration.GetValue(BreakGlassMinutesKey, ClientContent.DefaultBreakGlassMinutes), 1, 24 * 60);
    public Guid ClientId { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly DateOfBirth { get; private set; }
    public bool IsMinor { get; private set; }
    public DateOnly Today { get; private set; }
    public List<string> Guardians { get; } = [];
    public List<string> AssignedClinicians { get; } = [];
    public List<(Guid Id, string Name)> AssignableClinicians { get; } = [];
    public List<ItemRow> Items { get; } = [];
    public List<Category> WritableCategories { get; } = [];
    public List<RequestRow> Requests { get; } = [];
    public List<Release> Releases { get; } = [];

    /// <summary>The viewer may draft releases for this client (the owner or an assigned clinician).</summary>
    public bool CanDraftReleases { get; private set; }

    /// <summary>How many of the client's requests the page lists (the queue has them all).</summary>
    public const int RequestRows = 10;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var (viewer, client, decision) = await FindAsync(id, ct);
        return decision.Outcome switch
        {
            AccessOutcome.Granted => await ShowAsync(viewer, client!, decision.Grant!, ct),
            AccessOutcome.NeedsReason => AskForReason(),
            AccessOutcome.Shredded => await DestroyedAsync(client!, ct),
            // A clinician: the break-glass form for any id (a real one and a made-up one answer alike).
            _ when viewer.IsClinician && !viewer.IsOwner && !viewer.IsStaff => BreakGlassForm(id, null),
            _ => NotFound(),
        };
    }

    /// <summary>
    /// A clinician opens a client they are not assigned to, or the owner other authors'
    /// psychotherapy notes: a reason code and a typed reason (encrypted), for
    /// <c>Confide:BreakGlassMinutes</c> (default 60), audited with the code only and listed on the
    /// owner's home page until acknowledged.
    /// </summary>
    public async Task<IActionResult> OnPostBreakGlassAsync(Guid id, string? scope, string? reasonCode, string? reasonText, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var what = scope == "notes" ? BreakGlassScope.PsychotherapyNotes : BreakGlassScope.Client;
        var text = reasonText?.Trim();
        if (!ClientContent.IsBreakGlassReason(reasonCode) || string.IsNullOrEmpty(text) || text.Length > MaxBreakGlassReason)
        {
            return viewer.IsOwner ? await OwnerRefusalAsync(viewer, id, ct) : BreakGlassForm(id, $"Choose a reason and describe it (at most {MaxBreakGlassReason} characters).");
        }
        var minutes = BreakGlassMinutes;
        var glass = await content.BreakGlassAsync(viewer.Reader, id, what, reasonCode!, text, TimeSpan.FromMinutes(minutes), ct);
        if (glass is null)
        {
            return viewer.IsOwner ? await OwnerRefusalAsync(viewer, id, ct) : BreakGlassForm(id, "This record cannot be opened this way.");
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.BreakGlassOpened(glass, minutes));
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{id}");
    }

    /// <summary>The owner acknowledges every break-glass opening of this client (they leave the home page's list).</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (!viewer.IsOwner)
        {
            return NotFound();
        }
        var open = await db.BreakGlasses.Where(g => g.PracticeId == viewer.PracticeId && g.ClientId == id && g.AcknowledgedAt == null).Take(100).ToListAsync(ct);
        if (open.Count == 0)
        {
            return NotFound();
        }
        foreach (var g in open)
        {
            g.AcknowledgedAt = time.GetUtcNow();
            g.AcknowledgedById = viewer.UserId;
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.BreakGlassAcknowledged(g.Id, id));
        }
        await db.SaveChangesAsync(ct);
        return Redirect("/Home");
    }

    /// <summary>
    /// The owner deletes the client by destroying their data keys (crypto-shredding), after typing
    /// the word DELETE, once retention allows (<c>Confide:RetentionYears</c> after the later of the
    /// last record activity and the 18th birthday). The audit keeps the fact, identifiers only.
    /// </summary>
    public async Task<IActionResult> OnPostShredAsync(Guid id, string? confirm, CancellationToken ct)
    {
        var (viewer, client, decision) = await FindAsync(id, ct);
        if (client is null || !viewer.IsOwner || decision.Outcome is not (AccessOutcome.Granted or AccessOutcome.Shredded))
        {
            return NotFound();
        }
        if (decision.Outcome == AccessOutcome.Shredded)
        {
            return Redirect($"/Clients/{id}");
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = await DeletableFromAsync(client, ct);
        if (from > today)
        {
            ShredMessage = $"Not deleted: this client's records must be kept until {Vocabulary.Date(from)} ({RetentionYears} years after the later of the last record activity and the 18th birthday, setting {Retention.YearsKey}).";
        }
        else if (confirm != "DELETE")
        {
            ShredMessage = "Not deleted: type DELETE to confirm. Deleting destroys the client's key; their records can never be read again.";
        }
        if (ShredMessage is not null)
        {
            var result = await ShowAsync(viewer, client, decision.Grant!, ct);
            if (result is PageResult page)
            {
                page.StatusCode = StatusCodes.Status409Conflict;
            }
            return result;
        }
        var destroyed = await keys.DestroyClientKeysAsync(viewer.PracticeId, client.Id, ct);
        client.ShreddedAt = time.GetUtcNow();
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientShredded(client.Id, destroyed, RetentionYears));
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{id}");
    }

    public const int MaxBreakGlassReason = 2000;
    public const string BreakGlassMinutesKey = "Confide:BreakGlassMinutes";

    private int RetentionYears => configuration.GetValue(Retention.YearsKey, Retention.DefaultYears);

    private async Task<DateOnly> DeletableFromAsync(Client client, CancellationToken ct) =>
        Retention.Until(await Retention.LastActivityAsync(db, client.Id, ct), client.DateOfBirth, RetentionYears);

    /// <summary>The owner's refused break-glass: a 404 for a client not of their practice (or none), else a 400.</summary>
    private async Task<IActionResult> OwnerRefusalAsync(Viewer viewer, Guid id, CancellationToken ct) =>
        await db.Clients.AnyAsync(c => c.Id == id && c.PracticeId == viewer.PracticeId, ct) ? BadRequest() : NotFound();

    private PageResult AskForReason()
    {
        AskReason = true;
        return Page();
    }

    private PageResult BreakGlassForm(Guid id, string? error)
    {
        ClientId = id;
        AskBreakGlass = true;
        BreakGlassError = error;
        var page = Page();
        page.StatusCode = StatusCodes.Status403Forbidden;
        return page;
    }

    private async Task<IActionResult> DestroyedAsync(Client client, CancellationToken ct)
    {
        ClientId = client.Id;
        DestroyedAt = client.ShreddedAt;
        var viewer = Viewer.From(User);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.DestroyedClientViewed(client.Id));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRecordAsync(Guid id, ItemInput item, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (viewer, client, decision) = await FindAsync(id, ct);
        if (Refused(decision) is { } refused)
        {
            return refused;
        }
        var grant = decision.Grant!;
        if (!Categories.TryParse(item.Category, out var category) || !Writable(viewer).Contains(category))
        {
            ModelState.AddModelError("item.Category", "Choose a category you may write.");
        }
        if (!ModelState.IsValid)
        {
            return await ShowAsync(viewer, client!, grant, ct);
        }
        var record = new RecordItem
        {
            ClientId = client!.Id,
            Category = category,
            Date = item.Date!.Value,
            AuthorId = viewer.UserId,
            ContentCipher = [],
            CreatedAt = time.GetUtcNow(),
        };
        record.ContentCipher = await cipher.EncryptAsync(EncryptedFields.RecordItemContent(client, record), item.Content, ct);
        db.RecordItems.Add(record);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RecordCreated(record, grant));
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{client.Id}/Records/{record.Id}{Query}");
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, Guid clinicianId, CancellationToken ct)
    {
        var (viewer, client, decision) = await FindAsync(id, ct);
        if (Refused(decision) is { } refused)
        {
            return refused;
        }
        if (!CanAssign(viewer) || client is null)
        {
            return BadRequest();
        }
        var clinicians = await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct);
        // Only a clinician of the practice; staff never assign themselves (that would open every record to them).
        if (!clinicians.Any(c => c.Id == clinicianId) || (clinicianId == viewer.UserId && !viewer.IsOwner))
        {
            return BadRequest();
        }
        if (!client.Assignments.Any(a => a.ClinicianId == clinicianId))
        {
            client.Assignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = clinicianId, AssignedAt = time.GetUtcNow() });
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientAssigned(client.Id, clinicianId, decision.Grant!));
            await db.SaveChangesAsync(ct);
        }
        return Redirect($"/Clients/{client.Id}{Query}");
    }

    private string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    /// <summary>A change refused: a 404 for what the viewer may not find, a 400 for a staff member without a reason, or a shredded client.</summary>
    private IActionResult? Refused(Decision decision) =>
        decision.Outcome switch
        {
            AccessOutcome.Granted => null,
            AccessOutcome.NeedsReason or AccessOutcome.Shredded => BadRequest(),
            _ => NotFound(),
        };

    private static bool CanAssign(Viewer viewer) => viewer.IsOwner || viewer.IsStaff;

    private static IEnumerable<Category> Writable(Viewer viewer) =>
        Categories.All.Where(c => c != Category.PsychotherapyNotes || viewer.IsClinical);

    private async Task<(Viewer Viewer, Client? Client, Decision Decision)> FindAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        var decision = await content.OpenAsync(viewer.Reader, id, ContentPurpose.Record, Reason, ct);
        var client = decision.Outcome is AccessOutcome.Granted or AccessOutcome.Shredded
            ? await db.Clients.Include(c => c.Guardians).Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == id && c.PracticeId == viewer.PracticeId, ct)
            : null;
        return (viewer, client, decision);
    }

    private async Task<IActionResult> ShowAsync(Viewer viewer, Client client, ClientGrant grant, CancellationToken ct)
    {
        ClientId = client.Id;
        IsOwner = viewer.IsOwner;
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        Name = await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct);
        DateOfBirth = client.DateOfBirth;
        IsMinor = client.IsMinorOn(Today);
        foreach (var g in client.Guardians)
        {
            var name = await content.ReadStringAsync(grant, EncryptedFields.GuardianName(client, g), g.NameCipher, ct);
            Guardians.Add($"{name} ({g.Relationship switch { GuardianRelationship.Parent => "parent", GuardianRelationship.LegalGuardian => "legal guardian", GuardianRelationship.Other => "other" }})");
        }
        var staff = await db.Users.Where(u => u.PracticeId == viewer.PracticeId).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        AssignedClinicians.AddRange(client.Assignments.Select(a => staff.GetValueOrDefault(a.ClinicianId, "(unknown)")).Order(StringComparer.Ordinal));
        if (CanAssign(viewer))
        {
            var clinicians = await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct);
            AssignableClinicians.AddRange(clinicians.Where(c => !client.Assignments.Any(a => a.ClinicianId == c.Id)));
        }
        var others = grant.OtherAuthorsNotes;
        var items = await db.RecordItems.AsNoTracking()
            .Where(r => r.ClientId == client.Id && (r.Category != Category.PsychotherapyNotes || r.AuthorId == viewer.UserId || others))
            .OrderByDescending(r => r.Date)
            .ThenByDescending(r => r.CreatedAt)
            .Select(r => new { r.Id, r.Date, r.Category, r.AuthorId })
            .ToListAsync(ct);
        Items.AddRange(items.Select(r => new ItemRow(r.Id, r.Date, r.Category, staff.GetValueOrDefault(r.AuthorId, "(unknown)"))));
        WritableCategories.AddRange(Writable(viewer));
        if (viewer.IsOwner)
        {
            NotesOpen = others;
            HiddenNotes = others ? 0 : await db.RecordItems.CountAsync(r => r.ClientId == client.Id && r.Category == Category.PsychotherapyNotes && r.AuthorId != viewer.UserId, ct);
            DeletableFrom = await DeletableFromAsync(client, ct);
            OpenBreakGlasses = await db.BreakGlasses.CountAsync(g => g.ClientId == client.Id && g.AcknowledgedAt == null, ct);
        }
        if (grant.BreakGlassId is { } glassId)
        {
            BreakGlassUntil = await db.BreakGlasses.Where(g => g.Id == glassId).Select(g => (DateTimeOffset?)g.ExpiresAt).FirstOrDefaultAsync(ct);
        }
        Requests.AddRange(
            await db.Requests.AsNoTracking()
                .Where(r => r.ClientId == client.Id)
                .OrderByDescending(r => r.ReceivedOn)
                .ThenByDescending(r => r.CreatedAt)
                .Take(RequestRows)
                .Select(r => new RequestRow(r.Id, r.ReceivedOn, r.RespondBy, r.Status, r.Outcome))
                .ToListAsync(ct)
        );
        // Releases: plain columns only (kind, status, categories, dates); nothing to decrypt for the list.
        CanDraftReleases = viewer.IsClinical && (viewer.IsOwner || client.Assignments.Any(a => a.ClinicianId == viewer.UserId));
        if (CanDraftReleases)
        {
            Releases.AddRange(await db.Releases.AsNoTracking().Where(r => r.ClientId == client.Id).OrderByDescending(r => r.CreatedAt).Take(RequestRows * 2).ToListAsync(ct));
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientViewed(client.Id, Items.Count, grant));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public sealed record ItemRow(Guid Id, DateOnly Date, Category Category, string Author);

    public sealed record RequestRow(Guid Id, DateOnly ReceivedOn, DateOnly? RespondBy, RequestStatus Status, Core.Triage.Outcome Outcome);

    public sealed class ItemInput
    {
        [Required]
        public string Category { get; set; } = "";

        [Required]
        public DateOnly? Date { get; set; }

        [Required, StringLength(MaxContentLength)]
        public string Content { get; set; } = "";
    }
}
