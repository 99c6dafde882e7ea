using Confide.Core.Triage;

namespace Confide.Data.Entities;

/// <summary>Where a request for a client's information stands: received → under review → responded → closed.</summary>
public enum RequestStatus
{
    Received,
    UnderReview,
    Responded,
    Closed,
}

/// <summary>
/// A request for a client's information (a subpoena, an order, a letter, a client's own request, or
/// a disclosure the clinician is considering). The request document (the triage contract's JSON,
/// which holds names) is encrypted with the client's data key. The plain columns are the ones the
/// queue, the calendar feed and the charts sort, filter and count on: dates, status and outcome,
/// never client content.
/// </summary>
public sealed class RecordRequest : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>The clinician who holds the records and answers the request.</summary>
    public Guid ClinicianId { get; set; }

    public Guid CreatedById { get; set; }

    /// <summary>When it arrived (the request's <c>receivedOn</c>, else the day it was recorded).</summary>
    public DateOnly ReceivedOn { get; set; }

    /// <summary>The current determination's response deadline, if any.</summary>
    public DateOnly? RespondBy { get; set; }

    /// <summary>The current determination's deadline for a written objection (a federal records subpoena, FRCP 45(d)(2)(B)), if any: never later than <see cref="RespondBy"/>.</summary>
    public DateOnly? ObjectBy { get; set; }

    public RequestStatus Status { get; set; }

    /// <summary>The current determination's outcome.</summary>
    public Outcome Outcome { get; set; }

    /// <summary>The request document (contract JSON), encrypted (field <c>document</c>).</summary>
    public required byte[] DocumentCipher { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid Version { get; set; }

    /// <summary>
    /// Set when a release the current determination relied on no longer holds (revoked, expired,
    /// altered, no longer signed) or the determination was replaced: why, in words made of plain
    /// columns only (release kind and dates, never content). Nothing may be disclosed until the
    /// request is triaged again, which clears it.
    /// </summary>
    public string? RecheckReason { get; set; }

    /// <summary>When <see cref="RecheckReason"/> was set.</summary>
    public DateTimeOffset? RecheckSince { get; set; }

    /// <summary>True while an answer is still owed (received or under review).</summary>
    public bool IsOpen => Status is RequestStatus.Received or RequestStatus.UnderReview;
}

/// <summary>
/// One determination of a request, kept as history: triaging again (after the intake is edited, or
/// the law data is updated) adds a row with the next <see cref="Sequence"/>; the highest is current.
/// It keeps a copy of the request document it was made from, so each one can be read as made.
/// </summary>
public sealed class RequestDetermination
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>1, 2, 3, ... per request.</summary>
    public int Sequence { get; set; }

    public Outcome Outcome { get; set; }

    /// <summary>The date the rules were applied on (also the date on its documents).</summary>
    public DateOnly EvaluatedOn { get; set; }

    /// <summary>The profile it was made under: jurisdiction, version, review date (plain: law data, not client data).</summary>
    public required string ProfileJurisdiction { get; set; }

    public required string ProfileVersion { get; set; }
    public DateOnly ProfileReviewedOn { get; set; }

    /// <summary>The determination (contract JSON), encrypted (field <c>determination</c>).</summary>
    public required byte[] DeterminationCipher { get; set; }

    /// <summary>The request document it was made from, encrypted (field <c>document</c>).</summary>
    public required byte[] DocumentCipher { get; set; }

    public Guid CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A step of a determination ticked as done: which step, who, when. Unticking deletes the row.</summary>
public sealed class RequestStepTick
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public Guid DeterminationId { get; set; }

    /// <summary>0-based index into the determination's steps.</summary>
    public int StepIndex { get; set; }

    public Guid TickedById { get; set; }
    public DateTimeOffset TickedAt { get; set; }
}

/// <summary>A note on a request. Append-only; the text is encrypted (field <c>text</c>).</summary>
public sealed class RequestNote
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public Guid ClientId { get; set; }
    public Guid AuthorId { get; set; }
    public required byte[] TextCipher { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One move of a request's status: from (null when it was recorded) to, who, when.</summary>
public sealed class RequestStatusChange
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public RequestStatus? From { get; set; }
    public RequestStatus To { get; set; }
    public Guid ById { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>The subpoena or order as it arrived: a PDF. Immutable; the file name and bytes are encrypted.</summary>
public sealed class RequestFile
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>The file name as uploaded, encrypted (field <c>file-name</c>).</summary>
    public required byte[] FileNameCipher { get; set; }

    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required byte[] Sha256 { get; set; }

    /// <summary>The file, encrypted (field <c>content</c>).</summary>
    public required byte[] ContentCipher { get; set; }

    public Guid CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A user's calendar feed of response deadlines. The secret URL token is shown once; only its
/// SHA-256 is stored, so a copy of the database does not open anyone's feed.
/// </summary>
public sealed class CalendarFeed
{
    public Guid UserId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
