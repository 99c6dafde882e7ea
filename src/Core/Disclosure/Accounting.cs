using Confide.Core.Triage;

namespace Confide.Core.Disclosure;

/// <summary>
/// The legal basis a disclosure was made on, as far as the accounting of disclosures
/// (45 C.F.R. § 164.528, catalog id <c>hipaa-164.528</c>) needs to tell them apart.
/// </summary>
public enum DisclosureBasis
{
    /// <summary>A court order (45 C.F.R. § 164.512(e)(1)(i); catalog <c>hipaa-164.512-e</c>): accounted for.</summary>
    CourtOrder,

    /// <summary>A subpoena or discovery request with the assurances § 164.512(e)(1)(ii) asks for (<c>hipaa-164.512-e</c>): accounted for.</summary>
    Subpoena,

    /// <summary>A report of child abuse or neglect to the authority that receives them (§ 164.512(b)(1)(ii); <c>hipaa-164.512-b</c>): accounted for.</summary>
    AbuseReport,

    /// <summary>To avert a serious and imminent threat (§ 164.512(j); <c>hipaa-164.512-j</c>): accounted for.</summary>
    SeriousThreat,

    /// <summary>Under the client's written authorization (§ 164.508; <c>hipaa-164.508</c>): left out by § 164.528(a)(1)(iv).</summary>
    ClientAuthorization,

    /// <summary>To the client themself (§§ 164.502, 164.524; <c>hipaa-164.524</c>): left out by § 164.528(a)(1)(ii).</summary>
    ToClient,

    /// <summary>For treatment, payment or health care operations (§ 164.506): left out by § 164.528(a)(1)(i).</summary>
    TreatmentPaymentOperations,

    /// <summary>To people involved in the client's care, or for notification (§ 164.510; <c>hipaa-164.510-b</c>): left out by § 164.528(a)(1)(v).</summary>
    InvolvedInCare,

    /// <summary>For national security or intelligence (§ 164.512(k)(2)): left out by § 164.528(a)(1)(vi).</summary>
    NationalSecurity,

    /// <summary>To a correctional institution or law enforcement official having custody (§ 164.512(k)(5)): left out by § 164.528(a)(1)(vii).</summary>
    Custody,

    /// <summary>As part of a limited data set (§ 164.514(e)): left out by § 164.528(a)(1)(viii).</summary>
    LimitedDataSet,
}

/// <summary>
/// One recorded disclosure, as the accounting reads it. <see cref="Corrects"/> names an earlier
/// entry this one corrects (entries are never edited: a correction is a new entry).
/// </summary>
/// <param name="Id">The entry's identifier.</param>
/// <param name="DisclosedOn">The date of the disclosure.</param>
/// <param name="Basis">What it was made on.</param>
/// <param name="Recipient">Who received it.</param>
/// <param name="RecipientAddress">The recipient's address, when known.</param>
/// <param name="Description">A brief description of what was disclosed.</param>
/// <param name="Purpose">A brief statement of the purpose, or the basis (the order, the release) it relied on.</param>
/// <param name="Corrects">The entry this one corrects, if any.</param>
public sealed record DisclosureEntry(
    Guid Id,
    DateOnly DisclosedOn,
    DisclosureBasis Basis,
    string Recipient,
    string? RecipientAddress,
    string Description,
    string Purpose,
    Guid? Corrects
);

/// <summary>
/// Which disclosures a client's accounting under 45 C.F.R. § 164.528 holds. Pure: no I/O.
/// </summary>
public static class Accounting
{
    /// <summary>The catalog id of the rule (<c>hipaa-164.528</c>, verified).</summary>
    public const string CitationId = "hipaa-164.528";

    /// <summary>
    /// The period an accounting covers: § 164.528(a)(1) and (3) give the individual the disclosures
    /// of the six years before the date of the request (or a shorter period they ask for).
    /// </summary>
    public const int Years = 6;

    /// <summary>
    /// The compliance date before which disclosures are left out (§ 164.528(a)(1)(ix), with
    /// § 164.534: April 14, 2003 for most covered entities).
    /// </summary>
    public static readonly DateOnly ComplianceDate = new(2003, 4, 14);

