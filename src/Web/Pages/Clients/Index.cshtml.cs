using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>The clients the viewer may see (audited: the list shows names). Names are decrypted here, so they sort in memory.</summary>
public sealed class IndexModel(ConfideDbContext db, RecordCipher cipher, AuditTrail audit, PracticeClock clock) : PageModel
{
    public List<ClientRow> Rows { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var clients = await ClientAccess.Visible(db, viewer).AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(ct);
        var today = await clock.TodayAsync(viewer.PracticeId, ct);
        foreach (var c in clients)
        {
            var name = await cipher.DecryptStringAsync(ClientAccess.ClientName(c), c.NameCipher, ct);
            Rows.Add(new ClientRow(c.Id, name, c.DateOfBirth, c.IsMinorOn(today)));
        }
        Rows.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        audit.Record(viewer.PracticeId, viewer.UserId, AuditActions.ClientList, "practice", viewer.PracticeId, null, $"count={Rows.Count}");
        await db.SaveChangesAsync(ct);
    }

    public sealed record ClientRow(Guid Id, string Name, DateOnly DateOfBirth, bool IsMinor);
}
