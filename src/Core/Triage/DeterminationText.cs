using System.Collections.Concurrent;
using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>
/// The words of determinations: fixed sentences (built once, so the engine's hot path does not
/// allocate them), labels, and the few sentences that depend on a profile, cached per key.
/// Jurisdiction facts themselves come from the profile data files.
/// </summary>
internal static class DeterminationText
{
    /// <summary>Why a category was withheld, by basis.</summary>
    internal enum WithheldBasis
    {
        Privileged,
        AwaitingWrittenOrder,
        Confidential,
        AwaitingRelease,
        AwaitingCounsel,
        ReportOnly,
        NotInRelease,
        NotesNeedOwnRelease,
        SudNeedsPart2Consent,
        NotInOrder,
        SudNeedsPart2Order,
        AccessExcludesNotes,
        AwaitingAuthority,
        ParentNoNotes,
        Part2FromParent,
        PersonalNotes,
        ConsentOnly,
        SudNeedsProceedingConsent,
        NotOpenedByStatute,
        AccessDenied,
    }

    private static readonly string[][] Withheld = BuildWithheld();

    internal static string WithheldReason(WithheldBasis basis, Category category) => Withheld[(int)basis][(int)category];

    private static string[][] BuildWithheld()
    {
        var bases = Enum.GetValues<WithheldBasis>();
        var table = new string[bases.Length][];
        foreach (var basis in bases)
        {
            table[(int)basis] = Categories.All.Select(c => Sentence(basis, c)).ToArray();
        }
        return table;
    }

    private static string Sentence(WithheldBasis basis, Category category)
    {
        var label = Categories.Label(category);
        var subject = char.ToUpperInvariant(label[0]) + label[1..];
        var isNotes = category == Category.PsychotherapyNotes;
        var isSud = category == Category.SudRecords;
        var why = basis switch
        {
            WithheldBasis.Privileged when isNotes =>
                "privileged, and psychotherapy notes need their own authorization or an order that names them; a subpoena alone never releases them (45 CFR 164.508(a)(2))",
            WithheldBasis.Privileged when isSud =>
                "SUD records need Part 2 consent, or a Part 2 order together with a subpoena; a subpoena alone never permits a response (42 CFR 2.64, 2.61)",
            WithheldBasis.Privileged => "privileged: nothing goes out without the client's written release or a judge's order",
            WithheldBasis.AwaitingWrittenOrder => "not disclosed until a written order states the purpose and names them",
            WithheldBasis.Confidential => "confidential: nothing is shared without the client's written release",
            WithheldBasis.AwaitingRelease when isNotes => "not disclosed until the client signs a separate psychotherapy-notes authorization",
            WithheldBasis.AwaitingRelease when isSud => "not disclosed until the client signs a consent that meets 42 CFR 2.31",
            WithheldBasis.AwaitingRelease => "not disclosed until the client signs a release that covers them",
            WithheldBasis.AwaitingCounsel => "kept confidential until a lawyer has advised you",
            WithheldBasis.ReportOnly => "a report shares only the facts it needs, never the record itself",
            WithheldBasis.NotInRelease => "the client's release does not cover them",
            WithheldBasis.NotesNeedOwnRelease =>
                "psychotherapy notes need a separate authorization of their own (45 CFR 164.508(a)(2)), and the release on file is not one",
            WithheldBasis.SudNeedsPart2Consent => "SUD records need a consent that meets 42 CFR 2.31, and the release on file is not one",
            WithheldBasis.NotInOrder => "the order does not name them, and only what it expressly covers may go (45 CFR 164.512(e)(1)(i))",
            WithheldBasis.SudNeedsPart2Order =>
                "SUD records may be disclosed only under a Part 2 order with the findings of 42 CFR 2.64, and this order is not one",
            WithheldBasis.AccessExcludesNotes =>
                "psychotherapy notes are excluded from the right of access (45 CFR 164.524(a)(1)(i), (a)(2)), and that exclusion is not open to review",
            WithheldBasis.AwaitingAuthority => "nothing is released until the requester's authority to act for the client is documented",
            WithheldBasis.ParentNoNotes => "parents have no right of access to psychotherapy notes (45 CFR 164.524(a)(1)(i))",
            WithheldBasis.Part2FromParent => "Part 2 records of a minor go to a parent only with the minor's written consent (42 CFR 2.14)",
            WithheldBasis.PersonalNotes =>
                "personal notes kept in the therapist's sole possession are not part of the record and are not produced in a proceeding on a release (740 ILCS 110/2, 110/3)",
            WithheldBasis.ConsentOnly => "the privilege yields only to the client's consent: nothing goes out while counsel asks the court to vacate or modify the order",
            WithheldBasis.NotOpenedByStatute =>
                "the statute that opens the child's records to an appointed representative does not reach psychotherapy notes or Part 2 records",
            WithheldBasis.AccessDenied => "access is denied on the ground stated above; the letter says how to ask for a review or complain",
            WithheldBasis.SudNeedsProceedingConsent =>
                "for use in a legal proceeding Part 2 records need a separate consent for that proceeding alone (42 CFR 2.31(d)), and the consent on file is not one",
        };
        return $"{subject}: withheld; {why}.";
    }

