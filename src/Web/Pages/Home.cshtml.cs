using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>
/// The practice's home: what is due this week (overdue included), requests by outcome over the last
/// 12 months as a server-rendered SVG chart, and recent activity from the audit table (identifiers
/// and actions only). Scoped like the queue: a clinician sees their clients' requests and activity.
/// Every query is bounded (a page of rows, or a count grouped in the database).
/// </summary>
public sealed class HomeModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, PracticeClock clock) : PageModel
{
    public const int DueRows = 20;
    public const int ActivityRows = 20;

    public DateOnly Today { get; private set; }

    /// <summary>The practice's time zone: activity times are shown in it.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public DateOnly ChartFrom { get; private set; }
    public List<DueRow> Due { get; } = [];
    public bool MoreDue { get; private set; }
    public Dictionary<Outcome, int> ByOutcome { get; } = [];
    public List<ActivityRow> Activity { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        Today = await clock.TodayAsync(viewer.PracticeId, ct);
        Zone = await clock.ZoneAsync(viewer.PracticeId, ct);
        var weekEnd = Today.AddDays(7);
        var visible = RequestAccess.Visible(db, viewer).AsNoTracking();

        var due = await visible.Open()
            .Where(r => (r.ObjectBy ?? r.RespondBy) != null && (r.ObjectBy ?? r.RespondBy) <= weekEnd)
            .OrderBy(r => r.ObjectBy ?? r.RespondBy)
            .ThenBy(r => r.Id)
            .Take(DueRows + 1)
            .Select(r => new { r.Id, r.PracticeId, r.ClientId, r.RespondBy, r.ObjectBy, r.Status, r.Outcome, Client = db.Clients.Where(c => c.Id == r.ClientId).Select(c => c.NameCipher).First() })
            .ToListAsync(ct);
        MoreDue = due.Count > DueRows;
        var decisions = await content.OpenListAsync(viewer.Reader, due.Select(r => r.ClientId), ct);
        foreach (var r in due.Take(DueRows))
        {
            var decision = decisions[r.ClientId];
            var name = decision.Granted ? await content.ReadStringAsync(decision.Grant!, EncryptedFields.ClientName(r.PracticeId, r.ClientId), r.Client, ct) : Clients.IndexModel.Destroyed;
            var first = RequestAccess.FirstDeadline(r.ObjectBy, r.RespondBy)!.Value;
            Due.Add(new DueRow(r.Id, name, first, r.ObjectBy == first, r.Outcome, RequestAccess.Mark(first, open: true, Today)));
        }

        var from = ChartFrom = Today.AddMonths(-12);
        var counts = await visible.Where(r => r.ReceivedOn > from).GroupBy(r => r.Outcome).Select(g => new { Outcome = g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            ByOutcome[outcome] = counts.Where(c => c.Outcome == outcome).Sum(c => c.Count);
        }

        var entries = db.AuditEntries.AsNoTracking().Where(e => e.PracticeId == viewer.PracticeId);
        if (!viewer.IsOwner && !viewer.IsStaff)
        {
            entries = entries.Where(e => e.ActorUserId == viewer.UserId || (e.ClientId != null && db.ClientAssignments.Any(a => a.ClientId == e.ClientId && a.ClinicianId == viewer.UserId)));
        }
        var recent = await entries
            .OrderByDescending(e => e.Sequence)
            .Take(ActivityRows)
            .Select(e => new { e.At, e.ActorUserId, e.Action, e.TargetType, e.TargetId, Actor = db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        Activity.AddRange(recent.Select(e => new ActivityRow(e.At, e.Actor ?? "(system)", e.Action, e.TargetType, e.TargetId)));

        if (viewer.IsOwner)
        {
            await BreakGlassesAsync(viewer, ct);
            await RechecksAsync(viewer, ct);
        }

        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.HomeViewed(viewer.PracticeId, Due.Count, Activity.Count));
        await db.SaveChangesAsync(ct);
    }

    public const int BreakGlassRows = 20;

    public List<BreakGlassRow> BreakGlasses { get; } = [];

    /// <summary>
    /// The owner's list of break-glass openings not yet acknowledged: who, which client, when, until
    /// when, the reason code and the typed reason (decrypted through <see cref="ClientContent"/>).
    /// </summary>
    private async Task BreakGlassesAsync(Viewer viewer, CancellationToken ct)
    {
        var rows = await db.BreakGlasses.AsNoTracking()
            .Where(g => g.PracticeId == viewer.PracticeId && g.AcknowledgedAt == null)
            .OrderByDescending(g => g.OpenedAt)
            .Take(BreakGlassRows)
            .Select(g => new { Glass = g, User = db.Users.Where(u => u.Id == g.UserId).Select(u => u.DisplayName).FirstOrDefault(), Name = db.Clients.Where(c => c.Id == g.ClientId).Select(c => c.NameCipher).First() })
            .ToListAsync(ct);
        foreach (var r in rows)
        {
            var g = r.Glass;
            var decision = await content.OpenAsync(viewer.Reader, g.ClientId, ContentPurpose.Record, null, ct);
            string name = Clients.IndexModel.Destroyed, reason = Clients.IndexModel.Destroyed;
            if (decision.Grant is { } grant)
            {
                name = await content.ReadStringAsync(grant, EncryptedFields.ClientName(g.PracticeId, g.ClientId), r.Name, ct);
                reason = await content.ReadStringAsync(grant, EncryptedFields.BreakGlassReason(g), g.ReasonCipher, ct);
            }
            BreakGlasses.Add(new BreakGlassRow(g.ClientId, name, r.User ?? "(unknown)", g.Scope, g.ReasonCode, reason, g.OpenedAt, g.ExpiresAt));
        }
    }

    public const int RecheckRows = 20;

    public List<RecheckRow> Rechecks { get; } = [];

    /// <summary>The owner's list of open requests flagged "re-check needed" (a release they relied on was revoked, expired or altered), newest first, with why.</summary>
    private async Task RechecksAsync(Viewer viewer, CancellationToken ct)
    {
        var rows = await RequestAccess.Visible(db, viewer).AsNoTracking()
            .Open()
            .Where(r => r.RecheckSince != null)
            .OrderByDescending(r => r.RecheckSince)
            .ThenBy(r => r.Id)
            .Take(RecheckRows)
            .Select(r => new { r.Id, r.PracticeId, r.ClientId, r.RecheckReason, r.RecheckSince, Client = db.Clients.Where(c => c.Id == r.ClientId).Select(c => c.NameCipher).First() })
            .ToListAsync(ct);
        var decisions = await content.OpenListAsync(viewer.Reader, rows.Select(r => r.ClientId), ct);
        foreach (var r in rows)
        {
            var decision = decisions[r.ClientId];
            var name = decision.Granted ? await content.ReadStringAsync(decision.Grant!, EncryptedFields.ClientName(r.PracticeId, r.ClientId), r.Client, ct) : Clients.IndexModel.Destroyed;
            Rechecks.Add(new RecheckRow(r.Id, name, r.RecheckReason ?? "", r.RecheckSince!.Value));
        }
    }

    public sealed record RecheckRow(Guid Id, string ClientName, string Reason, DateTimeOffset Since);

    public sealed record BreakGlassRow(Guid ClientId, string ClientName, string User, Data.Entities.BreakGlassScope Scope, string ReasonCode, string Reason, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt);

    /// <summary>A link for an audit entry's target, when it is a page the viewer can open.</summary>
    public static string? Link(ActivityRow row) =>
        row.TargetType switch
        {
            "request" when Guid.TryParseExact(row.TargetId, "N", out var id) => $"/Requests/{id}",
            "client" when Guid.TryParseExact(row.TargetId, "N", out var id) => $"/Clients/{id}",
            _ => null,
        };

    /// <summary>A request due this week: its first deadline (<paramref name="Objection"/> when that is the written objection's, not the response's).</summary>
    public sealed record DueRow(Guid Id, string ClientName, DateOnly RespondBy, bool Objection, Outcome Outcome, DeadlineMark Mark);

    public sealed record ActivityRow(DateTimeOffset At, string Actor, string Action, string TargetType, string TargetId);
}
