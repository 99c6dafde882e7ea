using Confide.Core.Requests;

namespace Confide.Data.Entities;

/// <summary>
/// A row that can change after it is written. <see cref="ConfideDbContext"/> sets a new
/// <see cref="Version"/> on every save and EF checks the old one (optimistic concurrency, both providers).
/// </summary>
public interface IVersioned
{
    Guid Version { get; set; }
}

/// <summary>The practice: the tenant every other row belongs to.</summary>
public sealed class Practice : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Address { get; set; }

    /// <summary><c>US-</c> and a state's code, as the triage contract spells it (<c>US-CA</c>).</summary>
    public required string Jurisdiction { get; set; }

    /// <summary>
    /// The practice's IANA time zone (<c>America/Los_Angeles</c>): "today" for deadlines, the queue
    /// and the documents' dates is the practice's day, not the server's.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The practice is a federally assisted substance use disorder program (42 C.F.R. § 2.11): every
    /// request is triaged with the contract's <c>part2Program</c> (R2), whatever the intake says.
    /// </summary>
    public bool Part2Program { get; set; }

    /// <summary>The zone named by <paramref name="timeZoneId"/>; UTC when this machine does not know it (a missing tzdata), never a crash.</summary>
    public static TimeZoneInfo ZoneOf(string timeZoneId) => TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The date it is in <paramref name="zone"/> at <paramref name="instant"/>: the practice's "today".</summary>
    public static DateOnly DateIn(TimeZoneInfo zone, DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public DateTimeOffset CreatedAt { get; set; }
    public Guid Version { get; set; }
}

/// <summary>
/// A client of the practice. The name is encrypted with the client's data key
/// (<see cref="Crypto.RecordCipher"/>); only identifiers and the date of birth are plain.
/// </summary>
public sealed class Client : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }

    /// <summary>The client's name, encrypted (field <c>name</c>).</summary>
    public required byte[] NameCipher { get; set; }

    public DateOnly DateOfBirth { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the client was deleted by destroying their data key (crypto-shredding): the row and its
    /// ciphertexts stay, their content can no longer be read.
    /// </summary>
    public DateTimeOffset? ShreddedAt { get; set; }

    public Guid Version { get; set; }

    public List<Guardian> Guardians { get; } = [];
    public List<ClientAssignment> Assignments { get; } = [];

    /// <summary>Under 18 on <paramref name="today"/>. Computed, not stored: a stored flag would go stale on a birthday.</summary>
    public bool IsMinorOn(DateOnly today) => DateOfBirth.AddYears(18) > today;
}

/// <summary>How a guardian stands to a minor client.</summary>
public enum GuardianRelationship
{
    Parent,
    LegalGuardian,
    Other,
}

/// <summary>A parent or guardian of a minor client. The name is encrypted with the client's data key.</summary>
public sealed class Guardian : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }

    /// <summary>The guardian's name, encrypted (field <c>name</c>).</summary>
    public required byte[] NameCipher { get; set; }

    public GuardianRelationship Relationship { get; set; }
    public Guid Version { get; set; }
}

/// <summary>A clinician assigned to a client. Immutable: unassigning deletes the row.</summary>
public sealed class ClientAssignment
{
    public Guid ClientId { get; set; }
    public Guid ClinicianId { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>
/// One item of a client's record: a category from the triage contract, a date, an author and
/// encrypted content. Psychotherapy notes (category <see cref="Category.PsychotherapyNotes"/>) are
/// shown only to their author.
/// </summary>
public sealed class RecordItem : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Category Category { get; set; }
    public DateOnly Date { get; set; }
    public Guid AuthorId { get; set; }

    /// <summary>The typed content, encrypted (field <c>content</c>).</summary>
    public required byte[] ContentCipher { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public Guid Version { get; set; }

    public List<Attachment> Attachments { get; } = [];

    /// <summary>Psychotherapy notes are kept apart: visible only to their author.</summary>
    public bool IsPsychotherapyNote => Category == Category.PsychotherapyNotes;
}

/// <summary>A PDF attached to a record item. Immutable; the file name and the bytes are encrypted.</summary>
public sealed class Attachment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RecordItemId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>The file name as uploaded, encrypted (field <c>file-name</c>): names often hold client names.</summary>
    public required byte[] FileNameCipher { get; set; }

    public required string ContentType { get; set; }

    /// <summary>The size of the plaintext file, in bytes.</summary>
    public long Size { get; set; }

    /// <summary>SHA-256 of the plaintext file, to check a download against what was uploaded.</summary>
    public required byte[] Sha256 { get; set; }

    /// <summary>The file, encrypted (field <c>content</c>).</summary>
    public required byte[] ContentCipher { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A client's data key, wrapped (encrypted) by a version of the practice key
/// (<see cref="PracticeKeyVersion"/>), or, in databases made before practice keys existed, directly
/// by the master key (<see cref="PracticeKeyVersion"/> null, re-wrapped at start-up).
/// Destroying it (crypto-shredding) leaves <see cref="WrappedKey"/> empty and sets <see cref="DestroyedAt"/>.
/// </summary>
public sealed class ClientKey : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }
    public int KeyVersion { get; set; }

    /// <summary>The practice key version that wraps this key; null: wrapped by the master key (before practice keys).</summary>
    public int? PracticeKeyVersion { get; set; }

    public required byte[] WrappedKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DestroyedAt { get; set; }
    public Guid Version { get; set; }
}

/// <summary>
/// A version of a practice's key, wrapped by the master key (identified by its fingerprint
/// <see cref="MasterKeyId"/>, never the key). It wraps the practice's client data keys. Rotation
/// adds a version and re-wraps the data keys under it; a version nothing uses any more is retired:
/// <see cref="RetiredAt"/> set and <see cref="WrappedKey"/> emptied.
/// </summary>
public sealed class PracticeKey : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public int KeyVersion { get; set; }
    public required byte[] WrappedKey { get; set; }