    internal static string RequesterLabel(Requester requester) =>
        requester switch
        {
            Requester.Attorney => "an attorney",
            Requester.Court => "a court",
            Requester.Client => "the client",
            Requester.Cps => "child protective services",
            Requester.LawEnforcement => "law enforcement",
            Requester.Insurer => "an insurer",
            Requester.Employer => "an employer",
            Requester.Family => "a family member",
            Requester.Provider => "another provider",
            Requester.Other => "someone outside the practice",
            Requester.LicensingBoard => "a licensing board",
            Requester.Parent => "a parent",
            Requester.Guardian => "a guardian",
            Requester.PersonalRepresentative => "a personal representative",
            Requester.ChildRepresentative => "the child's appointed representative",
        };

    internal static string InstrumentLabel(Instrument instrument) =>
        instrument switch
        {
            Instrument.Subpoena => "a subpoena",
            Instrument.CourtOrder => "a court order",
            Instrument.VerbalOrder => "a judge's verbal order",
            Instrument.Letter => "a letter",
            Instrument.Report => "a report",
            Instrument.None => "an informal request",
        };

    internal static string KindLabel(ProceedingKind kind) =>
        kind switch
        {
            ProceedingKind.Civil => "civil",
            ProceedingKind.Criminal => "criminal",
            ProceedingKind.Custody => "custody",
            ProceedingKind.ChildProtection => "child-protection",
            ProceedingKind.Administrative => "administrative",
        };

