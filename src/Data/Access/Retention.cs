using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Access;

/// <summary>
/// How long a client's records are kept before they may be deleted (crypto-shredded): configuration
/// <c>Confide:RetentionYears</c> after the later of the client's last record activity and their
/// 18th birthday. The default, 10 years, is a conservative choice of ours, not a legal source: it
/// is longer than the 6 years of HIPAA's documentation rule (45 CFR 164.530(j), UNVERIFIED in our
/// catalog, and about policies rather than clinical records) and than the common 7-year state rules
/// for adults. A practice sets its state's period (docs/operations.md).
/// </summary>
public static class Retention
{
    public const string YearsKey = "Confide:RetentionYears";
    public const int DefaultYears = 10;

    /// <summary>The first day the client may be deleted.</summary>
    public static DateOnly Until(DateOnly lastActivity, DateOnly dateOfBirth, int years) =>
        (lastActivity > dateOfBirth.AddYears(18) ? lastActivity : dateOfBirth.AddYears(18)).AddYears(years);

    /// <summary>The client's last record activity: created, the latest record item (date or entry), the latest request (received or changed).</summary>
    public static async Task<DateOnly> LastActivityAsync(ConfideDbContext db, Guid clientId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var created = await db.Clients.Where(c => c.Id == clientId).Select(c => c.CreatedAt).FirstAsync(ct).ConfigureAwait(false);
        var itemDate = await db.RecordItems.Where(r => r.ClientId == clientId).MaxAsync(r => (DateOnly?)r.Date, ct).ConfigureAwait(false);
        var itemAt = await db.RecordItems.Where(r => r.ClientId == clientId).MaxAsync(r => (DateTimeOffset?)r.CreatedAt, ct).ConfigureAwait(false);
        var received = await db.Requests.Where(r => r.ClientId == clientId).MaxAsync(r => (DateOnly?)r.ReceivedOn, ct).ConfigureAwait(false);
        var changed = await db.Requests.Where(r => r.ClientId == clientId).MaxAsync(r => (DateTimeOffset?)r.UpdatedAt, ct).ConfigureAwait(false);
        DateOnly[] dates =
        [
            Day(created),
            itemDate ?? DateOnly.MinValue,
            itemAt is { } a ? Day(a) : DateOnly.MinValue,
            received ?? DateOnly.MinValue,
            changed is { } c ? Day(c) : DateOnly.MinValue,
        ];
        return dates.Max();
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
