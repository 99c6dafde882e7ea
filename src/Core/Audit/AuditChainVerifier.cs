using System.Globalization;

namespace Confide.Core.Audit;

/// <summary>What was done to a chain, as far as the stored entries tell.</summary>
public enum AuditTamper
{
    /// <summary>An entry's fields or hashes were changed (or, at the end, an entry was forged).</summary>
    Modified,

    /// <summary>Entries are missing: a gap in the sequence, or entries removed and the rest renumbered.</summary>
    Deleted,

    /// <summary>Entries that were never appended stand in the chain (the originals were pushed along).</summary>
    Inserted,

    /// <summary>Entries of the chain were moved to other positions.</summary>
    Reordered,

    /// <summary>The chain is shorter than a checkpoint says it was: entries were cut from the end.</summary>
    Truncated,

    /// <summary>The chain no longer has a checkpoint's head hash: entries up to it were rewritten with recomputed hashes.</summary>
    Rewritten,

    /// <summary>A stored row cannot be read as an audit entry at all: a value of the wrong type, NULL where a value is required, bytes that are no id or time.</summary>
    Malformed,
}

/// <summary>The first place where a chain is not what was appended.</summary>
/// <param name="Kind">What kind of tampering.</param>
/// <param name="Sequence">The first entry (sequence number) that is not as appended.</param>
/// <param name="Description">What the stored entries show, in a sentence (sequence numbers only, never content).</param>
public sealed record AuditChainBreak(AuditTamper Kind, long Sequence, string Description);

/// <summary>The outcome of verifying one practice's chain.</summary>
/// <param name="EntriesChecked">How many entries, from the first, are intact.</param>
/// <param name="HeadHash">The hash of the last intact entry (the genesis when there is none).</param>
/// <param name="Break">The first tampering found, or null when the chain (and the checkpoint, if any) holds.</param>
public sealed record AuditChainResult(long EntriesChecked, byte[] HeadHash, AuditChainBreak? Break)
{
    /// <summary>True when nothing was found wrong.</summary>
    public bool Intact => Break is null;
}

/// <summary>
/// Verifies one practice's chain as its entries stream past in sequence order, without holding them:
/// each entry must carry the next sequence number, the previous entry's hash, and the hash of its own
/// canonical fields. At the first entry that does not, it reads on only as far as needed to tell what
/// was done (modified, deleted, inserted, reordered), then stops. With a checkpoint it also checks
/// that the chain still reaches the checkpoint's entry count with the same hash there, which is the
/// only way to notice entries cut from the end.
/// </summary>
/// <remarks>
/// Usage: call <see cref="Add"/> for each entry in sequence order while it returns true, then
/// <see cref="Complete"/>. Holds a fixed amount of memory (the hashes of the last
/// <see cref="Window"/> entries); allocates nothing per intact entry.
/// </remarks>
public sealed class AuditChainVerifier
{
    /// <summary>How far back an insertion is recognised, and how many renumbered deletions are tried.</summary>
    public const int Window = 64;

    private const int H = AuditChain.HashSize;

    // Checkpoints by entry count (ascending); _matched[i] once entry _counts[i] was reached with the checkpoint's hash.
    private readonly long[] _counts;
    private readonly byte[][] _heads;
    private readonly bool[] _matched;
    private int _nextCheckpoint;
    private readonly byte[] _recent = new byte[Window * H]; // hash of position p at slot p % Window; position 0 is the genesis
    private long _count;
    private int _format = AuditChain.FirstFormat;

    // Once an entry fails: that entry, the hash it should have linked to, and what reading on shows.
    private bool _classifying;
    private AuditRecord _bad;
    private long _badPosition;
    private long _position;
    private bool _badBelongsLater;
    private bool _nextLinksToBad;
    private bool _badDowngraded;
    private readonly byte[] _badComputed = new byte[H];

    /// <summary>A verifier of a chain from its first entry.</summary>
    public AuditChainVerifier()
        : this([]) { }

    /// <summary>A verifier that also checks the chain against a checkpoint (entry count and the hash of that entry).</summary>
    public AuditChainVerifier(long checkpointEntryCount, ReadOnlySpan<byte> checkpointHeadHash)
        : this([(checkpointEntryCount, checkpointHeadHash.ToArray())]) { }

