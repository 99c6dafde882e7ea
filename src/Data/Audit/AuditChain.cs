using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Audit;

/// <summary>
/// The audit hash chain, in one place: each entry's hash is SHA-256 over its canonical fields and
/// the previous entry's hash, per practice. This is the simple chain; signed checkpoints and offline
/// verification harden it later without changing the table.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of a practice's first entry.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>Assigns sequence numbers, previous hashes and hashes to new entries, after the practice's last saved entry.</summary>
    internal static async Task SealAsync(ConfideDbContext db, List<AuditEntry> pending, CancellationToken ct)
    {
        foreach (var group in pending.GroupBy(e => e.PracticeId))
        {
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
                entry.PrevHash = prev;
                entry.Hash = ComputeHash(entry);
                prev = entry.Hash;
            }
        }
    }

    /// <summary>
    /// SHA-256 of the canonical form: a domain tag, then each field as a 4-byte big-endian length
    /// and its UTF-8 bytes (identifiers in "N" form, the time as UTC ticks), then the previous hash.
    /// </summary>
    public static byte[] ComputeHash(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(hash, "confide-audit-v1");
        Field(hash, e.PracticeId.ToString("N"));
        Field(hash, e.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(hash, e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(hash, e.ActorUserId?.ToString("N") ?? "");
        Field(hash, e.Action);
        Field(hash, e.TargetType);
        Field(hash, e.TargetId);
        Field(hash, e.ClientId?.ToString("N") ?? "");
        Field(hash, e.Detail ?? "");
        hash.AppendData(e.PrevHash);
        return hash.GetHashAndReset();
    }

    /// <summary>True when the entries (one practice's, in sequence order) form an unbroken chain from the genesis.</summary>
    public static bool Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var prev = Genesis;
        long sequence = 0;
        foreach (var e in entries)
        {
            if (e.Sequence != ++sequence || !e.PrevHash.AsSpan().SequenceEqual(prev) || !e.Hash.AsSpan().SequenceEqual(ComputeHash(e)))
            {
                return false;
            }
            prev = e.Hash;
        }
        return true;
    }

    private static void Field(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
