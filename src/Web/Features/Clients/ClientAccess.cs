using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Clients;

/// <summary>
/// Who sees which client: the owner sees every client of the practice; a clinician sees the
/// clients assigned to them; staff (records custodians) see the list, and open a client's records
/// only after stating a reason from a fixed list. Reasons are codes, never free text, so the audit
/// entry that stores one holds no client content. Whether a client's content may be read is decided
/// by <see cref="ClientContent"/> (the one authorization point); this class holds the list filter
/// and the field names.
/// </summary>
internal static class ClientAccess
{
    public static IReadOnlyList<(string Code, string Label)> Reasons => ClientContent.StaffReasons;

    public static bool IsReason(string? code) => ClientContent.IsStaffReason(code);

    /// <summary>The clients <paramref name="viewer"/> may find at all (others are a 404).</summary>
    public static IQueryable<Client> Visible(ConfideDbContext db, Viewer viewer)
    {
        var clients = db.Clients.Where(c => c.PracticeId == viewer.PracticeId);
        return viewer.IsOwner || viewer.IsStaff ? clients : clients.Where(c => c.Assignments.Any(a => a.ClinicianId == viewer.UserId));
    }


    /// <summary>The practice's clinicians (id, display name), by name.</summary>
    public static async Task<List<(Guid Id, string Name)>> CliniciansAsync(ConfideDbContext db, Guid practiceId, CancellationToken ct)
    {
        var role = Roles.Clinician.ToUpperInvariant();
        var rows = await db.Users
            .Where(u => u.PracticeId == practiceId && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)))
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName })
            .ToListAsync(ct);
        return rows.Select(r => (r.Id, r.DisplayName)).ToList();
    }
}
