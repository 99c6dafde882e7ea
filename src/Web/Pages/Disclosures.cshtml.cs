using System.Text;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Disclosures;
using Confide.Documents;
using Confide.Documents.Pdf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>
/// The practice's disclosure log: every disclosure recorded, those a client's accounting leaves out
/// included, on the page, as PDF and as CSV. For the owner and staff (records custodians); clients
/// are named by identifier; a shredded client's entries keep their dates and basis, their content
/// destroyed. Decrypted through ClientContent (the disclosure-log purpose). Every view and export is audited.
/// </summary>
public sealed class DisclosuresModel(ConfideDbContext db, DisclosureLog log, IAuditTrail audit, PracticeClock clock) : PageModel
{
    /// <summary>Entries on one page of the log (the exports hold every entry).</summary>
    public const int PageSize = 100;

    public IReadOnlyList<StoredDisclosure> All { get; private set; } = [];

    /// <summary>1-based.</summary>
    public int PageNumber { get; private set; } = 1;

    public bool HasNext { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? format, int? p, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (!viewer.IsOwner && !viewer.IsStaff)
        {
            return NotFound();
        }
        if (format is not (null or "csv" or "pdf"))
        {
            return NotFound();
        }
        if (format is null)
        {
            PageNumber = Math.Clamp(p ?? 1, 1, 100_000);
            var page = await log.ReadPracticeAsync(viewer.Reader, (PageNumber - 1) * PageSize, PageSize + 1, ct);
            HasNext = page.Count > PageSize;
            All = page.Take(PageSize).ToList();
        }
        else
        {
            All = await log.ReadPracticeAsync(viewer.Reader, 0, null, ct);
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.PracticeAccountingExported(viewer.PracticeId, format, All.Count));
        await db.SaveChangesAsync(ct);
        if (format is null)
        {
            return Page();
        }
        var today = await clock.TodayAsync(viewer.PracticeId, ct);
        var lines = All.Select(s => new AccountingLine(s.Entry, s.Row.ClientId.ToString("D"), s.DisclosedBy, s.Sha256Hex)).ToList();
        var stem = $"disclosure-log-{today:yyyy-MM-dd}";
        if (format == "csv")
        {
            return File(Encoding.UTF8.GetBytes(AccountingReport.Csv(lines)), "text/csv; charset=utf-8", stem + ".csv");
        }
        var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == viewer.PracticeId, ct);
        return File(new PdfRenderer(PaperSize.Letter).Render(AccountingReport.PracticeLog(practice.Name, today, lines)), "application/pdf", stem + ".pdf");
    }
}
