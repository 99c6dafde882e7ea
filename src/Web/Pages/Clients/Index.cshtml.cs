using Confide.Data.Crypto;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Web.Features.Clients;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>The clients the viewer may see (audited: the list shows names). Names are decrypted here, so they sort in memory.</summary>
public sealed class IndexModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, PracticeClock clock) : PageModel
{
    public List<ClientRow> Rows { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var clients = await ClientAccess.Visible(db, viewer).AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(ct);
        var today = await clock.TodayAsync(viewer.PracticeId, ct);
        var decisions = await content.OpenListAsync(viewer.Reader, clients.Select(c => c.Id), ct);
        foreach (var c in clients)
        {
            var decision = decisions[c.Id];
            var name = decision.Granted ? await content.ReadStringAsync(decision.Grant!, EncryptedFields.ClientName(c), c.NameCipher, ct) : Destroyed;
            Rows.Add(new ClientRow(c.Id, name, c.DateOfBirth, c.IsMinorOn(today)));
        }
        Rows.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ClientsListed(viewer.PracticeId, Rows.Count));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What a list shows in place of a shredded client's name.</summary>
    public const string Destroyed = "(content destroyed)";

    public sealed record ClientRow(Guid Id, string Name, DateOnly DateOfBirth, bool IsMinor);
}
