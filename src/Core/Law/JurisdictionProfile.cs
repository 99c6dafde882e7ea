using Confide.Core.Requests;

namespace Confide.Core.Law;

/// <summary>Whether a determination was made under a state's own profile or the baseline.</summary>
public enum Coverage
{
    /// <summary>The jurisdiction has its own profile.</summary>
    State,

    /// <summary>No state profile: federal law, HIPAA and the ethics codes only.</summary>
    Baseline,
}

/// <summary>How a jurisdiction treats a serious threat of violence (P9).</summary>
public enum DutyKind
{
    /// <summary>The clinician must act (warn, notify, or otherwise protect).</summary>
    Mandatory,

    /// <summary>The clinician may disclose to protect, but is not required to.</summary>
    Permissive,

    /// <summary>No duty is recognised for the profession; HIPAA 164.512(j) still permits.</summary>
    None,

    /// <summary>Unknown here: state law varies and no state profile applies.</summary>
    Varies,
}

/// <summary>How a jurisdiction treats suspected elder or dependent-adult abuse (P8, rule 1.2).</summary>
public enum ElderAbuseRule
{
    /// <summary>A duty binds the clinician: <c>mandated-report</c>.</summary>
    Mandatory,

    /// <summary>A duty binds only for the impairments listed (FL, IL); another value: confidential; absent: consult counsel.</summary>
    Impairment,

    /// <summary>No duty for a community clinician; a voluntary report with the adult's agreement (PA).</summary>
    Voluntary,

    /// <summary>No duty; the routes are named; an incapacitated adult: consult counsel (NY).</summary>
    VoluntaryRoutes,

    /// <summary>Confirm the state's duty now: <c>consult-counsel</c> (the baseline).</summary>
    Consult,
}

/// <summary>
/// One fact of a profile: what it says, for which professions and proceeding kinds, on which
/// citations, and the fact's own status when it is lower than its citations'.
/// </summary>
public record Fact
{
    /// <summary>The professions it holds for; null for every profession.</summary>
    public IReadOnlyList<Profession>? Professions { get; init; }

    /// <summary>The proceeding kinds it holds for; null for every kind.</summary>
    public IReadOnlyList<ProceedingKind>? Kinds { get; init; }

    /// <summary>Citation ids (each in the catalog); empty when the research names none.</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];

    /// <summary>The fact's own status when lower than its citations' (e.g. a gap said to be P); null otherwise.</summary>
    public VerificationStatus? Status { get; init; }

    /// <summary>What it means, for a person, in the project's own words.</summary>
    public string Summary { get; init; } = "";

    /// <summary>A warning that must go with the fact whenever it is relied on; null for none.</summary>
    public string? Warning { get; init; }

    /// <summary>True when the fact holds for <paramref name="profession"/> and, if given, <paramref name="kind"/>.</summary>
    public bool Matches(Profession profession, ProceedingKind? kind = null) =>
        (Professions is null || Professions.Contains(profession)) && (Kinds is null || kind is null || Kinds.Contains(kind.Value));
}

/// <summary>A privilege statute and where it reaches (profiles.md section 1).</summary>
public sealed record PrivilegeFact : Fact
{
    /// <summary>A name for a person, e.g. "California's psychotherapist-patient privilege (Evid. Code 1014)".</summary>
    public string Name { get; init; } = "";

    /// <summary>The privilege yields only to consent or a waiver finding, not to an order (rule 4.5.1).</summary>
    public bool ConsentOnly { get; init; }

    /// <summary>The appellate cases cited under rule 4.5.1 and 4.5.2 for this privilege.</summary>
    public IReadOnlyList<string> ConsentOnlyCitations { get; init; } = [];

    /// <summary>A step added under rule 4.5.1 for what this state's courts allow (Pennsylvania's in camera review); null for none.</summary>
    public string? ConsentOnlyNote { get; init; }
}

/// <summary>Which clinicians below full licensure a privilege covers (P5, section 1).</summary>
public sealed record AssociateFact : Fact
{
    /// <summary>The license statuses covered: <c>associate</c>, and <c>unlicensed</c> where belief suffices.</summary>
    public IReadOnlyList<LicenseStatus> Statuses { get; init; } = [];

    /// <summary>Coverage needs the client's reasonable belief that the clinician was licensed.</summary>
    public bool RequiresBelief { get; init; }

    /// <summary>The research covers only the professions (and belief) named: for any other associate the
    /// baseline's row applies with a warning (<c>US-NC</c> other professions, <c>US-NJ</c> without belief).</summary>
    public bool OthersNotResearched { get; init; }
}

/// <summary>A records-subpoena rule (section 2), with the notice period it gives, if any.</summary>
public sealed record SubpoenaFact : Fact
{
    /// <summary>Days of notice the statute gives the patient before production; null for none.</summary>
    public int? NoticeDays { get; init; }
}