    /// <summary>
    /// True when a disclosure on <paramref name="basis"/> belongs in the client's accounting:
    /// false for the kinds § 164.528(a)(1)(i)-(viii) leave out (treatment, payment and operations;
    /// to the client; under an authorization; to people involved in care; national security;
    /// custody; limited data sets), true for the rest (orders, subpoenas, abuse reports, threats).
    /// </summary>
    public static bool Accountable(DisclosureBasis basis) =>
        basis switch
        {
            DisclosureBasis.CourtOrder or DisclosureBasis.Subpoena or DisclosureBasis.AbuseReport or DisclosureBasis.SeriousThreat => true,
            DisclosureBasis.ClientAuthorization
            or DisclosureBasis.ToClient
            or DisclosureBasis.TreatmentPaymentOperations
            or DisclosureBasis.InvolvedInCare
            or DisclosureBasis.NationalSecurity
            or DisclosureBasis.Custody
            or DisclosureBasis.LimitedDataSet => false,
            _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "unknown disclosure basis"),
        };

    /// <summary>The paragraph of § 164.528 (or of the rule it points to) that decides <paramref name="basis"/>, in words.</summary>
    public static string Rule(DisclosureBasis basis) =>
        basis switch
        {
            DisclosureBasis.CourtOrder => "accounted for: 45 C.F.R. § 164.512(e) is not among the exceptions of § 164.528(a)(1)",
            DisclosureBasis.Subpoena => "accounted for: 45 C.F.R. § 164.512(e) is not among the exceptions of § 164.528(a)(1)",
            DisclosureBasis.AbuseReport => "accounted for: 45 C.F.R. § 164.512(b) is not among the exceptions of § 164.528(a)(1)",
            DisclosureBasis.SeriousThreat => "accounted for: 45 C.F.R. § 164.512(j) is not among the exceptions of § 164.528(a)(1)",
            DisclosureBasis.TreatmentPaymentOperations => "left out: 45 C.F.R. § 164.528(a)(1)(i)",
            DisclosureBasis.ToClient => "left out: 45 C.F.R. § 164.528(a)(1)(ii)",
            DisclosureBasis.ClientAuthorization => "left out: 45 C.F.R. § 164.528(a)(1)(iv)",
            DisclosureBasis.InvolvedInCare => "left out: 45 C.F.R. § 164.528(a)(1)(v)",
            DisclosureBasis.NationalSecurity => "left out: 45 C.F.R. § 164.528(a)(1)(vi)",
            DisclosureBasis.Custody => "left out: 45 C.F.R. § 164.528(a)(1)(vii)",
            DisclosureBasis.LimitedDataSet => "left out: 45 C.F.R. § 164.528(a)(1)(viii)",
            _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "unknown disclosure basis"),
        };

    /// <summary>The basis a determination's outcome discloses on, or null when the outcome discloses nothing.</summary>
    public static DisclosureBasis? BasisOf(Outcome outcome) =>
        outcome switch
        {
            Outcome.ComplyWithOrder => DisclosureBasis.CourtOrder,
            Outcome.DiscloseWithAuthorization => DisclosureBasis.ClientAuthorization,
            Outcome.ClientAccess => DisclosureBasis.ToClient,
            Outcome.MandatedReport => DisclosureBasis.AbuseReport,
            Outcome.DutyToProtect => DisclosureBasis.SeriousThreat,
            _ => null,
        };

    /// <summary>
    /// The entries as they stand: an entry corrected by a later one is replaced by the correction
    /// (following chains of corrections), oldest first by date.
    /// </summary>
    public static IReadOnlyList<DisclosureEntry> Current(IEnumerable<DisclosureEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var all = entries.ToList();
        var corrected = all.Where(e => e.Corrects is not null).Select(e => e.Corrects!.Value).ToHashSet();
        return all.Where(e => !corrected.Contains(e.Id)).OrderBy(e => e.DisclosedOn).ThenBy(e => e.Id).ToList();
    }

    /// <summary>
    /// A client's accounting requested on <paramref name="requestedOn"/>: the current entries
    /// (<see cref="Current"/>) whose basis is <see cref="Accountable"/>, made on or after the
    /// compliance date and within the six years before the request (§ 164.528(a)(1), (a)(3)),
    /// and not after the request date, oldest first.
    /// </summary>
    public static IReadOnlyList<DisclosureEntry> ForClient(IEnumerable<DisclosureEntry> entries, DateOnly requestedOn)
    {
        var from = requestedOn.AddYears(-Years);
        return Current(entries)
            .Where(e => Accountable(e.Basis) && e.DisclosedOn >= from && e.DisclosedOn >= ComplianceDate && e.DisclosedOn <= requestedOn)
            .ToList();
    }
}
