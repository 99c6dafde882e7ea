using Confide.Data;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Pages.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Releases;

/// <summary>
/// Drafts a release for a client (owner or the client's clinician). An incomplete release is not
/// stored: every missing 164.508(c) (and, for SUD records, 42 CFR 2.31) element is shown on its
/// field. The client's and practice's names and the practice's address are filled, never typed.
/// </summary>
public sealed class DraftModel(ConfideDbContext db, RecordCipher cipher, ReleaseDesk releases) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ClientId { get; set; }

    [BindProperty]
    public ReleaseInput Input { get; set; } = new();

    public string ClientName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await ReleaseAccess.ClientAsync(db, Viewer.From(User), ClientId, ct);
        if (found is null)
        {
            return NotFound();
        }
        ClientName = await cipher.DecryptStringAsync(ClientAccess.ClientName(found), found.NameCipher, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var client = await ReleaseAccess.ClientAsync(db, viewer, ClientId, ct);
        if (client is null)
        {
            return NotFound();
        }
        ClientName = await cipher.DecryptStringAsync(ClientAccess.ClientName(client), client.NameCipher, ct);
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == viewer.PracticeId, ct);
        var clinician = await db.Users.AsNoTracking().Where(u => u.Id == viewer.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        var content = Input.ToContent(ClientName, $"{clinician}, {practice.Name}", practice.Address, await releases.TodayAsync(viewer.PracticeId, ct), ModelState);
        if (content is null)
        {
            return Page();
        }
        var row = await releases.CreateAsync(practice.Id, client.Id, content, viewer.UserId, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/Releases/{row.Id}");
    }
}

/// <summary>Who may work on a client's releases: the owner, or a clinician assigned to the client (others get a 404).</summary>
internal static class ReleaseAccess
{
    public static async Task<Client?> ClientAsync(ConfideDbContext db, Viewer viewer, Guid clientId, CancellationToken ct)
    {
        if (!viewer.IsClinical)
        {
            return null;
        }
        var client = await ClientAccess.Visible(db, viewer).AsNoTracking().Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == clientId, ct);
        return client is null || ClientAccess.NeedsReason(viewer, client) ? null : client;
    }

    public static IQueryable<Release> Visible(ConfideDbContext db, Viewer viewer) =>
        !viewer.IsClinical
            ? db.Releases.Where(_ => false)
            : viewer.IsOwner
                ? db.Releases.Where(r => r.PracticeId == viewer.PracticeId)
                : db.Releases.Where(r => r.PracticeId == viewer.PracticeId && db.ClientAssignments.Any(a => a.ClientId == r.ClientId && a.ClinicianId == viewer.UserId));
}
