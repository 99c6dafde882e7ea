namespace Confide.Core.Audit;

/// <summary>
/// One audit entry as the chain sees it: the canonical fields that are hashed, the previous entry's
/// hash and the entry's own stored hash. A value that borrows the strings and arrays it is given
/// (no copy), so a verifier can walk millions of entries without allocating per entry.
/// </summary>
/// <param name="PracticeId">The practice whose chain the entry belongs to.</param>
/// <param name="Sequence">1, 2, 3, ... within the practice.</param>
/// <param name="At">When it happened (hashed as UTC ticks).</param>
/// <param name="ActorUserId">Who did it, if anyone signed in.</param>
/// <param name="Action">What happened, e.g. <c>record.view</c>.</param>
/// <param name="TargetType">The kind of thing acted on.</param>
/// <param name="TargetId">The identifier of the thing acted on.</param>
/// <param name="ClientId">The client concerned, if any.</param>
/// <param name="Detail">Identifiers, codes and outcomes only.</param>
/// <param name="PrevHash">The stored hash of the previous entry (the genesis for the first).</param>
/// <param name="Hash">The stored hash of this entry.</param>
/// <param name="Format">Which hashing rules the entry was sealed with (<see cref="AuditChain.CurrentFormat"/> for new entries).</param>
public readonly record struct AuditRecord(
    Guid PracticeId,
    long Sequence,
    DateTimeOffset At,
    Guid? ActorUserId,
    string Action,
    string TargetType,
    string TargetId,
    Guid? ClientId,
    string? Detail,
    byte[] PrevHash,
    byte[] Hash,
    int Format = AuditChain.CurrentFormat
);
