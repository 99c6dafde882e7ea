using Confide.Core.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Audit;

/// <summary>A stored checkpoint that cannot be trusted: what is wrong with it (identifiers only).</summary>
/// <param name="Id">The checkpoint row.</param>
/// <param name="EntryCount">The entry count it claims.</param>
/// <param name="Reason">Why it is refused.</param>
public sealed record ForgedCheckpoint(Guid Id, long EntryCount, string Reason);

/// <summary>The outcome of verifying one practice: its chain (against every trusted checkpoint) and the stored checkpoints refused.</summary>
/// <param name="PracticeId">Whose chain.</param>
/// <param name="Chain">The chain's outcome, checked against every stored checkpoint that verifies (and an exported one, if given).</param>
/// <param name="StoredChecked">How many stored checkpoints verified and were checked against the chain.</param>
/// <param name="Forged">Stored checkpoints whose signature does not verify, or that another key signed.</param>
/// <param name="KeyIds">The key ids of the stored checkpoints that verified.</param>
public sealed record PracticeVerification(
    Guid PracticeId,
    AuditChainResult Chain,
    int StoredChecked,
    IReadOnlyList<ForgedCheckpoint> Forged,
    IReadOnlyList<string> KeyIds
)
{
    /// <summary>True when the chain holds and no stored checkpoint is forged.</summary>
    public bool Intact => Chain.Intact && Forged.Count == 0;
}

/// <summary>
/// Signed checkpoints of the audit chains kept in the database (<see cref="StoredCheckpoint"/>):
/// verifying a practice's chain against every one of them, and writing a new one (after verifying)
/// when one is due. The web app's checkpoint service and <c>confide audit</c> both go through here.
/// </summary>
public static class AuditCheckpoints
{
    /// <summary>The stored checkpoint as Core's <see cref="AuditCheckpoint"/> (for its signed bytes).</summary>
    public static AuditCheckpoint ToCheckpoint(StoredCheckpoint c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new AuditCheckpoint(c.PracticeId, c.EntryCount, c.HeadHash, c.At, c.Signature, c.PublicKey) { Version = c.Format };
    }

