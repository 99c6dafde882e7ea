using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// The queue: the viewer's requests, open ones first by deadline (no deadline last), overdue and
/// due-within-3-days marked against today's date from the injected clock. Paged in the database
/// (25 a page, on the (practice, status, respond-by) index); only the page's client names are
/// decrypted. Audited as a list view (counts only).
/// </summary>
public sealed class RequestQueueModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, PracticeClock clock) : PageModel
{
    /// <summary><c>open</c> (the default), <c>done</c> (responded or closed) or <c>all</c>.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string Show { get; set; } = "open";

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public DateOnly Today { get; private set; }
    public bool HasNext { get; private set; }
    public List<Row> Rows { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        PageNumber = Math.Max(1, PageNumber);
        var query = RequestAccess.Visible(db, viewer).AsNoTracking();
        query = Show switch
        {
            "all" => query,
            "done" => query.Done(),
            _ => query.Open(),
        };
        if (Show is not ("all" or "done"))
        {
            Show = "open";
        }
        var page = await query
            // The first deadline: an objection's is never after the response's (RecordRequest.ObjectBy).
            .OrderBy(r => (r.ObjectBy ?? r.RespondBy) == null)
            .ThenBy(r => r.ObjectBy ?? r.RespondBy)
            .ThenBy(r => r.ReceivedOn)
            .ThenBy(r => r.Id)
            .Skip((PageNumber - 1) * RequestAccess.PageSize)
            .Take(RequestAccess.PageSize + 1)
            .Select(r => new { r.Id, r.ClientId, r.PracticeId, r.ReceivedOn, r.RespondBy, r.ObjectBy, r.Status, r.Outcome, r.RecheckReason, Client = db.Clients.Where(c => c.Id == r.ClientId).Select(c => c.NameCipher).First() })
            .ToListAsync(ct);
        HasNext = page.Count > RequestAccess.PageSize;
        var decisions = await content.OpenListAsync(viewer.Reader, page.Select(r => r.ClientId), ct);
        foreach (var r in page.Take(RequestAccess.PageSize))
        {
            var decision = decisions[r.ClientId];
            var name = decision.Granted ? await content.ReadStringAsync(decision.Grant!, EncryptedFields.ClientName(r.PracticeId, r.ClientId), r.Client, ct) : Clients.IndexModel.Destroyed;
            var open = r.Status is RequestStatus.Received or RequestStatus.UnderReview;
            Rows.Add(new Row(r.Id, r.ClientId, name, r.ReceivedOn, r.RespondBy, r.ObjectBy, r.Status, r.Outcome, RequestAccess.Mark(RequestAccess.FirstDeadline(r.ObjectBy, r.RespondBy), open, Today)) { RecheckReason = r.RecheckReason });
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RequestsListed(viewer.PracticeId, Show, PageNumber, Rows.Count));
        await db.SaveChangesAsync(ct);
    }

    public sealed record Row(Guid Id, Guid ClientId, string ClientName, DateOnly ReceivedOn, DateOnly? RespondBy, DateOnly? ObjectBy, RequestStatus Status, Outcome Outcome, DeadlineMark Mark)
    {
        /// <summary>Why the request needs a re-check before anything is disclosed (consent no longer holds), or null.</summary>
        public string? RecheckReason { get; init; }
    }
}
