using Confide.Data.Crypto;
using System.Text;
using Confide.Core.Disclosure;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Disclosures;
using Confide.Documents;
using Confide.Documents.Pdf;
using Confide.Web.Features.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>
/// A client's accounting of disclosures (45 C.F.R. § 164.528: Core's <see cref="Accounting.ForClient"/>
/// over the recorded disclosures, the six years before today) on the page, as PDF and as CSV, and the
/// client's full disclosure history for the practice. Every view and export is audited.
/// </summary>
public sealed class AccountingModel(ConfideDbContext db, ClientContent content, DisclosureLog log, IAuditTrail audit, PracticeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public Guid ClientId { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly Today { get; private set; }
    public IReadOnlyList<StoredDisclosure> All { get; private set; } = [];
    public HashSet<Guid> InAccounting { get; } = [];

    public string Amp => Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}";

    public async Task<IActionResult> OnGetAsync(Guid id, string? format, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        // The client's record rule (ClientContent): a staff member's reason, a clinician's assignment or
        // break-glass; the client's page asks a staff member's reason and says when the content was destroyed.
        var decision = await content.OpenAsync(viewer.Reader, id, ContentPurpose.Record, Reason, ct);
        if (decision.Outcome is AccessOutcome.NotFound or AccessOutcome.NeedsBreakGlass)
        {
            return NotFound(); // an unassigned clinician breaks glass on the client's page, not here: this page tells nothing
        }
        if (decision.Grant is not { } grant)
        {
            return Redirect($"/Clients/{id}");
        }
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == id, ct);
        if (format is not (null or "csv" or "pdf"))
        {
            return NotFound();
        }
        ClientId = client.Id;
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        Name = await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct);
        All = await log.ReadAsync(grant, ct);
        var accounting = Accounting.ForClient(All.Select(s => s.Entry), Today);
        InAccounting.UnionWith(accounting.Select(e => e.Id));
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.AccountingExported(client.Id, format, accounting.Count, grant));
        await db.SaveChangesAsync(ct);
        if (format is null)
        {
            return Page();
        }
        var lines = All.Where(s => InAccounting.Contains(s.Entry.Id)).Select(s => new AccountingLine(s.Entry, s.Row.ClientId.ToString("D"), s.DisclosedBy, s.Sha256Hex)).ToList();
        var stem = $"accounting-{Today:yyyy-MM-dd}";
        if (format == "csv")
        {
            return File(Encoding.UTF8.GetBytes(AccountingReport.Csv(lines)), "text/csv; charset=utf-8", stem + ".csv");
        }
        var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == viewer.PracticeId, ct);
        return File(new PdfRenderer(PaperSize.Letter).Render(AccountingReport.ClientAccounting(practice.Name, Name, Today, lines)), "application/pdf", stem + ".pdf");
    }
}
