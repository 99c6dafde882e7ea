namespace Confide.Core.Requests;

/// <summary>Who is asking for the information.</summary>
public enum Requester
{
    Attorney,
    Court,
    Client,
    Cps,
    LawEnforcement,
    Insurer,
    Employer,
    Family,
    Provider,
    Other,
}

/// <summary>The legal form the request takes.</summary>
public enum Instrument
{
    /// <summary>Signed by an attorney or a clerk.</summary>
    Subpoena,

    /// <summary>An order of a court, with or without a subpoena.</summary>
    CourtOrder,

    /// <summary>A judge demands it from the bench.</summary>
    VerbalOrder,

    /// <summary>A written request with no legal force.</summary>
    Letter,

    /// <summary>The clinician is considering a disclosure on their own initiative.</summary>
    Report,

    /// <summary>No instrument at all (e.g. a phone call).</summary>
    None,
}

/// <summary>The court system a proceeding is in.</summary>
public enum Forum
{
    State,
    Federal,
}

/// <summary>The kind of legal proceeding.</summary>
public enum ProceedingKind
{
    Civil,
    Criminal,
    Custody,
    ChildProtection,
    Administrative,
}

/// <summary>Which law supplies the rule of decision in a federal forum (FRE 501).</summary>
public enum RuleOfDecision
{
    Federal,
    State,
}

/// <summary>The clinician's profession, which selects the ethics code and the privilege statute.</summary>
public enum Profession
{
    Psychologist,
    SocialWorker,
    Counselor,
    MarriageFamilyTherapist,
    Psychiatrist,
    Other,
}

/// <summary>A legal proceeding the request belongs to.</summary>
public sealed record Proceeding(
    Forum Forum,
    ProceedingKind Kind,
    RuleOfDecision RuleOfDecision = RuleOfDecision.Federal,
    bool MentalConditionAtIssue = false
);

/// <summary>What a court order says.</summary>
public sealed record CourtOrder(
    bool SignedByJudge,
    bool StatesPurpose,
    bool BestInterestsFinding,
    CategorySet Categories,
    bool Part2
);

/// <summary>The clinician who holds the records.</summary>
public sealed record Clinician(Profession Profession, bool Licensed = true);

/// <summary>What the client has said.</summary>
public sealed record ClientWishes(bool WantsDisclosure);

/// <summary>The client's written release on file that best matches the request.</summary>
public sealed record Authorization(
    bool Signed,
    bool RecipientCovered,
    bool PurposeCovered,
    CategorySet Categories,
    bool SeparatePsychotherapyNotesAuthorization,
    bool Part2Consent,
    DateOnly? ExpiresOn,
    bool Revoked,
    bool ClientUnderstandingConfirmed
);

/// <summary>Concerns that may make a report mandatory or permitted.</summary>
public sealed record Concerns(bool SuspectedChildAbuse, bool SeriousThreat);

/// <summary>
/// A request for a client's information, as the triage contract (<c>spec/triage.md</c>) defines it.
/// Instances come from <see cref="RequestParser"/>, which enforces the contract's validity rules.
/// </summary>
public sealed record TriageRequest
{
    /// <summary><c>US-</c> and a state or DC code.</summary>
    public required string Jurisdiction { get; init; }

    public DateOnly? ReceivedOn { get; init; }

    public DateOnly? RespondBy { get; init; }

    /// <summary>Null only when <see cref="Instrument"/> is <see cref="Instrument.Report"/>.</summary>
    public Requester? Requester { get; init; }

    public required Instrument Instrument { get; init; }

    public CategorySet Requested { get; init; }

    public bool InTherapy { get; init; } = true;

    public Proceeding? Proceeding { get; init; }

    public CourtOrder? Order { get; init; }

    public required Clinician Clinician { get; init; }

    public ClientWishes? Client { get; init; }

    public Authorization? Authorization { get; init; }

    public Concerns? Concerns { get; init; }

    /// <summary>Strings used only to fill documents, never by the rules.</summary>
    public RequestDetails? Details { get; init; }
}

/// <summary>Free-text details used to fill documents. Every property is optional.</summary>
public sealed record RequestDetails
{
    public string? ClientName { get; init; }
    public string? ClinicianName { get; init; }
    public string? ClinicianLicense { get; init; }
    public string? PracticeName { get; init; }
    public string? PracticeAddress { get; init; }
    public string? RequesterName { get; init; }
    public string? RequesterAddress { get; init; }
    public string? Court { get; init; }
    public string? CaseNumber { get; init; }
    public string? CaseCaption { get; init; }
    public string? Reference { get; init; }
}
