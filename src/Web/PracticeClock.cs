using Confide.Data;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web;

/// <summary>
/// The practice's day. Deadlines, the queue's overdue marks, "due this week" and the dates on
/// documents all follow the practice's time zone (<see cref="Practice.TimeZone"/>), so
/// a California practice's day does not end at 4 p.m. UTC-wise. Scoped: the zone is read once per request.
/// </summary>
public sealed class PracticeClock(ConfideDbContext db, TimeProvider time)
{
    private readonly Dictionary<Guid, TimeZoneInfo> _zones = [];

    public async Task<TimeZoneInfo> ZoneAsync(Guid practiceId, CancellationToken ct)
    {
        if (!_zones.TryGetValue(practiceId, out var zone))
        {
            var id = await db.Practices.Where(p => p.Id == practiceId).Select(p => p.TimeZone).FirstOrDefaultAsync(ct) ?? "UTC";
            zone = Practice.ZoneOf(id);
            _zones[practiceId] = zone;
        }
        return zone;
    }

    /// <summary>Today in the practice's time zone.</summary>
    public async Task<DateOnly> TodayAsync(Guid practiceId, CancellationToken ct) =>
        Practice.DateIn(await ZoneAsync(practiceId, ct), time.GetUtcNow());
}