    /// <summary>The fingerprint of the master key that wraps this one (<see cref="Crypto.MasterKey.Id"/>).</summary>
    public required string MasterKeyId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
    public Guid Version { get; set; }
}

/// <summary>What a break-glass opens.</summary>
public enum BreakGlassScope
{
    /// <summary>A client's record the user is not assigned to.</summary>
    Client,

    /// <summary>Psychotherapy notes of other authors (the owner only).</summary>
    PsychotherapyNotes,
}

/// <summary>
/// An emergency opening of a client's records the user could not otherwise see, with a typed reason
/// (encrypted with the client's data key, field <c>reason</c>) and a reason code, until
/// <see cref="ExpiresAt"/>. Listed on the owner's home page until acknowledged.
/// </summary>
public sealed class BreakGlass : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }
    public Guid UserId { get; set; }
    public BreakGlassScope Scope { get; set; }

    /// <summary>A code from a fixed list (<see cref="Access.ClientContent.BreakGlassReasons"/>): what the audit entry holds.</summary>
    public required string ReasonCode { get; set; }

    /// <summary>The typed reason, encrypted (field <c>reason</c>).</summary>
    public required byte[] ReasonCipher { get; set; }

    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedById { get; set; }
    public Guid Version { get; set; }
}

/// <summary>
/// One append-only audit entry: who did what to which row, when. Identifiers and outcomes only,
/// never client content. Entries of a practice form a hash chain (<see cref="Audit.AuditSealer"/>).
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }

    /// <summary>1, 2, 3, ... per practice, assigned when the entry is saved.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }
    public Guid? ActorUserId { get; set; }

    /// <summary>What happened, e.g. <c>record.view</c> (<see cref="Audit.AuditActions"/>).</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public Guid? ClientId { get; set; }

    /// <summary>Identifiers, codes and outcomes only (<c>reason=billing</c>), never free text.</summary>
    public string? Detail { get; set; }

    public byte[] PrevHash { get; set; } = [];
    public byte[] Hash { get; set; } = [];

    /// <summary>The hashing rules the entry was sealed with (<see cref="Core.Audit.AuditChain.CurrentFormat"/>; 1 for entries sealed before domain separation).</summary>
    public int Format { get; set; } = Core.Audit.AuditChain.CurrentFormat;
}

/// <summary>
/// A signed checkpoint of a practice's audit chain, stored in the database (written periodically by
/// the web app and on demand by <c>confide audit checkpoint --store</c>): the chain had
/// <see cref="EntryCount"/> entries ending in <see cref="HeadHash"/> at <see cref="At"/>, signed
/// (Ed25519) with the key in <c>Keys:AuditSigningKeyFile</c>, which is never in the database. A later
/// verification checks the chain still holds every one. Practice data (scoped by <see cref="PracticeId"/>).
/// </summary>
public sealed class StoredCheckpoint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public long EntryCount { get; set; }
    public required byte[] HeadHash { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The checkpoint format whose message was signed (<see cref="Core.Audit.AuditCheckpoint.CurrentVersion"/>).</summary>
    public int Format { get; set; } = Core.Audit.AuditCheckpoint.CurrentVersion;

    public required byte[] Signature { get; set; }
    public required byte[] PublicKey { get; set; }

    /// <summary>The first 8 bytes of the public key's SHA-256 in hex, to tell keys apart at a glance.</summary>
    public required string KeyId { get; set; }
}
