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

/// <summary>How a jurisdiction treats a serious threat of violence.</summary>
public enum DutyKind
{
    /// <summary>The clinician must act (warn, notify, or otherwise protect).</summary>
    Mandatory,

    /// <summary>The clinician may disclose to protect, but is not required to.</summary>
    Permissive,

    /// <summary>Unknown here: state law varies and no state profile applies.</summary>
    Varies,
}

/// <summary>A statute or case, by citation id, with the sentence that explains it.</summary>
/// <param name="Citation">Citation id in the catalog.</param>
/// <param name="Summary">What it means for this request, for a person.</param>
public sealed record CitedRule(string Citation, string Summary);

/// <summary>The privilege a profession has in a jurisdiction.</summary>
/// <param name="Citation">The privilege statute's citation id, or null in the baseline (state law not applied).</param>
/// <param name="Name">A name for a person, e.g. "California's psychotherapist-patient privilege (Evid. Code 1014)".</param>
/// <param name="NotReached">Proceedings the privilege does not reach, each with the citation for that gap.</param>
public sealed record PrivilegeRule(string? Citation, string Name, IReadOnlyDictionary<ProceedingKind, CitedRule> NotReached);

/// <summary>The right of access deadline.</summary>
/// <param name="DeadlineDays">Days from receipt to provide copies.</param>
/// <param name="Citation">The rule that sets it.</param>
/// <param name="Summary">The deadline in words.</param>
public sealed record AccessRule(int DeadlineDays, string Citation, string Summary);

/// <summary>The child-abuse reporting rule.</summary>
/// <param name="Citation">The reporting statute's id, or null in the baseline.</param>
/// <param name="Agency">Where the report goes.</param>
/// <param name="Deadline">When it is due, in words.</param>
public sealed record ReportingRule(string? Citation, string Agency, string Deadline);

/// <summary>The duty-to-protect (Tarasoff) rule.</summary>
/// <param name="Duty">Mandatory, permissive, or unknown.</param>
/// <param name="Citation">The state's statute, or null.</param>
/// <param name="Summary">What it requires or permits, in words.</param>
public sealed record DutyToProtectRule(DutyKind Duty, string? Citation, string Summary);

/// <summary>
/// A jurisdiction's privilege and confidentiality law as data: privilege by profession, where it
/// reaches, its exceptions, the access deadline, the reporting statute and the duty to protect.
/// Loaded from the versioned files in <c>Law/Data/profiles</c>; a state file inherits from the
/// baseline what it does not say. Immutable and thread-safe.
/// </summary>
public sealed class JurisdictionProfile
{
    /// <summary><c>baseline</c> or a jurisdiction code such as <c>US-CA</c>.</summary>
    public required string Id { get; init; }

    /// <summary>A name for a person.</summary>
    public required string Name { get; init; }

    /// <summary>The data version.</summary>
    public required string Version { get; init; }

    /// <summary>When a person last reviewed the data against the law.</summary>
    public required DateOnly ReviewedOn { get; init; }

    /// <summary>Privilege by profession; a profession absent here has no privilege statute.</summary>
    public required IReadOnlyDictionary<Profession, PrivilegeRule> Privilege { get; init; }

    /// <summary>Why a profession may lack a privilege here (e.g. New York counselors).</summary>
    public string? NoPrivilegeNote { get; init; }

    /// <summary>The ethics code by profession (from the baseline), with what it asks.</summary>
    public required IReadOnlyDictionary<Profession, CitedRule> EthicsCodes { get; init; }

    /// <summary>Patient-litigant exception: the client put their own mental condition at issue.</summary>
    public CitedRule? PatientLitigant { get; init; }

    /// <summary>Dangerous-patient exception.</summary>
    public CitedRule? DangerousPatient { get; init; }

    /// <summary>Child crime-victim exception.</summary>
    public CitedRule? ChildVictim { get; init; }

    /// <summary>How custody proceedings treat the privilege.</summary>
    public CitedRule? Custody { get; init; }

    /// <summary>A rule that a subpoena alone cannot compel production (Illinois).</summary>
    public CitedRule? SubpoenaNeedsOrder { get; init; }

    /// <summary>The client's right-of-access deadline.</summary>
    public required AccessRule Access { get; init; }

    /// <summary>The child-abuse reporting rule.</summary>
    public required ReportingRule Reporting { get; init; }

    /// <summary>The duty-to-protect rule.</summary>
    public required DutyToProtectRule DutyToProtect { get; init; }

    /// <summary>Every citation id the profile refers to.</summary>
    public IEnumerable<string> CitationIds()
    {
        foreach (var p in Privilege.Values)
        {
            if (p.Citation is not null)
            {
                yield return p.Citation;
            }
            foreach (var gap in p.NotReached.Values)
            {
                yield return gap.Citation;
            }
        }
        foreach (var e in EthicsCodes.Values)
        {
            yield return e.Citation;
        }
        foreach (var r in new[] { PatientLitigant, DangerousPatient, ChildVictim, Custody, SubpoenaNeedsOrder })
        {
            if (r is not null)
            {
                yield return r.Citation;
            }
        }
        yield return Access.Citation;
        if (Reporting.Citation is not null)
        {
            yield return Reporting.Citation;
        }
        if (DutyToProtect.Citation is not null)
        {
            yield return DutyToProtect.Citation;
        }
    }
}

/// <summary>The profile facts a determination reports: which data it was made under.</summary>
/// <param name="Jurisdiction">The request's jurisdiction, e.g. <c>US-OR</c>.</param>
/// <param name="Version">The data version of the profile used.</param>
/// <param name="ReviewedOn">When that profile was last reviewed.</param>
/// <param name="Coverage">State or baseline.</param>
public sealed record ProfileRef(string Jurisdiction, string Version, DateOnly ReviewedOn, Coverage Coverage);
