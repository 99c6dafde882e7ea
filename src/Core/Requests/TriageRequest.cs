namespace Confide.Core.Requests;

/// <summary>Who is asking for the information.</summary>
public enum Requester
{
    /// <summary>An attorney (for a party or a witness).</summary>
    Attorney,

    /// <summary>A court or judge.</summary>
    Court,

    /// <summary>The client themself.</summary>
    Client,

    /// <summary>Child protective services.</summary>
    Cps,

    /// <summary>Police or a prosecutor.</summary>
    LawEnforcement,

    /// <summary>A health plan or insurer.</summary>
    Insurer,

    /// <summary>The client's employer.</summary>
    Employer,

    /// <summary>A family member without legal authority over the client's records.</summary>
    Family,

    /// <summary>Another health-care provider.</summary>
    Provider,

    /// <summary>Anyone else.</summary>
    Other,

    /// <summary>A licensing board investigating a licensee (R13).</summary>
    LicensingBoard,

    /// <summary>v2: a parent of the client.</summary>
    Parent,

    /// <summary>v2: a guardian or conservator.</summary>
    Guardian,

    /// <summary>v2: an executor or administrator, or an adult's health-care agent.</summary>
    PersonalRepresentative,

    /// <summary>v2: a guardian or attorney ad litem, amicus, or attorney for the child.</summary>
    ChildRepresentative,
}

/// <summary>v2: the stated purpose of a request.</summary>
public enum Purpose
{
    /// <summary>The requester's treatment of the client.</summary>
    Treatment,

    /// <summary>Payment for the client's care.</summary>
    Payment,

    /// <summary>Any other purpose, or none stated.</summary>
    Other,
}

/// <summary>v2: what an access request asks for.</summary>
public enum AccessKind
{
    /// <summary>A copy of the records.</summary>
    Copy,

    /// <summary>To inspect the records in person.</summary>
    Inspect,
}

/// <summary>v2: what a subpoena demands.</summary>
public enum SubpoenaKind
{
    /// <summary>Produce documents.</summary>
    Records,

    /// <summary>Appear at a deposition, hearing or trial, with or without documents.</summary>
    Appearance,
}

/// <summary>v2: the treatment the records come from.</summary>
public enum TherapyFormat
{
    /// <summary>Individual therapy.</summary>
    Individual,

    /// <summary>Couple therapy.</summary>
    Couple,

    /// <summary>Family therapy.</summary>
    Family,

    /// <summary>Group therapy.</summary>
    Group,
}

/// <summary>v2: the clinician's license status.</summary>
public enum LicenseStatus
{
    /// <summary>Fully licensed.</summary>
    Licensed,

    /// <summary>A registered associate, intern or trainee under supervision.</summary>
    Associate,

    /// <summary>Neither licensed nor a registered associate.</summary>
    Unlicensed,
}

/// <summary>v2: who signed a release.</summary>
public enum Signer
{
    /// <summary>The client.</summary>
    Client,

    /// <summary>A parent of a minor client.</summary>
    Parent,

    /// <summary>A guardian or conservator.</summary>
    Guardian,

    /// <summary>An executor, administrator or health-care agent.</summary>
    PersonalRepresentative,
}

/// <summary>R3: how far an adult's ability to protect themself is impaired.</summary>
public enum AdultImpairment
{
    /// <summary>Not impaired.</summary>
    None,

    /// <summary>Self-care or protection impaired (Florida's "vulnerable adult").</summary>
    Impaired,

    /// <summary>Cannot seek help because of dysfunction (Illinois).</summary>
    CannotSeekHelp,

    /// <summary>Cannot agree.</summary>
    Incapacitated,
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
    /// <summary>A state court.</summary>
    State,

    /// <summary>A federal court.</summary>
    Federal,
}

/// <summary>The kind of legal proceeding.</summary>
public enum ProceedingKind
{
    /// <summary>A civil case.</summary>
    Civil,

    /// <summary>A criminal case.</summary>
    Criminal,

