using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>
/// The signed-in user's calendar feed: create (or replace) its secret address, shown once, or stop
/// it. Only the token's SHA-256 is kept, so a lost address cannot be shown again, only replaced.
/// </summary>
public sealed class CalendarModel(ConfideDbContext db, IAuditTrail audit, TimeProvider time) : PageModel
{
    public DateTimeOffset? CreatedAt { get; private set; }

    /// <summary>The feed's address, right after it was created; never again.</summary>
    public string? NewUrl { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        CreatedAt = await db.CalendarFeeds.Where(f => f.UserId == viewer.UserId).Select(f => (DateTimeOffset?)f.CreatedAt).FirstOrDefaultAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var (token, hash) = CalendarFeeds.NewToken();
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == viewer.UserId, ct);
        var now = time.GetUtcNow();
        if (feed is null)
        {
            db.CalendarFeeds.Add(new CalendarFeed { UserId = viewer.UserId, TokenHash = hash, CreatedAt = now });
        }
        else
        {
            feed.TokenHash = hash;
            feed.CreatedAt = now;
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.CalendarFeedCreated(viewer.UserId, replaced: feed is not null));
        await db.SaveChangesAsync(ct);
        CreatedAt = now;
        NewUrl = $"{Request.Scheme}://{Request.Host}{CalendarFeeds.Path}?token={token}";
        return Page();
    }

    public async Task<IActionResult> OnPostStopAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == viewer.UserId, ct);
        if (feed is not null)
        {
            db.CalendarFeeds.Remove(feed);
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.CalendarFeedRevoked(viewer.UserId));
            await db.SaveChangesAsync(ct);
        }
        return Redirect("/Calendar");
    }
}
