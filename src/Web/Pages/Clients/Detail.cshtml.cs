using System.ComponentModel.DataAnnotations;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>
/// A client: details, guardians, clinicians and the list of record items (psychotherapy notes only
/// for their author). Every view and change is audited in the same save.
/// </summary>
public sealed class DetailModel(ConfideDbContext db, RecordCipher cipher, AuditTrail audit, PracticeClock clock, TimeProvider time) : PageModel
{
    public const int MaxContentLength = 20_000;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public bool AskReason { get; private set; }
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
        var (viewer, client) = await FindAsync(id, ct);
        if (client is null)
        {
            return NotFound();
        }
        if (ClientAccess.NeedsReason(viewer, client) && !ClientAccess.IsReason(Reason))
        {
            AskReason = true;
            return Page();
        }
        return await ShowAsync(viewer, client, ct);
    }

    public async Task<IActionResult> OnPostRecordAsync(Guid id, ItemInput item, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (viewer, client) = await FindAsync(id, ct);
        if (client is null)
        {
            return NotFound();
        }
        if (ClientAccess.NeedsReason(viewer, client) && !ClientAccess.IsReason(Reason))
        {
            return BadRequest();
        }
        if (!Categories.TryParse(item.Category, out var category) || !Writable(viewer).Contains(category))
        {
            ModelState.AddModelError("item.Category", "Choose a category you may write.");
        }
        if (!ModelState.IsValid)
        {
            return await ShowAsync(viewer, client, ct);
        }
        var record = new RecordItem
        {
            ClientId = client.Id,
            Category = category,
            Date = item.Date!.Value,
            AuthorId = viewer.UserId,
            ContentCipher = [],
            CreatedAt = time.GetUtcNow(),
        };
        record.ContentCipher = await cipher.EncryptAsync(ClientAccess.Content(client, record), item.Content, ct);
        db.RecordItems.Add(record);
        audit.Record(viewer.PracticeId, viewer.UserId, AuditActions.RecordCreate, "record-item", record.Id, client.Id, Detail($"category={Categories.Name(category)}"));
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{client.Id}/Records/{record.Id}{Query}");
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, Guid clinicianId, CancellationToken ct)
    {
        var (viewer, client) = await FindAsync(id, ct);
        if (client is null)
        {
            return NotFound();
        }
        if (!CanAssign(viewer) || (ClientAccess.NeedsReason(viewer, client) && !ClientAccess.IsReason(Reason)))
        {
            return BadRequest();
        }
        var clinicians = await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct);
        if (!clinicians.Any(c => c.Id == clinicianId))
        {
            return BadRequest();
        }
        if (!client.Assignments.Any(a => a.ClinicianId == clinicianId))
        {
            client.Assignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = clinicianId, AssignedAt = time.GetUtcNow() });
            audit.Record(viewer.PracticeId, viewer.UserId, AuditActions.ClientAssign, "client", client.Id, client.Id, Detail($"clinician={clinicianId:N}"));
            await db.SaveChangesAsync(ct);
        }
        return Redirect($"/Clients/{client.Id}{Query}");
    }

    private string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    private string Detail(string detail) => ClientAccess.IsReason(Reason) ? $"{detail};reason={Reason}" : detail;

    private static bool CanAssign(Viewer viewer) => viewer.IsOwner || viewer.IsStaff;

    private static IEnumerable<Category> Writable(Viewer viewer) =>
        Categories.All.Where(c => c != Category.PsychotherapyNotes || viewer.IsClinical);

    private async Task<(Viewer Viewer, Client? Client)> FindAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var client = await ClientAccess.Visible(db, viewer).Include(c => c.Guardians).Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        return (viewer, client);
    }

    private async Task<IActionResult> ShowAsync(Viewer viewer, Client client, CancellationToken ct)
    {
        ClientId = client.Id;
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        Name = await cipher.DecryptStringAsync(ClientAccess.ClientName(client), client.NameCipher, ct);
        DateOfBirth = client.DateOfBirth;
        IsMinor = client.IsMinorOn(Today);
        foreach (var g in client.Guardians)
        {
            var name = await cipher.DecryptStringAsync(ClientAccess.GuardianName(client, g), g.NameCipher, ct);
            Guardians.Add($"{name} ({g.Relationship switch { GuardianRelationship.Parent => "parent", GuardianRelationship.LegalGuardian => "legal guardian", GuardianRelationship.Other => "other" }})");
        }
        var staff = await db.Users.Where(u => u.PracticeId == viewer.PracticeId).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        AssignedClinicians.AddRange(client.Assignments.Select(a => staff.GetValueOrDefault(a.ClinicianId, "(unknown)")).Order(StringComparer.Ordinal));
        if (CanAssign(viewer))
        {
            var clinicians = await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct);
            AssignableClinicians.AddRange(clinicians.Where(c => !client.Assignments.Any(a => a.ClinicianId == c.Id)));
        }
        var items = await db.RecordItems.AsNoTracking()
            .Where(r => r.ClientId == client.Id && (r.Category != Category.PsychotherapyNotes || r.AuthorId == viewer.UserId))
            .OrderByDescending(r => r.Date)
            .ThenByDescending(r => r.CreatedAt)
            .Select(r => new { r.Id, r.Date, r.Category, r.AuthorId })
            .ToListAsync(ct);
        Items.AddRange(items.Select(r => new ItemRow(r.Id, r.Date, r.Category, staff.GetValueOrDefault(r.AuthorId, "(unknown)"))));
        WritableCategories.AddRange(Writable(viewer));
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
        CanDraftReleases = viewer.IsClinical && !ClientAccess.NeedsReason(viewer, client);
        if (CanDraftReleases)
        {
            Releases.AddRange(await db.Releases.AsNoTracking().Where(r => r.ClientId == client.Id).OrderByDescending(r => r.CreatedAt).Take(RequestRows * 2).ToListAsync(ct));
        }
        audit.Record(viewer.PracticeId, viewer.UserId, AuditActions.ClientView, "client", client.Id, client.Id, Detail($"items={Items.Count}"));
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