    /// <summary>A custody or visitation case.</summary>
    Custody,

    /// <summary>A dependency or child-protection case.</summary>
    ChildProtection,

    /// <summary>An administrative hearing.</summary>
    Administrative,
}

/// <summary>Which law supplies the rule of decision in a federal forum (FRE 501).</summary>
public enum RuleOfDecision
{
    /// <summary>Federal law decides the claim (federal privilege law applies).</summary>
    Federal,

    /// <summary>State law decides the claim (state privilege law applies).</summary>
    State,
}

/// <summary>The clinician's profession, which selects the ethics code and the privilege statute.</summary>
public enum Profession
{
    /// <summary>A psychologist (APA code).</summary>
    Psychologist,

    /// <summary>A clinical social worker (NASW code).</summary>
    SocialWorker,

    /// <summary>A professional counselor (ACA code).</summary>
    Counselor,

    /// <summary>A marriage and family therapist (AAMFT code).</summary>
    MarriageFamilyTherapist,

    /// <summary>A psychiatrist (physician).</summary>
    Psychiatrist,

    /// <summary>Another profession (no profession-specific privilege or code assumed).</summary>
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
    bool Part2,
    bool WaiverFinding = false
);

/// <summary>The clinician who holds the records.</summary>
/// <param name="Profession">The profession.</param>
/// <param name="Licensed">v1's flag: licensed or not.</param>
/// <param name="License">v2: the license status as the request gave it; null when it gave none.</param>
/// <param name="BelievedLicensed">v2: the client reasonably believed the clinician licensed.</param>
public sealed record Clinician(Profession Profession, bool Licensed = true, LicenseStatus? License = null, bool BelievedLicensed = false)
{
    /// <summary>The license status: as given, else <c>licensed</c>, or <c>unlicensed</c> when <see cref="Licensed"/> is false.</summary>
    public LicenseStatus Status => License ?? (Licensed ? LicenseStatus.Licensed : LicenseStatus.Unlicensed);
}

/// <summary>What is known about the client: their wish, and (v2) age, minority, death.</summary>
public sealed record ClientInfo(
    bool WantsDisclosure,
    int? Age = null,
    bool Emancipated = false,
    bool MinorConsentedAlone = false,
    bool ParentAgreedConfidentiality = false,
    bool ObjectsToParentAccess = false,
    bool Deceased = false,
    DateOnly? DiedOn = null
);

/// <summary>v2: another participant in couple, family or group therapy.</summary>
public sealed record Participant(bool Competent = true, bool Authorized = false, bool Declined = false);

/// <summary>v2: the requester's standing to act for the client.</summary>
public sealed record Representative(
    bool AppointmentDocumented = false,
    bool DecisionAuthority = true,
    bool AccessRestrictedByOrder = false,
    bool CurrentAuthority = false,
    bool Litigating = false
);

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
    bool ClientUnderstandingConfirmed,
    Signer SignedBy = Signer.Client,
    bool MinorCoSigned = false,
    bool Part2ForProceeding = false
);

/// <summary>Concerns that may make a report mandatory or permitted.</summary>
public sealed record Concerns(
    bool SuspectedChildAbuse,
    bool SeriousThreat,
    bool SuspectedElderAbuse = false,
    AdultImpairment? AdultImpairment = null,
    bool SelfHarm = false,
    bool RepresentativeEndangers = false,
    bool AccessDetrimental = false
);

/// <summary>
/// A request for a client's information, as the triage contract (<c>spec/triage.md</c>) defines it.
/// Instances come from <see cref="RequestParser"/>, which enforces the contract's validity rules.
/// </summary>
public sealed record TriageRequest
{
    /// <summary><c>US-</c> and a state or DC code.</summary>
    public required string Jurisdiction { get; init; }

    /// <summary>The day the request arrived; deadlines count from it.</summary>
    public DateOnly? ReceivedOn { get; init; }

