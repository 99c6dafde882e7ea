using Confide.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Audit;

/// <summary>
/// Reads the stored audit chains back for verification, without changing anything: the practices that
/// have a chain, and one practice's entries streamed in sequence order, a page at a time, through
/// Core's <see cref="AuditChainVerifier"/>. Never loads a whole chain.
/// </summary>
public static class AuditChainReader
{
    /// <summary>Entries read per query.</summary>
    public const int PageSize = 10_000;

    /// <summary>
    /// Every practice with a practice row or an audit entry, in identifier order. On PostgreSQL under
    /// a role that row-level security holds (the owner included: the tables are FORCEd), entries are
    /// visible only per practice, so a chain whose practice row was deleted is found only by a
    /// superuser or BYPASSRLS connection.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> PracticeIdsAsync(ConfideDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = new HashSet<Guid>(await db.Practices.AsNoTracking().Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false));
        // Entries whose practice row is gone (foreign keys switched off) still have a chain to check.
        ids.UnionWith(await db.AuditEntries.AsNoTracking().Select(e => e.PracticeId).Distinct().ToListAsync(ct).ConfigureAwait(false));
        return [.. ids.Order()];
    }

    /// <summary>
    /// Streams one practice's entries through <paramref name="verifier"/> (a new one per practice, with
    /// the practice's checkpoint if there is one) and returns its outcome. Stops reading as soon as the
    /// verifier has decided. Scopes <paramref name="db"/> to the practice (row-level security shows
    /// each chain only to its own practice's setting, so one connection checks every chain in turn).
    /// </summary>
    public static async Task<AuditChainResult> VerifyAsync(ConfideDbContext db, Guid practiceId, AuditChainVerifier verifier, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verifier);
        db.Scope.Use(practiceId);
        var from = long.MinValue;
        var seenAtFrom = 0; // entries numbered `from` already read: the next page starts with them again
        while (true)
        {
            var take = PageSize + seenAtFrom;
            var skip = seenAtFrom;
            var read = 0;
            await foreach (var entry in Page(db, practiceId, from, take).AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
            {
                read++;
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                if (entry.Sequence == from)
                {
                    seenAtFrom++;
                }
                else
                {
                    from = entry.Sequence;
                    seenAtFrom = 1;
                }
                if (!verifier.Add(entry))
                {
                    return verifier.Complete();
                }
            }
            if (read < take)
            {
                return verifier.Complete();
            }
        }
    }

    // Sequence order, then Id, so that even duplicated sequence numbers (possible only if the unique
    // index was dropped) come in a stable order and are all seen. (Not an EF compiled query: one of
    // those is bound to the first model it meets, and a process may open both providers.)
    private static IQueryable<AuditRecord> Page(ConfideDbContext db, Guid practiceId, long from, int take) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.PracticeId == practiceId && e.Sequence >= from)
            .OrderBy(e => e.Sequence)
            .ThenBy(e => e.Id)
            .Take(take)
            .Select(e => new AuditRecord(
                e.PracticeId,
                e.Sequence,
                e.At,
                e.ActorUserId,
                e.Action,
                e.TargetType,
                e.TargetId,
                e.ClientId,
                e.Detail,
                e.PrevHash,
                e.Hash,
                e.Format
            ));
}