    // Reasons
    internal const string SubpoenaIsNotOrder =
        "A subpoena is a lawyer's assertion of a right to the records, not a court's decision that they must be produced: it must be answered by its deadline, but it does not override the privilege.";
    internal const string LetterHasNoForce = "A request with no legal instrument behind it creates no obligation to produce anything.";
    internal const string UnsignedOrder = "An order that no judge signed is not a court order for this purpose; it is treated like a subpoena.";
    internal const string HipaaWouldPermit =
        "HIPAA alone would allow production on a subpoena that comes with satisfactory assurances that the client was notified or a protective order was sought (45 CFR 164.512(e)(1)(ii)), or on a grand-jury subpoena; the therapist asserts the client's privilege first.";
    internal const string WaiverIsForTheCourt =
        "Whether the client's own claim waives the privilege is for the court to decide, not for the therapist: assert the privilege and let the court rule.";
    internal const string MentalConditionAtIssue = "The client has put their own mental condition at issue.";
    internal const string VerbalOrder =
        "A judge's demand from the bench is not yet a written decision. Ask for one that states that the privilege is pierced and for what specific purpose, and that limits disclosure to what that purpose needs.";
    internal const string JudgeSignedOrder =
        "A judge signed this order, so it is a court order and not a subpoena: HIPAA permits disclosing exactly what it expressly covers (45 CFR 164.512(e)(1)(i)), and no more.";
    internal const string BestInterestsOrder =
        "The order states its purpose and finds the records necessary to the child's best interests: that is the written pierce a custody or child-protection case needs.";
    internal const string FederalPrivilege =
        "In a federal case decided under federal law, the psychotherapist privilege recognized in Jaffee v. Redmond under FRE 501 protects what the client said in therapy, and it covers every licensed psychotherapist, clinical social workers included.";
    internal const string AuthorizationCovers =
        "The client's signed, unexpired release names this recipient and purpose, and the client confirmed what it will share: it permits disclosing exactly what it covers (45 CFR 164.508).";
    internal const string AuthorizationInProceeding = "Because the client released these records, the privilege does not stop producing what the release covers.";
    internal const string WantsDisclosure =
        "The client wants this shared, but no valid written release covers it. A wish is not a release: get a signed release that outlines exactly what will be shared (45 CFR 164.508).";
    internal const string PendingRelease =
        "A release on file would cover this request, but no one has yet confirmed with the client what it will share: go through it with them before anything is sent.";
    internal const string NoProceedingText =
        "There is no legal proceeding, so privilege is not the question; confidentiality is. The law may permit some disclosures without a release (HIPAA: treatment and payment, 164.506(c); family and emergencies, 164.510(b); a serious threat, 164.512(j); what the law requires, 164.512(a)), but a written release is Confide's policy and the ethics codes' preference, and nothing is shared without one.";
    internal const string VerbalOrderText =
        "A ruling from the bench binds, but it is not yet a written decision. Claim the privilege on the record for the client and ask for a written order that states that the privilege is pierced and for what specific purpose, limited to what that purpose needs, and sealed.";
    internal const string NotLicensedAssociate =
        "The privilege here does not reach a clinician below full licensure (an associate, intern or trainee), so it may not apply.";
    internal const string JointTherapy =
        "The records come from joint therapy: each participant holds the privilege for what they said, and each individual competent to execute a waiver must authorize a disclosure (AAMFT 2.2).";
    internal const string FamilyInvolved =
        "HIPAA would let you share with family involved in the client's care when the client does not object (45 CFR 164.510(b)); Confide asks for a written release instead, as AAMFT 2.2 does.";
    internal const string NotLicensed =
        "The privilege protects confidences made to a licensed psychotherapist; this clinician is not licensed, so it may not apply.";
    internal const string OtherProfession =
        "The privilege protects confidences made to a psychotherapist; this profession is not one the profile recognizes, so it may not apply.";
    internal const string NotInTherapy =
        "The privilege protects confidences shared in the course of diagnosis or treatment; this information was not, so it may not apply.";
    internal const string StillConfidential =
        "The records are still confidential even where the privilege may not apply: produce nothing until a lawyer has advised you.";
    internal const string NoReportDue =
        "Nothing here calls for a report: neither suspected child abuse nor a serious threat. Report only when the law requires it; otherwise the information stays confidential.";
    internal const string ReportOverridesPrivilege =
        "Suspected child abuse must be reported: privilege does not stop a mandated report, and HIPAA permits it (45 CFR 164.512(b)(1)(ii)).";
    internal const string SeriousThreat =
        "A serious threat of violence against a reasonably identifiable victim: the protective privilege ends where the public peril begins (Tarasoff), and HIPAA permits a good-faith disclosure to prevent a serious and imminent threat (45 CFR 164.512(j)).";
    internal const string RightOfAccess =
        "The client has a right to inspect and copy their own records (45 CFR 164.524); a lawsuit does not take it away, except for material compiled for the litigation itself.";
    internal const string SudOwnAccess = "SUD records are included: Part 2 does not bar a patient's own access to their records.";
    internal const string ReleaseRevoked = "The release on file was revoked, so it permits nothing further.";
    internal const string ReleaseExpired = "The release on file has expired, so it permits nothing further.";
    internal const string ReleaseUnsigned = "The release on file is not signed, so it permits nothing.";
    internal const string ReleaseOtherRecipient = "The release on file does not name this requester, so it does not apply.";
    internal const string ReleaseOtherPurpose = "The release on file does not cover this purpose, so it does not apply.";
    internal const string ReleaseOtherRecords = "The release on file does not cover any of the records requested.";

