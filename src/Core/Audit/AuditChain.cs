using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Confide.Core.Audit;

/// <summary>
/// The audit hash chain's arithmetic, in one place (no I/O): each entry's hash covers its canonical
/// fields and the previous entry's hash, one chain per practice, starting from
/// <see cref="Genesis"/>. The data layer seals entries with it; <see cref="AuditChainVerifier"/>
/// checks them.
/// </summary>
/// <remarks>
/// <para>The canonical fields: a domain tag, then each field as a 4-byte big-endian length and its
/// UTF-8 bytes (identifiers in "N" form, an absent identifier or detail as the empty string, the
/// sequence and the time as invariant decimal, the time in UTC ticks), in the order practice,
/// sequence, time, actor, action, target type, target id, client, detail.</para>
/// <para>Format 2 (<see cref="CurrentFormat"/>, RFC 6962-style domain separation): the entry's leaf
/// hash is <c>SHA-256(0x00 || "confide-audit-v2" fields)</c> and its chain hash (the stored
/// <c>Hash</c>) is <c>SHA-256(0x01 || previous hash || leaf hash)</c>, so an entry's bytes can never
/// be taken for a link or the reverse, and checkpoints sign a message that starts with 0x02
/// (<see cref="AuditCheckpoint.SignedBytes(int, Guid, long, ReadOnlySpan{byte}, DateTimeOffset)"/>).</para>
/// <para>Format 1 (entries sealed before format 2; still verified): one
/// <c>SHA-256("confide-audit-v1" fields || previous hash)</c>. A chain may move from format 1 to 2
/// once, never back.</para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The size of an entry hash (SHA-256).</summary>
    public const int HashSize = 32;

    /// <summary>The format new entries are sealed with.</summary>
    public const int CurrentFormat = 2;

    /// <summary>The first format (no leaf/link separation), still verified for entries sealed with it.</summary>
    public const int FirstFormat = 1;

    /// <summary>The domain tag of format 1's canonical form.</summary>
    public const string DomainTagV1 = "confide-audit-v1";

    /// <summary>The domain tag of format 2's canonical form (inside the leaf hash).</summary>
    public const string DomainTag = "confide-audit-v2";

    /// <summary>The first byte hashed for a leaf (an entry's canonical fields), as RFC 6962 section 2.1.</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The first byte hashed for a link (previous hash, leaf hash), as RFC 6962's interior nodes.</summary>
    public const byte LinkPrefix = 0x01;

    private const int StackBuffer = 1024;

    // The leaf prefix, 4-byte length prefixes of the ten fields, the tag, three identifiers in "N"
    // form (practice, actor, client: 32 bytes each) and two longs (at most 20 characters each); then
    // the link's prefix and the leaf hash (the previous hash is counted apart).
    private const int FixedBytes = 1 + (10 * 4) + 16 + (3 * 32) + (2 * 20) + 1 + HashSize;

    private static readonly byte[] GenesisHash = new byte[HashSize];

    /// <summary>The previous hash of a practice's first entry: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisHash;

    /// <summary>True when <paramref name="format"/> is one this code knows the rules of.</summary>
    public static bool IsKnownFormat(int format) => format is FirstFormat or CurrentFormat;

    /// <summary>The hash of <paramref name="entry"/> from its own fields, sequence, previous hash and format.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The entry's format is not one this code knows.</exception>
    public static byte[] ComputeHash(in AuditRecord entry)
    {
        var hash = new byte[HashSize];
        ComputeHash(entry, entry.Sequence, entry.PrevHash, hash);
        return hash;
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> (32 bytes) the hash <paramref name="entry"/>'s
    /// fields would have at <paramref name="sequence"/> after <paramref name="prevHash"/>, under the
    /// entry's format. Allocates nothing for ordinary entries (the canonical bytes are built on the stack).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The entry's format is not one this code knows.</exception>
    public static void ComputeHash(in AuditRecord entry, long sequence, ReadOnlySpan<byte> prevHash, Span<byte> destination)
    {
        if (!TryComputeHash(entry, sequence, prevHash, destination))
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Format, "unknown audit entry format");
        }
    }

    /// <summary>As <see cref="ComputeHash(in AuditRecord, long, ReadOnlySpan{byte}, Span{byte})"/>; false (nothing written) for an unknown format.</summary>
    public static bool TryComputeHash(in AuditRecord entry, long sequence, ReadOnlySpan<byte> prevHash, Span<byte> destination)
    {
        var v2 = entry.Format == CurrentFormat;
        if (!v2 && entry.Format != FirstFormat)
        {
            return false;
        }
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
            var n = 0;
            if (v2)
            {
                buffer[n++] = LeafPrefix;
            }
            n += WriteBytes(buffer[n..], v2 ? "confide-audit-v2"u8 : "confide-audit-v1"u8);
            n += WriteGuid(buffer[n..], entry.PracticeId);
            n += WriteLong(buffer[n..], sequence);
            n += WriteLong(buffer[n..], entry.At.UtcTicks);
            n += WriteGuid(buffer[n..], entry.ActorUserId);
            n += WriteString(buffer[n..], entry.Action);
            n += WriteString(buffer[n..], entry.TargetType);
            n += WriteString(buffer[n..], entry.TargetId);
            n += WriteGuid(buffer[n..], entry.ClientId);
            n += WriteString(buffer[n..], entry.Detail);
            if (v2)
            {
                // leaf = SHA-256(0x00 || fields), then hash = SHA-256(0x01 || prev || leaf). The leaf goes
                // at the buffer's end of the link (written in place after the previous hash).
                var link = buffer[n..];
                link[0] = LinkPrefix;
                prevHash.CopyTo(link[1..]);
                var leafAt = 1 + prevHash.Length;
                Sha256(buffer[..n], link.Slice(leafAt, HashSize));
                Sha256(link[..(leafAt + HashSize)], destination);
            }
            else
            {
                prevHash.CopyTo(buffer[n..]);
                n += prevHash.Length;
                Sha256(buffer[..n], destination);
            }
            return true;
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
        return TryComputeHash(entry, sequence, prevHash, computed) && computed.SequenceEqual(entry.Hash);
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

    // One reusable SHA-256 context per thread: a million-entry verification would otherwise create
    // and free two native hashing contexts per entry (SHA256.HashData's fixed cost).
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hash = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(data);
        hash.GetHashAndReset(destination);
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