/// <summary>The child-abuse reporting rule (P7).</summary>
public sealed record ReportingFact : Fact
{
    /// <summary>Where the report goes.</summary>
    public string Agency { get; init; } = "";

    /// <summary>When it is due, in words.</summary>
    public string Deadline { get; init; } = "";
}

/// <summary>The elder or dependent-adult abuse rule (P8).</summary>
public sealed record ElderAbuseFact : Fact
{
    /// <summary>Which branch of rule 1.2 applies.</summary>
    public ElderAbuseRule Rule { get; init; }

    /// <summary>For <see cref="ElderAbuseRule.Impairment"/>: the values that bring the duty.</summary>
    public IReadOnlyList<AdultImpairment> Impairments { get; init; } = [];

    /// <summary>Where a report goes and when, in words.</summary>
    public string Deadline { get; init; } = "";
}

/// <summary>The duty to protect a third party, by profession (P9).</summary>
public sealed record DutyFact : Fact
{
    /// <summary>Mandatory, permissive, none, or varies (baseline).</summary>
    public DutyKind Duty { get; init; }
}

/// <summary>Access deadlines and state access to notes (P6, section 10).</summary>
public sealed record AccessFact : Fact
{
    /// <summary>Days for copies.</summary>
    public int CopyDays { get; init; } = 30;

    /// <summary>Days for inspection; null: as for copies.</summary>
    public int? InspectDays { get; init; }

    /// <summary>The days are working days (Monday to Friday; holidays not excluded).</summary>
    public bool WorkingDays { get; init; }

    /// <summary>Inspection days are working days (California's 5 working days).</summary>
    public bool InspectWorkingDays { get; init; }

    /// <summary>Days for copies when a proceeding is given (Virginia); null otherwise.</summary>
    public int? ProceedingCopyDays { get; init; }

    /// <summary>A warning for a personal representative (the deadline may not bind an executor).</summary>
    public string? RepresentativeWarning { get; init; }

    /// <summary>The allowed extension, in words.</summary>
    public string Extension { get; init; } = "";

    /// <summary>State access to psychotherapy notes (Texas); null where HIPAA's exclusion stands.</summary>
    public Fact? NotesAccessible { get; init; }

    /// <summary>
    /// The deadline that applies (rule 2.6): the days, whether they are working days, and whether it
    /// is shorter than HIPAA's 30 calendar days (then the profile's citation fires).
    /// </summary>
    /// <param name="kind">Copy or inspect.</param>
    /// <param name="inProceeding">A proceeding was given (Virginia's litigation deadline, for copies only).</param>
    public (int Days, bool WorkingDays, bool Shorter) DeadlineFor(AccessKind kind, bool inProceeding)
    {
        if (kind == AccessKind.Inspect && InspectDays is { } inspect)
        {
            return (inspect, InspectWorkingDays, true);
        }
        if (inProceeding && kind == AccessKind.Copy && ProceedingCopyDays is { } inProceedingDays)
        {
            return (inProceedingDays, false, true);
        }
        return (CopyDays, WorkingDays, CopyDays < 30 || WorkingDays);
    }
}

/// <summary>Minors and parents (P11, rule 2.5).</summary>
public sealed record MinorsFact : Fact
{
    /// <summary>Care the minor consented to alone: <c>true</c> gives consult-counsel (NY, FL); else confidential.</summary>
    public bool ConsentAloneConsult { get; init; }

    /// <summary>The rule on who may consent alone, with its citation.</summary>
    public Fact? ConsentAlone { get; init; }

    /// <summary>A parent's access to the care the minor controls, with its citation.</summary>
    public Fact? ParentAccess { get; init; }

    /// <summary>A parent without decision authority keeps access (2.5.6); false: consult counsel.</summary>
    public bool NonCustodialKeepsAccess { get; init; }

    /// <summary>The non-custodial parent's rule, with its citation.</summary>
    public Fact? NonCustodial { get; init; }

    /// <summary>From this age a minor may object to a parent's access (Illinois 12).</summary>
    public int? ObjectFromAge { get; init; }

    /// <summary>The objection rule, with what the parent keeps.</summary>
    public Fact? Objection { get; init; }

    /// <summary>From this age a parent's or guardian's release needs the minor's signature too (IL 12, CA 12).</summary>
    public int? CoSignFromAge { get; init; }

    /// <summary>The co-signature rule, with its citation.</summary>
    public Fact? CoSign { get; init; }

    /// <summary>The harm-denial rule (164.524(a)(3) or the state's).</summary>
    public Fact? HarmDenial { get; init; }