    // Steps
    internal const string StepDoNotIgnore = "Do not ignore the request: answer it by the deadline, and produce no records and give no testimony in the meantime.";
    internal const string StepTellClient =
        "Tell the client what was requested and by whom, and ask whether they want to release the records or object; with their permission, speak with their attorney.";
    internal const string StepAssertInWriting =
        "Refuse in writing on the client's behalf, citing the privilege and your ethics code, without confirming or denying that the person is your client (privilege-assertion-letter); a spoken refusal alone is not enough.";
    internal const string StepNothingWithoutReleaseOrOrder =
        "Produce nothing unless the client signs a written release or a judge signs an order; when either arrives, triage it again.";
    internal const string StepQuash =
        "If the requester persists, the client's attorney can move to quash the subpoena or for a protective order; consult your own attorney or your insurer's risk-management line if unsure.";
    internal const string StepNotesNever = "Never release psychotherapy notes on a subpoena: they need their own authorization or an order that names them.";
    internal const string StepSudSubpoena =
        "For SUD records, a subpoena alone never permits a response: it takes Part 2 consent, or a Part 2 order (42 CFR 2.64) together with a subpoena.";
    internal const string StepNotYet = "Do not disclose yet; say so respectfully, on the record if you are in court.";
    internal const string StepAskWrittenOrder =
        "Ask the court for a written order that states that the privilege is pierced, for what specific purpose, and which records that purpose needs (written-order-request).";
    internal const string StepSealInCamera =
        "Ask that anything produced be limited as narrowly as possible, sealed, or reviewed by the judge in camera first (NASW 1.07(j), ACA B.2.d).";
    internal const string StepTellClientCourt = "Tell the client what the court asked for and what you did (client-notice); their attorney can be heard on it.";
    internal const string StepRetriageOrder = "When a written order arrives, triage it again and disclose only what it names.";
    internal const string StepOnlyWhatOrderNames = "Disclose only the records the order expressly names (listed as what may be disclosed), and nothing else.";
    internal const string StepAskNarrow =
        "Ask the court to limit the order as narrowly as possible, to seal the records, or to review them in camera before they reach the parties (NASW 1.07(j), ACA B.2.d).";
    internal const string StepOrderNotSuspended = "Asking for that does not suspend the order: unless the court changes it, comply by its deadline.";
    internal const string StepTellClientOrder = "Tell the client what the order requires and what you will send (client-notice).";
    internal const string StepCoverLetterOrder =
        "Send the records with a cover letter stating the basis, the scope and the limits on redisclosure (disclosure-cover-letter); keep a copy, and log the disclosure for the client's accounting (45 CFR 164.528).";
    internal const string StepSudPart2OrderNotCompel =
        "A Part 2 order authorizes the disclosure of SUD records but does not compel it: produce them only if a subpoena or similar mandate also requires it (42 CFR 2.61).";
    internal const string StepTestData = "Release test data only as the law or a court order requires, and keep test materials secure (APA 9.04(b)).";
    internal const string StepOnlyWhatReleaseCovers =
        "Disclose only what the release covers (listed as what may be disclosed) and nothing more; respect any date range the release sets.";
    internal const string StepCoverLetterRelease =
        "Send it with a cover letter that names the release it relies on and warns against redisclosure (disclosure-cover-letter); keep a copy with the release.";
    internal const string StepOutsideRelease = "Send nothing outside the release; if more is wanted, ask the client whether they will sign a new release.";
    internal const string StepAnswerWithReleased = "Answer the subpoena by its deadline with the released records only.";
    internal const string StepReviewWithClient =
        "Meet the client and go through exactly what would be shared, with whom, for what purpose and until when, and make sure they understand it.";
    internal const string StepSignRelease = "Have the client sign a release with every element and statement 45 CFR 164.508(c) requires (authorization-form).";
    internal const string StepNotesRelease =
        "Psychotherapy notes need a separate authorization of their own, never combined with other records (45 CFR 164.508(a)(2), (b)(3)(ii)) (psychotherapy-notes-authorization-form).";
    internal const string StepSudConsent =
        "SUD records need a consent that meets 42 CFR 2.31 (sud-consent-form); for use in a legal proceeding, a separate consent for that use alone (2.31(d)).";
    internal const string StepShareNothingUntilSigned = "Share nothing until the release is signed; then triage the request again.";
    internal const string StepMeanwhileAssert = "Meanwhile, answer the request by its deadline: assert the privilege in writing until the release is signed.";
    internal const string StepDiscloseNothing =
        "Disclose nothing, and do not confirm or deny that the person is a client unless the client has authorized it.";
    internal const string StepConfidentialityLetter =
        "Reply in writing that you cannot share confidential information without the client's written authorization (confidentiality-response-letter).";
    internal const string StepTellClientRelease = "Tell the client about the request; if they want it shared, get a written release and triage again.";
    internal const string StepDocumentNoReport = "Document your assessment and why no report was required.";
    internal const string StepNoProduction = "Do not produce records or testify yet: the records stay confidential.";
    internal const string StepLegalAdvice = "Get legal advice before the deadline, from your attorney or your liability insurer's risk-management service.";
    internal const string StepTellClientCounsel = "Tell the client what was requested (client-notice); their attorney may move to quash or for a protective order.";
    internal const string StepRespondSomehow = "Respond by the deadline in some form: ignoring a subpoena risks contempt.";
    internal const string StepReportOnlyNeeded =
        "Share only the facts the report needs (mandated-report-worksheet); do not send the record.";
    internal const string StepDocumentReport = "Document the report: when, to whom, the reference number, and what you shared.";
    internal const string StepTellClientReport =
        "Decide with care whether and when to tell the client, never in a way that puts the child at risk.";
    internal const string StepReportNotWaiver = "A report is not a waiver: later requests for the records are triaged on their own.";
    internal const string StepMandatoryDuty =
        "Act now: this jurisdiction makes it a duty. Make reasonable efforts to warn the intended victim and notify law enforcement.";
    internal const string StepPermissiveDuty =
        "This jurisdiction permits, but does not require, a protective disclosure: decide with your clinical judgment, consult where you can, and document the reasoning.";
    internal const string StepMinimumToProtect =
        "Disclose only what is needed to prevent the harm: the threat, who is at risk, and what they need to act.";
    internal const string StepClinicalSteps =
        "Consider clinical steps as well: more frequent sessions, safety planning, or voluntary or involuntary hospitalization.";
    internal const string StepRecordThreat =
        "Record the threat, your assessment, whom you told, when, and why (duty-to-protect-record).";
    internal const string StepVerifyIdentity = "Confirm the requester's identity and, for a minor or a represented client, who holds the right of access.";
    internal const string StepWrittenDenial =
        "Any denial must be in writing and in plain language, with the reason and the client's review rights (45 CFR 164.524(d)) (access-response-letter).";
    internal const string StepFee = "Charge no more than a reasonable, cost-based fee for copies.";

