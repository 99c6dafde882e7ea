using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Confide.Core.Audit;

/// <summary>
/// The audit hash chain's arithmetic, in one place (no I/O): each entry's hash is SHA-256 over its
/// canonical fields and the previous entry's hash, one chain per practice, starting from
/// <see cref="Genesis"/>. The data layer seals entries with it; <see cref="AuditChainVerifier"/>
/// checks them.
/// </summary>
/// <remarks>
/// Canonical form (version 1): the domain tag <c>confide-audit-v1</c>, then each field as a 4-byte
/// big-endian length and its UTF-8 bytes (identifiers in "N" form, an absent identifier or detail
/// as the empty string, the sequence and the time as invariant decimal, the time in UTC ticks), in
/// the order practice, sequence, time, actor, action, target type, target id, client, detail; then
/// the previous hash's raw bytes. The tag keeps these hashes apart from every other SHA-256 use.
/// </remarks>
public static class AuditChain
{
    /// <summary>The size of an entry hash (SHA-256).</summary>
    public const int HashSize = 32;

    /// <summary>The domain tag that starts every entry's canonical form.</summary>
    public const string DomainTag = "confide-audit-v1";

    private const int StackBuffer = 1024;

    // 4-byte length prefixes of the ten fields, the tag, three identifiers in "N" form (practice,
    // actor, client: 32 bytes each) and two longs (at most 20 characters each).
    private const int FixedBytes = (10 * 4) + 16 + (3 * 32) + (2 * 20);

    private static readonly byte[] GenesisHash = new byte[HashSize];

    /// <summary>The previous hash of a practice's first entry: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisHash;

    /// <summary>The hash of <paramref name="entry"/> from its own fields, sequence and previous hash.</summary>
    public static byte[] ComputeHash(in AuditRecord entry)
    {
        var hash = new byte[HashSize];
        ComputeHash(entry, entry.Sequence, entry.PrevHash, hash);
        return hash;
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> (32 bytes) the hash <paramref name="entry"/>'s
    /// fields would have at <paramref name="sequence"/> after <paramref name="prevHash"/>. Allocates
    /// nothing for ordinary entries (the canonical bytes are built on the stack).
    /// </summary>
    public static void ComputeHash(in AuditRecord entry, long sequence, ReadOnlySpan<byte> prevHash, Span<byte> destination)
    {
        var utf8 = Encoding.UTF8;
        var max =
            FixedBytes
            + utf8.GetMaxByteCount(entry.Action?.Length ?? 0)
            + utf8.GetMaxByteCount(entry.TargetType?.Length ?? 0)
            + utf8.GetMaxByteCount(entry.TargetId?.Length ?? 0)
            + utf8.GetMaxByteCount(entry.Detail?.Length ?? 0)
            + prevHash.Length;
        byte[]? rented = null;
        var buffer = max <= StackBuffer ? stackalloc byte[StackBuffer] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = WriteBytes(buffer, "confide-audit-v1"u8);
            n += WriteGuid(buffer[n..], entry.PracticeId);
            n += WriteLong(buffer[n..], sequence);
            n += WriteLong(buffer[n..], entry.At.UtcTicks);
            n += WriteGuid(buffer[n..], entry.ActorUserId);
            n += WriteString(buffer[n..], entry.Action);
            n += WriteString(buffer[n..], entry.TargetType);
            n += WriteString(buffer[n..], entry.TargetId);
            n += WriteGuid(buffer[n..], entry.ClientId);
            n += WriteString(buffer[n..], entry.Detail);
            prevHash.CopyTo(buffer[n..]);
            n += prevHash.Length;
            SHA256.HashData(buffer[..n], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when <paramref name="entry"/>'s stored hash is the hash of its fields at <paramref name="sequence"/> after <paramref name="prevHash"/>.</summary>
    public static bool HashMatches(in AuditRecord entry, long sequence, ReadOnlySpan<byte> prevHash)
    {
        if (entry.Hash is not { Length: HashSize })
        {
            return false;
        }
        Span<byte> computed = stackalloc byte[HashSize];
        ComputeHash(entry, sequence, prevHash, computed);
        return computed.SequenceEqual(entry.Hash);
    }

    /// <summary>True when the entries (one practice's, in sequence order) form an unbroken chain from the genesis.</summary>
    public static bool Verify(IEnumerable<AuditRecord> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verifier = new AuditChainVerifier();
        foreach (var entry in entries)
        {
            if (!verifier.Add(entry))
            {
                break;
            }
        }
        return verifier.Complete().Intact;
    }

    private static int WriteBytes(Span<byte> buffer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer, value.Length);
        value.CopyTo(buffer[4..]);
        return 4 + value.Length;
    }

    private static int WriteString(Span<byte> buffer, string? value)
    {
        var length = value is null ? 0 : Encoding.UTF8.GetBytes(value, buffer[4..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer, length);
        return 4 + length;
    }

    private static int WriteGuid(Span<byte> buffer, Guid? value)
    {
        var length = 0;
        if (value is { } id && !id.TryFormat(buffer[4..], out length, "N"))
        {
            throw new InvalidOperationException("unreachable: 32 bytes are reserved for an identifier");
        }
        BinaryPrimitives.WriteInt32BigEndian(buffer, length);
        return 4 + length;
    }

    private static int WriteLong(Span<byte> buffer, long value)
    {
        if (!value.TryFormat(buffer[4..], out var length, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("unreachable: 20 bytes are reserved for a number");
        }
        BinaryPrimitives.WriteInt32BigEndian(buffer, length);
        return 4 + length;
    }
}