    /// <summary>The day the request asks for an answer by, if it names one.</summary>
    public DateOnly? RespondBy { get; init; }

    /// <summary>Null only when <see cref="Instrument"/> is <see cref="Instrument.Report"/>.</summary>
    public Requester? Requester { get; init; }

    /// <summary>What the request comes as: a subpoena, an order, a letter, a report duty, or nothing written.</summary>
    public required Instrument Instrument { get; init; }

    /// <summary>The record categories asked for.</summary>
    public CategorySet Requested { get; init; }

    /// <summary>The client is (or was) in therapy with the clinician; default true.</summary>
    public bool InTherapy { get; init; } = true;

    /// <summary>The legal proceeding the request belongs to, if any.</summary>
    public Proceeding? Proceeding { get; init; }

    /// <summary>What the order says, when the instrument is a court order.</summary>
    public CourtOrder? Order { get; init; }

    /// <summary>The clinician who holds the records.</summary>
    public required Clinician Clinician { get; init; }

    /// <summary>v2: facts about the client (age, consent alone, death, impairment).</summary>
    public ClientInfo? Client { get; init; }

    /// <summary>v2: the stated purpose (default other).</summary>
    public Purpose Purpose { get; init; } = Purpose.Other;

    /// <summary>v2: copy or inspect (default copy).</summary>
    public AccessKind AccessKind { get; init; } = AccessKind.Copy;

    /// <summary>v2: the SUD records come from a Part 2 program; null when the request did not say (then true, with a warning).</summary>
    public bool? SudRecordsArePart2 { get; init; }

    /// <summary>R2: the practice holding the records is a Part 2 program.</summary>
    public bool Part2Program { get; init; }

    /// <summary>R6: the notes are kept in the clinician's sole possession (Illinois personal notes); default true.</summary>
    public bool NotesArePersonalNotes { get; init; } = true;

    /// <summary>v2: only with a subpoena: records or appearance (default records).</summary>
    public SubpoenaKind SubpoenaKind { get; init; } = SubpoenaKind.Records;

    /// <summary>v2: the treatment the records come from.</summary>
    public TherapyFormat TherapyFormat { get; init; } = TherapyFormat.Individual;

    /// <summary>v2: the other participants (empty in individual therapy).</summary>
    public ValueList<Participant> Participants { get; init; } = ValueList<Participant>.Empty;

    /// <summary>v2: the requester's standing, for a parent, guardian or representative.</summary>
    public Representative? Representative { get; init; }

    /// <summary>The client's signed release or consent, if there is one.</summary>
    public Authorization? Authorization { get; init; }

    /// <summary>Facts that may trigger a report or a protective disclosure.</summary>
    public Concerns? Concerns { get; init; }

    /// <summary>Strings used only to fill documents, never by the rules.</summary>
    public RequestDetails? Details { get; init; }
}

/// <summary>Free-text details used to fill documents. Every property is optional.</summary>
public sealed record RequestDetails
{
    /// <summary>The client's name.</summary>
    public string? ClientName { get; init; }

    /// <summary>The clinician's name.</summary>
    public string? ClinicianName { get; init; }

    /// <summary>The clinician's license number.</summary>
    public string? ClinicianLicense { get; init; }

    /// <summary>The practice's name.</summary>
    public string? PracticeName { get; init; }

    /// <summary>The practice's address.</summary>
    public string? PracticeAddress { get; init; }

    /// <summary>The requester's name.</summary>
    public string? RequesterName { get; init; }

    /// <summary>The requester's address.</summary>
    public string? RequesterAddress { get; init; }

    /// <summary>The court, e.g. "Superior Court of California, County of Alameda".</summary>
    public string? Court { get; init; }

    /// <summary>The case number.</summary>
    public string? CaseNumber { get; init; }

    /// <summary>The case caption, e.g. "Doe v. Roe".</summary>
    public string? CaseCaption { get; init; }

    /// <summary>The requester's reference for the request.</summary>
    public string? Reference { get; init; }
}