    /// <summary>The state's harm denial is a bar not open to review (California).</summary>
    public bool HarmDenialNotReviewable { get; init; }
}

/// <summary>Who speaks for the child in custody (P12) and appointed representatives (2.4).</summary>
public sealed record ChildSpeakerFact : Fact
{
    /// <summary>A custody release gives consult-counsel (4.7) below this age (18: always; 12: Illinois); null: assert the privilege.</summary>
    public int? CustodyReleaseConsultBelowAge { get; init; }

    /// <summary>From this age the minor holds the privilege and the steps ask that the minor be heard (Illinois 12).</summary>
    public int? MinorHoldsFromAge { get; init; }

    /// <summary>An appointed child representative gets the records by statute (Texas); otherwise an order is needed.</summary>
    public bool RepresentativeByStatute { get; init; }

    /// <summary>The appointed-representative rule, with its citation (2.4).</summary>
    public Fact? Representative { get; init; }
}

/// <summary>
/// A jurisdiction's privilege and confidentiality law as data (<c>spec/profiles.md</c>): where its
/// privileges reach, the other privilege facts and the facts P1–P16, each with citation ids and a
/// status. Loaded from the versioned files in <c>Law/Data/profiles</c>. A null fact (or an empty
/// list) in a state profile means "not researched": the engine then uses the baseline's and warns
/// that the state's rule was not applied. Immutable and thread-safe.
/// </summary>
public sealed record JurisdictionProfile
{
    /// <summary><c>baseline</c> or a jurisdiction code such as <c>US-CA</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>A name for a person.</summary>
    public string Name { get; init; } = "";

    /// <summary>The data version.</summary>
    public string Version { get; init; } = "";

    /// <summary>When a person last reviewed the data against the law.</summary>
    public DateOnly ReviewedOn { get; init; }

    /// <summary>Privileges by profession (section 1); a profession none matches is not covered.</summary>
    public IReadOnlyList<PrivilegeFact> Privilege { get; init; } = [];

    /// <summary>Why a profession is not covered (rule 4.3), with the citation and status where the research gives them.</summary>
    public IReadOnlyList<Fact> NotCovered { get; init; } = [];

    /// <summary>Proceedings a privilege does not reach (rule 4.4), by profession and kind.</summary>
    public IReadOnlyList<Fact> Gaps { get; init; } = [];

    /// <summary>Reaches the research calls unknown: reached, with a warning.</summary>
    public IReadOnlyList<Fact> UnverifiedReach { get; init; } = [];

    /// <summary>Associates and others covered (P5); null: not researched (the baseline: not covered).</summary>
    public AssociateFact? Associates { get; init; }

    /// <summary>The ethics code by profession (the baseline's; states inherit it).</summary>
    public IReadOnlyList<Fact> EthicsCodes { get; init; } = [];

    /// <summary>Patient-litigant entries (section 2), by profession.</summary>
    public IReadOnlyList<Fact> PatientLitigant { get; init; } = [];

    /// <summary>Custody entries cited where the privilege governs and reaches in custody.</summary>
    public IReadOnlyList<Fact> Custody { get; init; } = [];

    /// <summary>Criminal-case entries (e.g. Georgia's Bobo).</summary>
    public IReadOnlyList<Fact> Criminal { get; init; } = [];

    /// <summary>Subpoena-alone rules for a records subpoena in a state forum (section 2).</summary>
    public IReadOnlyList<SubpoenaFact> SubpoenaAlone { get; init; } = [];

    /// <summary>Cited on every assertion of the privilege (Massachusetts: not self-executing).</summary>
    public IReadOnlyList<Fact> Assertion { get; init; } = [];

    /// <summary>Steps for facts the request cannot express (section 2's last column).</summary>
    public IReadOnlyList<Fact> Notes { get; init; } = [];

    /// <summary>Licensing-board subpoena exceptions (rule 4.7, R13).</summary>
    public IReadOnlyList<Fact> Board { get; init; } = [];

    /// <summary>How the state reads <c>order.statesPurpose</c> (North Carolina); null: as written.</summary>
    public Fact? OrderFinding { get; init; }

    /// <summary>Personal notes (Illinois P4); null where there is no such rule.</summary>
    public Fact? PersonalNotes { get; init; }

    /// <summary>A child-protection agency's right to records (rule 3.5, R5); null: none.</summary>
    public Fact? CpsRecords { get; init; }

    /// <summary>Days the <see cref="CpsRecords"/> rule gives to respond (Michigan 14); null: none.</summary>
    public int? CpsRecordsDays { get; init; }

    /// <summary>The child-abuse reporting rule (P7).</summary>
    public ReportingFact? Reporting { get; init; }

    /// <summary>The elder-abuse rule (P8); null: not researched.</summary>
    public ElderAbuseFact? ElderAbuse { get; init; }

