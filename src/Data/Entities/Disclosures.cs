using Confide.Core.Disclosure;

namespace Confide.Data.Entities;

/// <summary>
/// One disclosure of a client's information that left the practice, recorded automatically when it
/// happened (a packet built, a mandated report made). Append-only: <see cref="ConfideDbContext"/>
/// refuses to save a change to or a deletion of a row; a correction is a new row whose
/// <see cref="CorrectsId"/> names the old one. The recipient, address, description and purpose are
/// encrypted together (field <c>content</c>, JSON); the plain columns are identifiers, dates, the
/// basis code and the packet's hash.
/// </summary>
public sealed class Disclosure
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>The request it answered, if any.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>The determination it relied on, if any.</summary>
    public Guid? DeterminationId { get; set; }

    /// <summary>The client's release it relied on (a release's id; releases are kept elsewhere), if any.</summary>
    public Guid? ReleaseId { get; set; }

    /// <summary>The packet that was sent, if the disclosure was a packet.</summary>
    public Guid? PacketId { get; set; }

    /// <summary>The earlier entry this one corrects, if any.</summary>
    public Guid? CorrectsId { get; set; }

    public DisclosureBasis Basis { get; set; }
    public DateOnly DisclosedOn { get; set; }

    /// <summary>SHA-256 of the file sent (the packet), when there was one.</summary>
    public byte[]? Sha256 { get; set; }

    /// <summary>Recipient, address, description and purpose (JSON), encrypted (field <c>content</c>).</summary>
    public required byte[] ContentCipher { get; set; }

    public Guid DisclosedById { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Where a packet build stands.</summary>
public enum PacketStatus
{
    Queued,
    Building,
    Done,
    Failed,
}

/// <summary>
/// A disclosure packet: the clinician's review (which items, which spans removed, how each upload
/// goes in; encrypted, field <c>review</c>), the build's progress, and once built the PDF and its
/// manifest (encrypted, fields <c>pdf</c> and <c>manifest</c>) with the PDF's SHA-256.
/// </summary>
public sealed class Packet
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }
    public Guid RequestId { get; set; }
    public Guid DeterminationId { get; set; }
    public PacketStatus Status { get; set; }

    /// <summary>Progress of the build, 0-100.</summary>
    public double Percent { get; set; }

    /// <summary>Pages laid out so far (the total once done).</summary>
    public int Pages { get; set; }

    public required byte[] ReviewCipher { get; set; }
    public byte[]? PdfCipher { get; set; }
    public byte[]? ManifestCipher { get; set; }
    public byte[]? Sha256 { get; set; }

    /// <summary>Why a build failed, as a code (never client content).</summary>
    public string? Failure { get; set; }

    /// <summary>Builds started (counted before each starts): a packet found building at start-up is retried only while this stays within the configured retries.</summary>
    public int BuildAttempts { get; set; }

    public Guid CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