    /// <summary>
    /// Why a stored checkpoint cannot be trusted, or null when it can: its fields must be well formed,
    /// its signature must verify under its public key, and when this installation's key is known
    /// (<paramref name="trustedPublicKey"/>) it must be that key.
    /// </summary>
    public static string? Problem(StoredCheckpoint c, ReadOnlySpan<byte> trustedPublicKey)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.EntryCount < 1 || c.HeadHash is not { Length: Core.Audit.AuditChain.HashSize } || c.PublicKey is not { Length: AuditCheckpoint.PublicKeySize })
        {
            return "malformed (entry count, head hash or public key)";
        }
        if (!AuditSigningKey.SignatureValid(ToCheckpoint(c)))
        {
            return "its signature does not verify: it was forged or altered";
        }
        if (c.KeyId != AuditSigningKey.KeyId(c.PublicKey))
        {
            return "its key id is not its public key's: it was altered";
        }
        if (!trustedPublicKey.IsEmpty && !trustedPublicKey.SequenceEqual(c.PublicKey))
        {
            return $"signed by key {AuditSigningKey.KeyId(c.PublicKey)}, not by this installation's key {AuditSigningKey.KeyId(trustedPublicKey)}";
        }
        return null;
    }

    /// <summary>
    /// Verifies one practice's chain from its first entry against every stored checkpoint that can
    /// be trusted (and <paramref name="exported"/>, when given); forged ones are reported and not used.
    /// </summary>
    public static async Task<PracticeVerification> VerifyAsync(
        ConfideDbContext db,
        Guid practiceId,
        byte[]? trustedPublicKey,
        AuditCheckpoint? exported,
        CancellationToken ct
    )
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Scope.Use(practiceId); // row-level security: a practice's checkpoints and chain are seen under its own setting
        var stored = await StoredAuditRows.CheckpointsAsync(db, practiceId, ct).ConfigureAwait(false);
        var trusted = new List<(long, byte[])>();
        var forged = new List<ForgedCheckpoint>();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in stored.OrderBy(c => c.EntryCount).ThenBy(c => c.Id))
        {
            if ((c.Problem is { } unreadable ? $"malformed: {unreadable}" : Problem(c.Row!, trustedPublicKey)) is { } problem)
            {
                forged.Add(new ForgedCheckpoint(c.Id, c.EntryCount, problem));
            }
            else
            {
                trusted.Add((c.EntryCount, c.Row!.HeadHash));
                keys.Add(AuditSigningKey.KeyId(c.Row.PublicKey)); // from the signed key, never the stored text
            }
        }
        if (exported is not null && exported.PracticeId == practiceId)
        {
            trusted.Add((exported.EntryCount, exported.HeadHash));
        }
        var chain = await AuditChainReader.VerifyAsync(db, practiceId, new AuditChainVerifier(trusted), ct).ConfigureAwait(false);
        return new PracticeVerification(practiceId, chain, trusted.Count - (exported?.PracticeId == practiceId ? 1 : 0), forged, [.. keys]);
    }

    /// <summary>
    /// Writes a checkpoint of the practice's chain head signed with <paramref name="key"/>, after
    /// verifying the chain against the stored checkpoints: never for a chain that does not hold, an
    /// empty one, or a head that already has a checkpoint. Returns the verification and the new row
    /// (null when none was written).
    /// </summary>
    public static async Task<(PracticeVerification Verification, StoredCheckpoint? Written)> WriteAsync(
        ConfideDbContext db,
        AuditSigningKey key,
        Guid practiceId,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var verification = await VerifyAsync(db, practiceId, key.PublicKey, null, ct).ConfigureAwait(false);
        var count = verification.Chain.EntriesChecked;
        if (!verification.Intact || count == 0)
        {
            return (verification, null);
        }
        var already = await db.AuditCheckpoints.AsNoTracking()
            .AnyAsync(c => c.PracticeId == practiceId && c.EntryCount == count, ct)
            .ConfigureAwait(false);
        if (already)
        {
            return (verification, null);
        }
        var signed = key.Sign(practiceId, count, verification.Chain.HeadHash, now);
        var row = new StoredCheckpoint
        {
            PracticeId = practiceId,
            EntryCount = count,
            HeadHash = signed.HeadHash,
            At = signed.At,
            Format = signed.Version,
            Signature = signed.Signature,
            PublicKey = signed.PublicKey,
            KeyId = key.Id,
        };
        db.AuditCheckpoints.Add(row);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return (verification, row);
    }

    /// <summary>
    /// The practices whose chain is due a checkpoint at <paramref name="now"/>: entries were appended
    /// since the last stored checkpoint, and either none exists yet, <paramref name="interval"/> has
    /// passed since it, or at least <paramref name="everyEntries"/> entries were appended since.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> DueAsync(ConfideDbContext db, DateTimeOffset now, TimeSpan interval, long everyEntries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Practice by practice, each under its own setting (row-level security shows no chain across practices).
        var due = new List<Guid>();
        foreach (var practiceId in await AuditChainReader.PracticeIdsAsync(db, ct).ConfigureAwait(false))
        {
            db.Scope.Use(practiceId);
            var head = await db.AuditEntries.AsNoTracking().Where(e => e.PracticeId == practiceId).MaxAsync(e => (long?)e.Sequence, ct).ConfigureAwait(false);
            if (head is not { } headCount)
            {
                continue;
            }
            var last = await db.AuditCheckpoints.AsNoTracking()
                .Where(c => c.PracticeId == practiceId)
                .OrderByDescending(c => c.EntryCount)
                .Select(c => new { c.EntryCount, c.At })
                .FirstOrDefaultAsync(ct)
                .ConfigureAwait(false);
            if (last is null || (headCount > last.EntryCount && (headCount - last.EntryCount >= everyEntries || now - last.At >= interval)))
            {
                due.Add(practiceId);
            }
        }
        return due;
    }
}
