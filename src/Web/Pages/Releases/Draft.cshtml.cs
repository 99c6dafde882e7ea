using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Releases;

/// <summary>
/// Drafts a release for a client (owner or the client's clinician). An incomplete release is not
/// stored: every missing 164.508(c) (and, for SUD records, 42 CFR 2.31) element is shown on its
/// field. The client's and practice's names and the practice's address are filled, never typed.
/// </summary>
public sealed class DraftModel(ConfideDbContext db, ClientContent content, ReleaseService releases) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ClientId { get; set; }

    [BindProperty]
    public ReleaseInput Input { get; set; } = new();

    public string ClientName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (client, grant, refusal) = await ClientAsync(Viewer.From(User), ct);
        if (refusal is not null)
        {
            return refusal;
        }
        ClientName = await content.ReadStringAsync(grant!, EncryptedFields.ClientName(client!), client!.NameCipher, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var (client, grant, refusal) = await ClientAsync(viewer, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        ClientName = await content.ReadStringAsync(grant!, EncryptedFields.ClientName(client!), client!.NameCipher, ct);
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == viewer.PracticeId, ct);
        var clinician = await db.Users.AsNoTracking().Where(u => u.Id == viewer.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        var release = Input.ToContent(ClientName, $"{clinician}, {practice.Name}", practice.Address, await releases.TodayAsync(viewer.PracticeId, ct), ModelState);
        if (release is null)
        {
            return Page();
        }
        var row = await releases.CreateAsync(practice.Id, client.Id, release, viewer.UserId, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/Releases/{row.Id}");
    }

    /// <summary>The client and the grant to draft for them, or the refusal: a 404, or (shredded) the client's page that says so.</summary>
    private async Task<(Client? Client, ClientGrant? Grant, IActionResult? Refusal)> ClientAsync(Viewer viewer, CancellationToken ct)
    {
        var decision = await ReleaseAccess.OpenAsync(content, viewer, ClientId, ct);
        if (decision.Outcome == AccessOutcome.Shredded)
        {
            return (null, null, Redirect($"/Clients/{ClientId}"));
        }
        if (decision.Grant is not { } grant)
        {
            return (null, null, NotFound());
        }
        return (await db.Clients.AsNoTracking().FirstAsync(c => c.Id == ClientId, ct), grant, null);
    }
}