    /// <summary>The duty to protect by profession (P9); a profession none matches: not researched.</summary>
    public IReadOnlyList<DutyFact> DutyToProtect { get; init; } = [];

    /// <summary>Danger to self by profession (P9); a profession none matches: not researched.</summary>
    public IReadOnlyList<Fact> SelfHarm { get; init; } = [];

    /// <summary>The holder after death by profession (P10); a profession none matches: not researched.</summary>
    public IReadOnlyList<Fact> AfterDeath { get; init; } = [];

    /// <summary>A personal representative's release does not reach a proceeding and access goes to counsel (Georgia, P10).</summary>
    public bool AfterDeathConsult { get; init; }

    /// <summary>Minors and parents (P11); null: not researched.</summary>
    public MinorsFact? Minors { get; init; }

    /// <summary>Who speaks for the child (P12, 2.4); null: not researched.</summary>
    public ChildSpeakerFact? ChildSpeaker { get; init; }

    /// <summary>Treatment and payment (P13); null: not researched.</summary>
    public Fact? TreatmentPayment { get; init; }

    /// <summary>Each joint-therapy participant holds the privilege (section 9); null: nothing state-specific.</summary>
    public Fact? JointTherapy { get; init; }

    /// <summary>Access deadlines (P6, section 10); null: the baseline's 30 days.</summary>
    public AccessFact? Access { get; init; }

    /// <summary>The child-victim exception, cited with a child-abuse report (California Evid. 1027).</summary>
    public Fact? ChildVictim { get; init; }

    /// <summary>The state's requirements for a release form (P14 California, P15 Illinois), cited when one is to be signed; null for none.</summary>
    public Fact? AuthorizationForm { get; init; }

    /// <summary>The clinician's own duty to claim the privilege before the court (California Evid. 1015), cited under rule 4.6; null for none.</summary>
    public Fact? BenchClaim { get; init; }

    /// <summary>The privilege for <paramref name="profession"/> in most proceedings (one not limited to a kind first).</summary>
    public PrivilegeFact? PrivilegeFor(Profession profession) =>
        Privilege.FirstOrDefault(p => p.Kinds is null && p.Matches(profession)) ?? Privilege.FirstOrDefault(p => p.Matches(profession));

    /// <summary>The ethics code for <paramref name="profession"/>.</summary>
    public Fact? EthicsCodeFor(Profession profession) => EthicsCodes.FirstOrDefault(e => e.Matches(profession));

    /// <summary>The patient-litigant entry for <paramref name="profession"/>, if the profile has one.</summary>
    public Fact? PatientLitigantFor(Profession profession) => PatientLitigant.FirstOrDefault(e => e.Matches(profession));

    /// <summary>The duty to protect for <paramref name="profession"/>, if the profile has one.</summary>
    public DutyFact? DutyFor(Profession profession) => DutyToProtect.FirstOrDefault(e => e.Matches(profession));

    /// <summary>Every citation id the profile refers to.</summary>
    public IEnumerable<string> CitationIds()
    {
        IEnumerable<Fact?> singles =
        [
            Associates, OrderFinding, PersonalNotes, CpsRecords, Reporting, ElderAbuse, Minors, Minors?.ConsentAlone,
            Minors?.ParentAccess, Minors?.NonCustodial, Minors?.Objection, Minors?.CoSign, Minors?.HarmDenial, ChildSpeaker,
            ChildSpeaker?.Representative, TreatmentPayment, JointTherapy, Access, Access?.NotesAccessible, ChildVictim, AuthorizationForm,
            BenchClaim,
        ];
        IEnumerable<Fact> lists =
        [
            .. Privilege, .. NotCovered, .. Gaps, .. UnverifiedReach, .. EthicsCodes, .. PatientLitigant, .. Custody,
            .. Criminal, .. SubpoenaAlone, .. Assertion, .. Notes, .. Board, .. DutyToProtect, .. SelfHarm, .. AfterDeath,
        ];
        foreach (var fact in singles.OfType<Fact>().Concat(lists))
        {
            foreach (var id in fact.Citations)
            {
                yield return id;
            }
        }
        foreach (var p in Privilege)
        {
            foreach (var id in p.ConsentOnlyCitations)
            {
                yield return id;
            }
        }
    }
}

/// <summary>The profile facts a determination reports: which data it was made under.</summary>
/// <param name="Jurisdiction">The request's jurisdiction, e.g. <c>US-OR</c>.</param>
/// <param name="Version">The data version of the profile used.</param>
/// <param name="ReviewedOn">When that profile was last reviewed.</param>
/// <param name="Coverage">State or baseline.</param>
public sealed record ProfileRef(string Jurisdiction, string Version, DateOnly ReviewedOn, Coverage Coverage);
