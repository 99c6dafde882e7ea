using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>What the clinician should do with a request (see <c>spec/triage.md</c>).</summary>
public enum Outcome
{
    /// <summary>Assert privilege: disclose nothing; object in writing.</summary>
    AssertPrivilege,

    /// <summary>Ask for a written, signed order before disclosing.</summary>
    RequestWrittenOrder,

    /// <summary>A binding order: disclose what it covers, no more.</summary>
    ComplyWithOrder,

    /// <summary>A valid release covers the request: disclose what it covers.</summary>
    DiscloseWithAuthorization,

    /// <summary>Disclose only after the client (or who may sign) signs a release.</summary>
    ObtainAuthorization,

    /// <summary>A report is mandated: make it, disclosing only what the report needs.</summary>
    MandatedReport,

    /// <summary>A serious threat to others: act under the duty to protect or warn.</summary>
    DutyToProtect,

    /// <summary>Confidential: disclose nothing, without confirming the client is one.</summary>
    ConfidentialNoDisclosure,

    /// <summary>The client's own access request: give access within the deadline.</summary>
    ClientAccess,

    /// <summary>The rules cannot decide: consult counsel before answering.</summary>
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
    /// <summary>The letter asserting privilege.</summary>
    PrivilegeAssertionLetter,

    /// <summary>The letter asking for a written, signed order.</summary>
    WrittenOrderRequest,

    /// <summary>The notice telling the client of the request.</summary>
    ClientNotice,

    /// <summary>A release form (45 C.F.R. § 164.508).</summary>
    AuthorizationForm,

    /// <summary>A release form for psychotherapy notes alone.</summary>
    PsychotherapyNotesAuthorizationForm,

    /// <summary>A 42 C.F.R. Part 2 consent form.</summary>
    SudConsentForm,

    /// <summary>The cover letter sent with disclosed records.</summary>
    DisclosureCoverLetter,

    /// <summary>The worksheet for a mandated report.</summary>
    MandatedReportWorksheet,

    /// <summary>The record of acting under the duty to protect.</summary>
    DutyToProtectRecord,

    /// <summary>The letter that neither confirms nor denies a client relationship.</summary>
    ConfidentialityResponseLetter,

    /// <summary>The letter answering the client's access request.</summary>
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