    private static readonly ConcurrentDictionary<(string Profile, Profession Profession, ProceedingKind Kind, Forum Forum), string> PrivilegeSentences = new();
    private static readonly ConcurrentDictionary<string, string> ReportSentences = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> BaselineWarnings = new(StringComparer.Ordinal);

    /// <summary>Whose privilege reaches the proceeding, in a state forum or a federal one under state law.</summary>
    public static string PrivilegeReaches(JurisdictionProfile profile, Profession profession, Proceeding proceeding, PrivilegeFact privilege) =>
        PrivilegeSentences.GetOrAdd(
            (profile.Id, profession, proceeding.Kind, proceeding.Forum),
            static (key, name) =>
            {
                var forum = key.Forum == Forum.Federal ? "In a federal case decided under state law, FRE 501 applies state privilege law: the" : "The";
                return $"{forum} privilege reaches this {KindLabel(key.Kind)} proceeding: {name}. It protects what the client said in therapy, and you claim it on the client's behalf.";
            },
            privilege.Name
        );

    /// <summary>Where and when to report suspected child abuse under <paramref name="reporting"/>.</summary>
    public static string ReportTo(string profileId, ReportingFact reporting) =>
        ReportSentences.GetOrAdd(profileId, static (_, r) => $"Report to {r.Agency}: {r.Deadline}.", reporting);

    /// <summary>The warning for a jurisdiction triaged under the baseline.</summary>
    public static string NoStateProfile(string jurisdiction) =>
        BaselineWarnings.GetOrAdd(
            jurisdiction,
            static j =>
                $"No state profile for {j}: this determination applies federal law, HIPAA and the ethics codes only; the state's own privilege, reporting and access law were not applied."
        );
}
