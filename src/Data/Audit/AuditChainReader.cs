using Confide.Core.Audit;

namespace Confide.Data.Audit;

/// <summary>
/// Reads the stored audit chains back for verification, without changing anything: the practices that
/// have a chain, and one practice's entries streamed in sequence order, one query read row by row, through
/// Core's <see cref="AuditChainVerifier"/>. Never loads a whole chain.
/// </summary>
public static class AuditChainReader
{
    /// <summary>
    /// Every practice with a practice row, an audit entry or a stored checkpoint, in identifier order,
    /// and the audit rows stored under no valid practice id (each is tampering). On PostgreSQL under
    /// a role that row-level security holds (the owner included: the tables are FORCEd), entries are
    /// visible only per practice, so a chain whose practice row was deleted is found only by a
    /// superuser or BYPASSRLS connection.
    /// </summary>
    public static Task<AuditChains> DiscoverAsync(ConfideDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return StoredAuditRows.DiscoverAsync(db, ct);
    }

    /// <summary>The practices of <see cref="DiscoverAsync"/>.</summary>
    public static async Task<IReadOnlyList<Guid>> PracticeIdsAsync(ConfideDbContext db, CancellationToken ct) =>
        (await DiscoverAsync(db, ct).ConfigureAwait(false)).Practices;

    /// <summary>
    /// Streams one practice's entries through <paramref name="verifier"/> (a new one per practice, with
    /// the practice's checkpoints if there are any) and returns its outcome. Stops reading as soon as
    /// the verifier has decided; a row that cannot be read as an entry (a value of the wrong type or
    /// form, a NULL) breaks the chain there as malformed. Scopes <paramref name="db"/> to the practice
    /// (row-level security shows each chain only to its own practice's setting, so one connection
    /// checks every chain in turn).
    /// </summary>
    public static async Task<AuditChainResult> VerifyAsync(ConfideDbContext db, Guid practiceId, AuditChainVerifier verifier, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verifier);
        db.Scope.Use(practiceId);
        await foreach (var row in StoredAuditRows.EntriesAsync(db, practiceId, ct).ConfigureAwait(false))
        {
            var more = row.Problem is { } problem ? verifier.AddMalformed(row.Sequence, problem) : verifier.Add(row.Entry);
            if (!more)
            {
                break;
            }
        }
        return verifier.Complete();
    }
}
