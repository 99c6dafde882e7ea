using Confide.Core.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Audit;

/// <summary>
/// Seals new audit entries into their practice's hash chain when they are saved (sequence number,
/// previous hash, hash), and is the entity-level face of the chain arithmetic, which lives in Core's
/// <see cref="AuditChain"/> (no I/O) alone. Reading a stored chain back is <see cref="AuditChainReader"/>.
/// </summary>
public static class AuditSealer
{
    // pg_advisory_xact_lock(int, int): the first key names this lock space ("CfAu"), the second the practice.
    private const int AdvisoryLockSpace = 0x43664175;

    /// <summary>The previous hash of a practice's first entry.</summary>
    public static byte[] Genesis { get; } = AuditChain.Genesis.ToArray();

    /// <summary>
    /// Assigns sequence numbers, previous hashes and hashes to new entries, after the practice's last
    /// saved entry. Runs inside the save's transaction. Writers of one practice queue: on PostgreSQL
    /// behind a per-practice advisory lock held until the transaction ends (taken in practice order,
    /// so two multi-practice saves cannot deadlock), on SQLite behind the immediate transaction's
    /// write lock. Each therefore reads the tail only after the previous writer committed: no fork, no
    /// gap, no failed save. The unique (PracticeId, Sequence) index stays the backstop.
    /// </summary>
    internal static async Task SealAsync(ConfideDbContext db, List<AuditEntry> pending, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        foreach (var group in pending.GroupBy(e => e.PracticeId).OrderBy(g => g.Key))
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockSpace}, {LockKey(group.Key)})", ct)
                    .ConfigureAwait(false);
            }
            var tail = await db.AuditEntries.AsNoTracking()
                .Where(e => e.PracticeId == group.Key)
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(ct)
                .ConfigureAwait(false);
            var sequence = tail?.Sequence ?? 0;
            var prev = tail?.Hash ?? Genesis;
            foreach (var entry in group)
            {
                // Whole microseconds: PostgreSQL keeps no finer time, and the hash must survive the round trip.
                entry.At = entry.At.AddTicks(-(entry.At.UtcTicks % TimeSpan.TicksPerMicrosecond));
                entry.Sequence = ++sequence;
                entry.Format = AuditChain.CurrentFormat;
                entry.PrevHash = prev;
                entry.Hash = ComputeHash(entry);
                prev = entry.Hash;
            }
        }
    }

    /// <summary>The entry's hash from its fields, sequence and previous hash (<see cref="AuditChain.ComputeHash(in AuditRecord)"/>).</summary>
    public static byte[] ComputeHash(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return AuditChain.ComputeHash(e.ToRecord());
    }

    /// <summary>True when the entries (one practice's, in sequence order) form an unbroken chain from the genesis.</summary>
    public static bool Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return AuditChain.Verify(entries.Select(e => e.ToRecord()));
    }

    /// <summary>The entry as the chain sees it (borrows its strings and arrays).</summary>
    public static AuditRecord ToRecord(this AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AuditRecord(e.PracticeId, e.Sequence, e.At, e.ActorUserId, e.Action, e.TargetType, e.TargetId, e.ClientId, e.Detail, e.PrevHash, e.Hash, e.Format);
    }

    private static int LockKey(Guid practiceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        practiceId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes) ^ BitConverter.ToInt32(bytes[4..]) ^ BitConverter.ToInt32(bytes[8..]) ^ BitConverter.ToInt32(bytes[12..]);
    }
}