    /// <summary>
    /// A verifier that also checks the chain against each checkpoint (entry count and the hash of that
    /// entry): the chain must reach every one with the same hash there.
    /// </summary>
    public AuditChainVerifier(IEnumerable<(long EntryCount, byte[] HeadHash)> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        AuditChain.Genesis.CopyTo(_recent);
        var sorted = checkpoints.OrderBy(c => c.EntryCount).ToArray();
        foreach (var (count, head) in sorted)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            if (head is not { Length: H })
            {
                throw new ArgumentException("a head hash is 32 bytes", nameof(checkpoints));
            }
        }
        _counts = [.. sorted.Select(c => c.EntryCount)];
        _heads = [.. sorted.Select(c => c.HeadHash.ToArray())];
        _matched = new bool[sorted.Length];
    }

    /// <summary>The first tampering found so far, once decided.</summary>
    public AuditChainBreak? Break { get; private set; }

    /// <summary>How many entries, from the first, are intact so far.</summary>
    public long EntriesChecked => _count;

    private Span<byte> Last => Slot(_count);

    /// <summary>Takes the next entry in sequence order. Returns false once the outcome is decided: stop reading then.</summary>
    public bool Add(in AuditRecord entry)
    {
        if (Break is not null)
        {
            return false;
        }
        _position++;
        if (_classifying)
        {
            ReadOn(entry);
            return Break is null;
        }

        var s = _count + 1;
        if (
            entry.Sequence == s
            && entry.Format >= _format
            && entry.PrevHash.AsSpan().SequenceEqual(Last)
            && AuditChain.HashMatches(entry, s, entry.PrevHash)
        )
        {
            entry.Hash.CopyTo(Slot(s));
            _count = s;
            _format = entry.Format;
            while (_nextCheckpoint < _counts.Length && _counts[_nextCheckpoint] == s)
            {
                _matched[_nextCheckpoint] = entry.Hash.AsSpan().SequenceEqual(_heads[_nextCheckpoint]);
                _nextCheckpoint++;
            }
            return true;
        }
        FirstFailure(entry, s);
        return Break is null;
    }

    /// <summary>
    /// Takes a stored row, in its place in sequence order, that cannot be read as an entry
    /// (<paramref name="sequence"/> when its number could be read): the chain breaks there, unless an
    /// earlier entry already failed. Always returns false: stop reading.
    /// </summary>
    /// <param name="sequence">The row's sequence number, or null when that too is unreadable.</param>
    /// <param name="what">What is wrong, naming columns and row ids only (never a value that could hold content).</param>
    public bool AddMalformed(long? sequence, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(what);
        if (Break is not null)
        {
            return false;
        }
        if (_classifying)
        {
            Break = AtEnd();
            return false;
        }
        var numbered = sequence is { } n ? $" (numbered {N(n)})" : "";
        Break = new AuditChainBreak(AuditTamper.Malformed, _count + 1, $"the row after entry {N(_count)}{numbered} cannot be read as an audit entry: {what}");
        return false;
    }

    /// <summary>The outcome, once every entry was added (or <see cref="Add"/> returned false).</summary>
    public AuditChainResult Complete()
    {
        if (Break is null && _classifying)
        {
            Break = AtEnd();
        }
        // The first checkpoint (by entry count) the chain no longer holds.
        for (var i = 0; Break is null && i < _counts.Length; i++)
        {
            var checkpointCount = _counts[i];
            if (_count < checkpointCount)
            {
                Break = new AuditChainBreak(
                    AuditTamper.Truncated,
                    _count + 1,
                    $"the chain ends at entry {N(_count)}, but a checkpoint counted {N(checkpointCount)}: "
                        + $"{Entries(_count + 1, checkpointCount)} cut from the end"
                );
            }
            else if (!_matched[i])
            {
                Break = new AuditChainBreak(
                    AuditTamper.Rewritten,
                    checkpointCount,
                    $"entry {N(checkpointCount)} no longer has the head hash of the checkpoint of {N(checkpointCount)} entries: entries up to it were rewritten and their hashes recomputed"
                );
            }
        }
        return new AuditChainResult(_count, Last.ToArray(), Break);
    }

    private void FirstFailure(in AuditRecord x, long s)
    {
        if (x.Sequence > s)
        {
            Break = new AuditChainBreak(
                AuditTamper.Deleted,
                s,
                $"{Entries(s, x.Sequence - 1)} missing: the entry after {N(s - 1)} is numbered {N(x.Sequence)}"
            );
            return;
        }
        if (x.Sequence < s)
        {
            Break = new AuditChainBreak(
                AuditTamper.Inserted,
                x.Sequence >= 1 ? x.Sequence : s, // a number no entry can have: the place it stands
                $"an entry numbered {N(x.Sequence)} stands where entry {N(s)} belongs (a duplicate or out-of-range sequence number)"
            );
            return;
        }

        // The entry links to an intact entry further back and hashes right just after it: the
        // entries in between were inserted, and this is the original that followed that entry.
        for (var q = s - 2; q >= Math.Max(0, s - Window); q--)
        {
            if (x.PrevHash.AsSpan().SequenceEqual(Slot(q)) && AuditChain.HashMatches(x, q + 1, x.PrevHash))
            {
                Break = new AuditChainBreak(
                    AuditTamper.Inserted,
                    q + 1,
                    $"{Entries(q + 1, s - 1)} inserted: the entry now numbered {N(s)} is the original entry {N(q + 1)}, which follows entry {N(q)}"
                );
                return;
            }
        }

        // Formats only move forward: an entry in an older format after a newer one, self-consistent
        // and linked in place, was written there under the old rules: inserted, or rewritten in place.
        // Read on to tell which.
        if (x.Format < _format && x.PrevHash.AsSpan().SequenceEqual(Last) && AuditChain.HashMatches(x, s, x.PrevHash))
        {
            _badDowngraded = true;
            x.Hash.CopyTo(_badComputed);
            _classifying = true;
            _bad = x;
            _badPosition = _position;
            return;
        }

        // A self-consistent entry at its own number that links to something else: the entry before
        // it was rewritten with a recomputed hash, and this one still links to the original.
        if (AuditChain.HashMatches(x, s, x.PrevHash))
        {
            Break =
                s == 1
                    ? new AuditChainBreak(AuditTamper.Modified, 1, "entry 1 does not start from the genesis: it was replaced")
                    : new AuditChainBreak(
                        AuditTamper.Modified,
                        s - 1,
                        $"entry {N(s - 1)} was changed and its hash recomputed: entry {N(s)} still links to the original"
                    );
            return;
        }

        // Read on to tell a changed entry from an inserted or a moved one.
        AuditChain.TryComputeHash(x, s, x.PrevHash, _badComputed);
        _classifying = true;
        _bad = x;
        _badPosition = _position;
    }

    private void ReadOn(in AuditRecord y)
    {
        var s = _count + 1;
        var distance = _position - _badPosition;
        if (distance == 1)
        {
            if (!_badDowngraded && y.PrevHash.AsSpan().SequenceEqual(_badComputed))
            {
                Break = new AuditChainBreak(
                    AuditTamper.Modified,
                    s,
                    $"entry {N(s)}'s stored hash was replaced: entry {N(s + 1)} still links to the hash of its fields"
                );
                return;
            }
            _nextLinksToBad = y.PrevHash.AsSpan().SequenceEqual(_bad.Hash);
        }
        if (y.Hash.AsSpan().SequenceEqual(_bad.PrevHash))
        {
            _badBelongsLater = true;
        }
        if (y.PrevHash.AsSpan().SequenceEqual(Last) && AuditChain.HashMatches(y, s, y.PrevHash))
        {
            // The original entry s is further on: the failing entry was moved here or inserted.
            Break = _badBelongsLater
                ? new AuditChainBreak(
                    AuditTamper.Reordered,
                    s,
                    $"entries were moved: the entry numbered {N(s)} belongs later in the chain, and the original entry {N(s)} is numbered {N(y.Sequence)}"
                )
                : new AuditChainBreak(
                    AuditTamper.Inserted,
                    s,
                    $"{Entries(s, s + distance - 1)} inserted: the original entry {N(s)} is now numbered {N(y.Sequence)}"
                );
            return;
        }
        if (_nextLinksToBad && distance >= Window)
        {
            Break = InPlace(s);
        }
    }

    /// <summary>
    /// The next entry links to the failing one, and no original of its place came within the window:
    /// it is in its place, so it was changed (or it is a later original renumbered into the place of
    /// deleted ones).
    /// </summary>
    private AuditChainBreak InPlace(long s) =>
        _badDowngraded
            ? new AuditChainBreak(
                AuditTamper.Modified,
                s,
                $"entry {N(s)} is in format {N(_bad.Format)} after entries in format {N(_format)}: it was rewritten (a chain's format never goes back)"
            )
        : Renumbered(s)
        ?? new AuditChainBreak(
            AuditTamper.Modified,
            s,
            $"entry {N(s)} was changed: its stored hash is not the hash of its fields, and entry {N(s + 1)} still links to it"
        );

    /// <summary>The failing entry hashes right a few places further on: entries before it were deleted and the rest renumbered.</summary>
    private AuditChainBreak? Renumbered(long s)
    {
        for (var d = 1; d <= Window; d++)
        {
            if (AuditChain.HashMatches(_bad, s + d, _bad.PrevHash))
            {
                return new AuditChainBreak(
                    AuditTamper.Deleted,
                    s,
                    $"{Entries(s, s + d - 1)} deleted and the later entries renumbered: the entry numbered {N(s)} is the original entry {N(s + d)}"
                );
            }
        }
        return null;
    }

    private AuditChainBreak AtEnd()
    {
        var s = _count + 1;
        if (_nextLinksToBad || _badDowngraded)
        {
            return InPlace(s);
        }
        return Renumbered(s) ?? (_bad.PrevHash.AsSpan().SequenceEqual(Last)
            ? new AuditChainBreak(
                AuditTamper.Modified,
                s,
                $"entry {N(s)} was changed or forged: its stored hash is not the hash of its fields"
            )
            : new AuditChainBreak(
                AuditTamper.Modified,
                s,
                $"entry {N(s)} was changed or forged: it neither links to entry {N(s - 1)} nor hashes to its stored hash"
            ));
    }

    private Span<byte> Slot(long position) => _recent.AsSpan((int)(position % Window) * H, H);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Entries(long first, long last) =>
        first == last ? $"entry {N(first)} is" : $"entries {N(first)} to {N(last)} ({N(last - first + 1)}) are";
}
