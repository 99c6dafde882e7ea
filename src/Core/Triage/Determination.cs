using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>What the clinician should do with a request (see <c>spec/triage.md</c>).</summary>
public enum Outcome
{
    AssertPrivilege,
    RequestWrittenOrder,
    ComplyWithOrder,
    DiscloseWithAuthorization,
    ObtainAuthorization,
    MandatedReport,
    DutyToProtect,
    ConfidentialNoDisclosure,
    ClientAccess,
    ConsultCounsel,

    /// <summary>v2: a danger to the client themself: tell only those able to prevent or lessen it.</summary>
    ProtectiveDisclosure,

    /// <summary>v2: an access request refused on a reviewable ground.</summary>
    DenyAccess,

    /// <summary>v2: the requester's authority is not documented: ask for it, disclose nothing.</summary>
    VerifyAuthority,
}

/// <summary>A document the clinician should prepare.</summary>
public enum DocumentKind
{
    PrivilegeAssertionLetter,
    WrittenOrderRequest,
    ClientNotice,
    AuthorizationForm,
    PsychotherapyNotesAuthorizationForm,
    SudConsentForm,
    DisclosureCoverLetter,
    MandatedReportWorksheet,
    DutyToProtectRecord,
    ConfidentialityResponseLetter,
    AccessResponseLetter,

    /// <summary>v2: counsel asks the court to state the pierce's purpose or finding, narrow, seal.</summary>
    OrderClarificationRequest,

    /// <summary>v2: the record of a disclosure made to protect the client from self-harm.</summary>
    ProtectiveDisclosureRecord,

    /// <summary>v2: asks the requester for proof of their authority.</summary>
    AuthorityRequestLetter,

    /// <summary>v2: the FRCP 45(e)(2)(A) log of what is withheld as privileged.</summary>
    PrivilegeLog,
}

/// <summary>Facts about outcomes (their names for people are in <see cref="Vocabulary"/>).</summary>
public static class Outcomes
{
    /// <summary>True for the outcomes that may release records.</summary>
    public static bool Discloses(Outcome outcome) =>
        outcome is Outcome.ComplyWithOrder or Outcome.DiscloseWithAuthorization or Outcome.ClientAccess;
}

/// <summary>
/// The engine's answer to a request: the outcome, what may and may not be disclosed, why, what to
/// do, which documents to prepare, and the profile it was made under. A value: it never changes
/// after the engine returns it.
/// </summary>
public sealed class Determination
{
    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Categories that may be disclosed; empty unless the outcome discloses records.</summary>
    public required CategorySet Disclose { get; init; }

    /// <summary>Requested categories that are not disclosed.</summary>
    public required CategorySet Withheld { get; init; }

    /// <summary>Citation ids of the rules that fired, without duplicates, in the order they fired.</summary>
    public required IReadOnlyList<string> Citations { get; init; }

    /// <summary>Sentences for a person: one per rule that fired and one per withheld category.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>What the clinician should do now, in order.</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <summary>Documents to prepare.</summary>
    public required IReadOnlyList<DocumentKind> Documents { get; init; }

    /// <summary>The response deadline, when there is one.</summary>
    public required DateOnly? RespondBy { get; init; }

    /// <summary>v2: a federal records subpoena's objection deadline (FRCP 45(d)(2)(B)); otherwise null.</summary>
    public DateOnly? ObjectBy { get; init; }

    /// <summary>The profile the determination was made under.</summary>
    public required ProfileRef Profile { get; init; }

    /// <summary>Warnings: no state profile, UNVERIFIED citations relied on, concerns outside a report.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
