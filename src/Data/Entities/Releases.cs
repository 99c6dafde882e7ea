namespace Confide.Data.Entities;

/// <summary>Where a client's release stands. Expiry is not a status: it is computed on the evaluation date.</summary>
public enum ReleaseStatus
{
    /// <summary>Drafted by the clinician, not yet sent.</summary>
    Draft,

    /// <summary>A sign link was made for the client.</summary>
    Sent,

    /// <summary>The client passed the understanding check and signed.</summary>
    Signed,

    /// <summary>The client revoked it in writing (future disclosures stop; earlier ones stand).</summary>
    Revoked,
}

/// <summary>
/// A client's written release (authorization). Its Id is stable: disclosures refer to it. What it
/// says (recipient, address, purpose, names: the <c>ReleaseContent</c> JSON), the text shown to the
/// client, the signing and revocation evidence and the signed PDF are encrypted with the client's
/// data key. Plain: the kind, status, categories and dates that triage and lists query on, the
/// SHA-256 of the text shown (a hash, not content).
/// </summary>
public sealed class Release : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary><c>general</c>, <c>psychotherapy-notes</c> or <c>sud</c>.</summary>
    public required string Kind { get; set; }

    public ReleaseStatus Status { get; set; }

    /// <summary>The record categories released, as comma-separated wire names.</summary>
    public required string Categories { get; set; }

    public DateOnly? RecordsFrom { get; set; }
    public DateOnly? RecordsThrough { get; set; }
    public DateOnly? ExpiresOn { get; set; }

    /// <summary>The release's content (ReleaseContent JSON), encrypted (field <c>content</c>).</summary>
    public required byte[] ContentCipher { get; set; }

    /// <summary>The exact text shown to the client when they signed, encrypted (field <c>shown-text</c>).</summary>
    public byte[]? ShownTextCipher { get; set; }

    /// <summary>SHA-256 of the UTF-8 text shown, recorded at signing (also in the signing audit entry).</summary>
    public byte[]? ShownTextSha256 { get; set; }

    /// <summary>Signing evidence (typed name, time, IP, user agent, hash) as JSON, encrypted (field <c>signature</c>).</summary>
    public byte[]? SignatureCipher { get; set; }

    /// <summary>The signed PDF, encrypted (field <c>signed-pdf</c>).</summary>
    public byte[]? SignedPdfCipher { get; set; }

    /// <summary>Revocation evidence (same shape as the signature), encrypted (field <c>revocation</c>).</summary>
    public byte[]? RevocationCipher { get; set; }

    public bool UnderstandingConfirmed { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? SignedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public Guid CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid Version { get; set; }
}

/// <summary>What a portal link lets its holder do.</summary>
public enum PortalTokenPurpose
{
    /// <summary>Read and sign a release; used up by signing; expires.</summary>
    Sign,

    /// <summary>Revoke (after a second check: the client's date of birth); long-lived; never printed on the signed PDF.</summary>
    Revoke,

    /// <summary>Download the signed copy only; long-lived; cannot revoke.</summary>
    Copy,
}

/// <summary>
/// A client portal link. Only the SHA-256 of the random token is stored. Looked up by hash before
/// the practice is known (the portal is anonymous): the row names the practice and client.
/// </summary>
public sealed class PortalToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }
    public Guid ReleaseId { get; set; }
    public required byte[] TokenHash { get; set; }
    public PortalTokenPurpose Purpose { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null for a revocation link.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When a sign link was used up (the client signed).</summary>
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Wrong answers to a revocation link's second check (the client's date of birth) so far.</summary>
    public int FailedChecks { get; set; }

    /// <summary>When a revocation link stopped working after too many wrong second checks (the practice makes a new one).</summary>
    public DateTimeOffset? LockedAt { get; set; }
}

/// <summary>
/// A portal request whose token matched no usable link (unknown, expired, used up). Unknown tokens
/// belong to no practice, so they cannot go into a practice's audit chain: they are kept here, with
/// the first 8 hex digits of the token's hash (never the token) and the practice when known.
/// </summary>
public sealed class PortalFailure
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset At { get; set; }

    /// <summary><c>unknown</c>, <c>expired</c>, <c>used</c>, <c>rate-limited</c>.</summary>
    public required string Reason { get; set; }

    public required string HashPrefix { get; set; }
    public Guid? PracticeId { get; set; }
}

/// <summary>A release a determination relied on (its <c>authorization</c>).</summary>
public sealed class DeterminationRelease
{
    public Guid DeterminationId { get; set; }
    public Guid ReleaseId { get; set; }
}
