using System.ComponentModel.DataAnnotations;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Clients;

/// <summary>
/// Adds a client (name encrypted), an optional guardian, and an assignment: a clinician who adds a
/// client is assigned; the owner or staff choose a clinician. One save: client, key, audit.
/// </summary>
public sealed class CreateModel(ConfideDbContext db, RecordCipher cipher, IAuditTrail audit, PracticeClock clock, TimeProvider time) : PageModel
{
    [BindProperty]
    public ClientInput Input { get; set; } = new();

    public List<(Guid Id, string Name)> Clinicians { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadCliniciansAsync(Viewer.From(User), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        await LoadCliniciansAsync(viewer, ct);
        var today = await clock.TodayAsync(viewer.PracticeId, ct);
        if (Input.DateOfBirth is { } dob && (dob > today || dob < today.AddYears(-130)))
        {
            ModelState.AddModelError("Input.DateOfBirth", "Enter a date of birth in the past.");
        }
        // A clinician's own new client is theirs; anyone else (owner, staff) chooses from the practice's
        // clinicians, never "me" unless they are one (staff cannot assign themselves a client to read).
        var ownClient = viewer.IsClinician && !viewer.IsOwner;
        Guid? clinician = ownClient ? viewer.UserId : Input.ClinicianId;
        if (!ownClient && clinician is { } id && !Clinicians.Any(c => c.Id == id))
        {
            ModelState.AddModelError("Input.ClinicianId", "Choose a clinician of this practice.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var now = time.GetUtcNow();
        var client = new Client { PracticeId = viewer.PracticeId, NameCipher = [], DateOfBirth = Input.DateOfBirth!.Value, CreatedAt = now };
        client.NameCipher = await cipher.EncryptAsync(EncryptedFields.ClientName(client), Input.Name.Trim(), ct);
        if (!string.IsNullOrWhiteSpace(Input.GuardianName))
        {
            var guardian = new Guardian { ClientId = client.Id, NameCipher = [], Relationship = Input.GuardianRelationship };
            guardian.NameCipher = await cipher.EncryptAsync(EncryptedFields.GuardianName(client, guardian), Input.GuardianName.Trim(), ct);
            client.Guardians.Add(guardian);
        }
        db.Clients.Add(client);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientCreated(client.Id, client.Guardians.Count));
        if (clinician is { } assigned)
        {
            client.Assignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = assigned, AssignedAt = now });
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientAssigned(client.Id, assigned));
        }
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{client.Id}");
    }

    private async Task LoadCliniciansAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.IsClinician && !viewer.IsOwner)
        {
            return; // a clinician's own clients are assigned to them
        }
        Clinicians.AddRange(await ClientAccess.CliniciansAsync(db, viewer.PracticeId, ct));
    }

    public sealed class ClientInput
    {
        [Required, StringLength(200)]
        [Display(Name = "Client's name")]
        public string Name { get; set; } = "";

        [Required]
        [Display(Name = "Date of birth")]
        public DateOnly? DateOfBirth { get; set; }

        [Display(Name = "Assigned clinician")]
        public Guid? ClinicianId { get; set; }

        [StringLength(200)]
        [Display(Name = "Guardian's name")]
        public string? GuardianName { get; set; }

        public GuardianRelationship GuardianRelationship { get; set; }
    }
}
