using Confide.Core.Law;
using Confide.Core.Requests;
using static Confide.Core.Triage.DeterminationText;

namespace Confide.Core.Triage;

/// <summary>
/// Turns a request for a client's information into a <see cref="Determination"/>, applying the
/// rules of <c>spec/triage.md</c> (version 2) in their order: the first rule that applies decides
/// the outcome. Deterministic for a given request and evaluation date; thread-safe; never throws on
/// a request that <see cref="RequestParser"/> accepted.
/// </summary>
public sealed partial class TriageEngine
{
    private readonly LawLibrary _law;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, string> _unverifiedWarnings;

    /// <summary>Creates an engine over <paramref name="law"/>.</summary>
    /// <param name="law">Profiles and the citation catalog, loaded once.</param>
    /// <param name="time">The clock, used only when a request gives no date and none is passed.</param>
    public TriageEngine(LawLibrary law, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(time);
        _law = law;
        _time = time;
        _unverifiedWarnings = law
            .Catalog.All.Where(c => c.Status == VerificationStatus.Unverified)
            .ToDictionary(
                c => c.Id,
                c => $"This determination relies on {c.Id} ({c.Text}), which is UNVERIFIED: it has not been confirmed against the primary text, so do not treat it as settled law.",
                StringComparer.Ordinal
            );
    }

    /// <summary>The profiles and catalog the engine applies.</summary>
    public LawLibrary Law => _law;

    /// <summary>
    /// The date a request is evaluated on: <paramref name="asOf"/>, else the request's
    /// <c>receivedOn</c>, else today's UTC date.
    /// </summary>
    public DateOnly EvaluationDate(TriageRequest request, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return asOf ?? request.ReceivedOn ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Evaluates <paramref name="request"/> on the date <see cref="EvaluationDate"/> gives.</summary>
    public Determination Evaluate(TriageRequest request, DateOnly? asOf = null)
    {
        var date = EvaluationDate(request, asOf);
        var (profile, profileRef) = _law.Resolve(request.Jurisdiction);
        var run = new Run(request, profile, _law.Baseline, profileRef.Coverage == Coverage.Baseline, date);
        var outcome = Decide(run);
        return run.Finish(outcome, profileRef, _unverifiedWarnings, _law.Catalog);
    }

    private static Outcome Decide(Run run)
    {
        var r = run.Request;
        if (r.Purpose is Purpose.Treatment or Purpose.Payment)
        {
            TreatmentOrPayment(run);
        }
        if (run.Joint)
        {
            run.Cite("aamft-2.2", JointTherapy);
            if (run.Profile.JointTherapy is { } joint)
            {
                run.Cite(joint);
            }
        }

        // Rule 1: the clinician is considering a disclosure of their own.
        if (r.Instrument == Instrument.Report)
        {
            return Report(run);
        }

        // Rule 2: the client, or someone acting for them, asks.
        var requester = run.Requester;
        if (requester == Requester.Client)
        {
            return Access(run, standingInForMinor: false);
        }
        if (requester is Requester.Parent or Requester.Guardian or Requester.PersonalRepresentative or Requester.ChildRepresentative
            && r.Instrument is Instrument.Letter or Instrument.None)
        {
            var decided = ActingForClient(run);
            if (decided is { } outcome)
            {
                return outcome;
            }
        }

        // Rules 3–4: a third party asks.
        var release = Release.Of(run);
        if (release.WhyNot is { } whyNot)
        {
            run.Reason(whyNot);
        }
        return r.Proceeding is null ? NoProceeding(run, release) : Proceeding(run, r.Proceeding, release);
    }

    // ---------------------------------------------------------------- rule 1: reports

    private static Outcome Report(Run run)
    {
        var c = run.Request.Concerns;
        run.Basis = WithheldBasis.ReportOnly;
        // R12: safety first — 1.3 and 1.4 before 1.1 and 1.2; the first that applies decides.
        var order = new List<Func<Run, Outcome>>(4);
        if (c?.SeriousThreat == true)
        {
            order.Add(DutyToProtect);
        }
        if (c?.SelfHarm == true)
        {
            order.Add(ProtectiveDisclosure);
        }
        if (c?.SuspectedChildAbuse == true)
        {
            order.Add(ChildAbuseReport);
        }
        if (c?.SuspectedElderAbuse == true)
        {
            order.Add(ElderAbuseReport);
        }
        if (order.Count == 0)
        {
            run.Reason(NoReportDue);
            run.Step(StepDiscloseNothing);
            run.Step(StepDocumentNoReport);
            return Confidential(run);
        }
        var outcome = order[0](run);
        var documents = run.Documents;
        if (order.Count > 1)
        {
            run.Warn(
                "More than one concern was given: the first in the order of safety (threat to others, danger to self, child abuse, elder abuse) decides the outcome, and the steps of the others are added; act on each."
            );
            var all = new List<DocumentKind>(documents);
            for (var i = 1; i < order.Count; i++)
            {
                order[i](run);
                all.AddRange(run.Documents.Where(k => !all.Contains(k)));
            }
            run.Documents = [.. all];
        }
        return outcome;
    }

    private static Outcome ChildAbuseReport(Run run)
    {
        var reporting = run.Fact(p => p.Reporting, "child-abuse reporting")!;
        run.Cite("hipaa-164.512-b", ReportOverridesPrivilege);
        run.Cite(reporting);
        var reportTo = ReportTo(run.FactProfileId(p => p.Reporting), reporting);
        run.Reason(reportTo);
        if (run.Profile.ChildVictim is { } childVictim)
        {
            run.Cite(childVictim, childVictim.Summary);
        }
        if (run.Request.Part2Program)
        {
            run.Cite("cfr42-2.12", "Part 2 permits reporting suspected child abuse without consent (42 CFR 2.12(c)(6)), but the program's records themselves stay protected.");
            run.Cite("cfr42-2.13");
        }
        run.Step(reportTo);
        run.Step(StepReportOnlyNeeded);
        run.Step(StepDocumentReport);
        LogDisclosure(run);
        run.Step(StepTellClientReport);
        run.Step(StepReportNotWaiver);
        run.Documents = [DocumentKind.MandatedReportWorksheet];
        return Outcome.MandatedReport;
    }

    private static Outcome ElderAbuseReport(Run run)
    {
        var elder = run.Fact(p => p.ElderAbuse, "elder or dependent-adult abuse")!;
        var c = run.Request.Concerns!;
        run.Cite("hipaa-164.512-c");
        run.Cite(elder, elder.Summary);
        if (run.Request.Part2Program)
        {
            run.Cite("cfr42-2.12");
            run.Cite("cfr42-2.13");
            run.Reason("Part 2 has no exception for reporting adult abuse: only child-abuse reports (42 CFR 2.12(c)(6)) and medical emergencies (2.51) go without consent.");
            run.Warn("The records are held by a Part 2 program, which has no exception for adult-abuse reports: get advice before reporting anything that identifies the client as a program patient.");
            return ElderConsult(run);
        }
        switch (elder.Rule)
        {
            case ElderAbuseRule.Mandatory:
                return ElderMandated(run, elder);
            case ElderAbuseRule.Impairment:
                if (c.AdultImpairment is not { } impairment)
                {
                    run.Warn(
                        "Whether the adult's ability to protect themself is impaired was not given: this state's duty depends on it, so confirm it before deciding whether a report is mandated."
                    );
                    return ElderConsult(run);
                }
                if (elder.Impairments.Contains(impairment))
                {
                    return ElderMandated(run, elder);
                }
                run.Reason("The adult's impairment is not one this state's reporting duty covers, so no report is mandated and the information stays confidential unless the adult agrees.");
                return ElderConfidential(run);
            case ElderAbuseRule.Voluntary:
                run.Step("A report is voluntary here: with the adult's agreement you may report (45 CFR 164.512(c)(1)(ii)); without it, share nothing.");
                return ElderConfidential(run);
            case ElderAbuseRule.VoluntaryRoutes:
                if (c.AdultImpairment == AdultImpairment.Incapacitated)
                {
                    run.Warn("The adult cannot agree: whether a report is allowed without agreement (45 CFR 164.512(c)(1)(iii)) is unsettled here, so get advice first.");
                    return ElderConsult(run);
                }
                run.Step("No duty binds a community clinician here. The routes to a report: the adult's agreement (45 CFR 164.512(c)(1)(ii)); a statute that expressly authorizes it, where the report prevents serious harm (164.512(c)(1)(iii), whether this state's statute is one is unsettled); or a serious and imminent threat (164.512(j)).");
                return ElderConfidential(run);
            default:
                return ElderConsult(run);
        }
    }

    private static Outcome ElderMandated(Run run, ElderAbuseFact elder)
    {
        var to = $"Report the suspected abuse: {elder.Deadline}.";
        run.Reason(to);
        run.Step(to);
        run.Step(StepReportOnlyNeeded);
        run.Step(StepDocumentReport);
        LogDisclosure(run);
        run.Step(
            "Tell the adult about the report unless you believe telling them would put them at risk of serious harm, or would reach the person you suspect (45 CFR 164.512(c)(2))."
        );
        run.Step(StepReportNotWaiver);
        run.Documents = [DocumentKind.MandatedReportWorksheet];
        return Outcome.MandatedReport;
    }

    private static Outcome ElderConfidential(Run run)
    {
        run.Step(StepDocumentNoReport);
        return Confidential(run);
    }

    private static Outcome ElderConsult(Run run)
    {
        run.Step("Confirm now, with counsel or your licensing board, whether this state requires or permits the report; report nothing that identifies the client until then.");
        run.Step(StepDocumentReport);
        return ConsultCounsel(run);
    }

    private static Outcome DutyToProtect(Run run)
    {
        var profession = run.Request.Clinician.Profession;
        var duty = run.Match(p => p.DutyToProtect, profession, "the duty to protect")!;
        run.Cite("tarasoff", SeriousThreat);
        run.Cite("hipaa-164.512-j");
        run.Cite(duty, duty.Summary);
        if (run.Request.Part2Program)
        {
            run.Cite("cfr42-2.12");
            run.Cite("cfr42-2.13");
            run.Warn(
                "The records are held by a Part 2 program, which has no exception for threats to others: disclose nothing that identifies the client as a program patient unless a medical emergency (42 CFR 2.51) applies."
            );
        }
        run.Step(
            duty.Duty switch
            {
                DutyKind.Mandatory => StepMandatoryDuty,
                DutyKind.Permissive => StepPermissiveDuty,
                DutyKind.None =>
                    "State law here recognizes no duty to warn for your profession: a disclosure to prevent a serious and imminent threat rests only on HIPAA's permission (45 CFR 164.512(j)), and state law does not require it.",
                _ => "Your state may mandate action; confirm now. HIPAA permits a good-faith disclosure to prevent a serious and imminent threat (45 CFR 164.512(j)).",
            }
        );
        run.Step(StepMinimumToProtect);
        run.Step(StepClinicalSteps);
        run.Step(StepRecordThreat);
        LogDisclosure(run);
        run.Documents = [DocumentKind.DutyToProtectRecord];
        return Outcome.DutyToProtect;
    }

    private static Outcome ProtectiveDisclosure(Run run)
    {
        var profession = run.Request.Clinician.Profession;
        var fact = run.Match(p => p.SelfHarm, profession, "danger to self")!;
        run.Cite(
            "hipaa-164.512-j",
            "The client is at serious and imminent risk of harming themself: HIPAA permits telling those reasonably able to prevent or lessen the threat, family included (45 CFR 164.512(j)(1)(i))."
        );
        run.Cite(fact, fact.Summary);
        if (run.Request.Part2Program)
        {
            run.Cite("cfr42-2.51", "The records are held by a Part 2 program: only medical personnel may be told, and only for a medical emergency (42 CFR 2.51).");
            run.Cite("cfr42-2.13");
        }
        run.Step("Safety first: call emergency services or a crisis line if the danger is immediate.");
        run.Step("Tell only people reasonably able to prevent or lessen the danger, and only what they need to act.");
        run.Step("Make any report the state requires, and record who was told, what, when and your good-faith basis (protective-disclosure-record).");
        LogDisclosure(run);
        run.Step("Tell the client what you shared when it is safe to do so.");
        run.Documents = [DocumentKind.ProtectiveDisclosureRecord];
        return Outcome.ProtectiveDisclosure;
    }

    private static void LogDisclosure(Run run) =>
        run.Cite("hipaa-164.528", null, "Log the disclosure for the client's accounting of disclosures: date, recipient, what was disclosed and the basis (45 CFR 164.528).");

    // ---------------------------------------------------------------- rule 2: the client or someone acting for them

    private static Outcome? ActingForClient(Run run)
    {
        var r = run.Request;
        var client = r.Client;
        var minor = run.IsMinor;
        var deceased = client?.Deceased == true;
        var requester = run.Requester;
        var rep = r.Representative ?? new Representative();

        // 2.1: not acting for the client.
        if ((requester == Requester.Parent && (!minor || deceased)) || (requester == Requester.Guardian && deceased))
        {
            run.Requester = Requester.Family;
            run.Reason("The requester does not stand in for the client here (a parent of an adult or of a deceased client, or a guardian after death): the request is a family member's.");
            return null;
        }
        if (requester == Requester.ChildRepresentative && !minor)
        {
            run.Requester = Requester.Other;
            run.Reason("The client is not a minor, so a child's representative does not act for them.");
            return null;
        }

        run.Cite("hipaa-164.502-g", "A parent, guardian or personal representative stands in for the client only where the law gives them that authority (45 CFR 164.502(g)).");

        // 2.2: the representative may endanger the client.
        if (requester is Requester.Parent or Requester.Guardian or Requester.PersonalRepresentative && r.Concerns?.RepresentativeEndangers == true)
        {
            run.Cite(
                "hipaa-164.502-g5",
                "You reasonably believe the requester abused the client or could endanger them as their representative: you may decline to treat them as the client's representative (45 CFR 164.502(g)(5))."
            );
            return Confidential(run);
        }

        // 2.3: authority not documented.
        var undocumented = requester is Requester.Guardian or Requester.PersonalRepresentative or Requester.ChildRepresentative && !rep.AppointmentDocumented;
        var notCurrent = requester is Requester.Guardian or Requester.PersonalRepresentative && !deceased && !minor && !rep.CurrentAuthority;
        if (undocumented || notCurrent)
        {
            run.Reason(
                undocumented
                    ? "The requester's appointment is not documented: nothing goes out until you have proof of it (letters testamentary or of administration, a guardianship order, a health-care power of attorney, or an appointment order)."
                    : "For a living adult, a guardian's or agent's document must give health-care authority now: many powers of attorney start only on incapacity, and a limited guardianship may exclude health care (45 CFR 164.502(g)(2))."
            );
            if (deceased)
            {
                run.Cite("hipaa-164.502-g4");
            }
            run.Basis = WithheldBasis.AwaitingAuthority;
            run.Step("Disclose nothing yet; ask in writing for proof of the requester's authority (authority-request-letter).");
            run.Step("When the proof arrives, check that it covers health-care information now, then triage the request again.");
            run.Documents = [DocumentKind.AuthorityRequestLetter];
            return Outcome.VerifyAuthority;
        }

        // 2.4: the child's appointed representative.
        if (requester == Requester.ChildRepresentative)
        {
            // A speaker fact limited to some professions (US-OH, Rulong) is about who holds the privilege, not
            // about appointed representatives: those are not researched there (P12), so the baseline's row applies.
            var speaker = run.Fact(p => p.ChildSpeaker is { Professions: null } own ? own : null, "who speaks for the child")!;
            if (speaker.Representative is { } appointed)
            {
                run.Cite(appointed, appointed.Summary);
            }
            if (speaker.RepresentativeByStatute)
            {
                run.Cite("hipaa-164.512-a", "Disclosures the law requires are permitted (45 CFR 164.512(a)).");
                run.Disclose = r.Requested.Without(Category.PsychotherapyNotes).Except(run.Part2Categories);
                run.Basis = WithheldBasis.NotOpenedByStatute;
                run.Step("Give the appointed representative the records the statute opens to them, never psychotherapy notes, and not Part 2 records without the consent Part 2 requires.");
                run.Step(StepCoverLetterOrder);
                LogDisclosure(run);
                run.Documents = [DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice];
                return Outcome.ComplyWithOrder;
            }
            run.Reason("An appointment alone does not open a child's therapy records: a judge's order that names them is needed.");
            return RequestWrittenOrder(run);
        }

        // 2.5: a parent, guardian or personal representative of a living minor.
        if (minor && !deceased)
        {
            var minors = run.Fact(p => p.Minors, "minors and parents")!;
            var speaker = run.Fact(p => p.ChildSpeaker, "who speaks for the child");
            var litigating = rep.Litigating || r.Proceeding?.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;
            if (rep.AccessRestrictedByOrder)
            {
                run.Reason("A court order limits this person's access to the client's records.");
                return Confidential(run);
            }
            if (litigating)
            {
                run.Reason(
                    "The parent is a party to a pending case over the child: access may serve to reach the child's privilege, and who may waive it is unsettled."
                );
                if (speaker is not null)
                {
                    run.Cite(speaker, speaker.Summary);
                }
                return ConsultCounsel(run);
            }
            if (client?.ParentAgreedConfidentiality == true)
            {
                run.Reason("A parent agreed that this care stays confidential between you and the minor, so the parent does not stand in for the minor for it (45 CFR 164.502(g)(3)(i)(C)).");
                return Confidential(run);
            }
            if (client?.MinorConsentedAlone == true)
            {
                if (minors.ConsentAlone is { } alone)
                {
                    run.Cite(alone, alone.Summary);
                }
                if (minors.ParentAccess is { } parentAccess)
                {
                    run.Cite(parentAccess, parentAccess.Summary);
                }
                if (minors.ConsentAloneConsult)
                {
                    run.Warn("Whether a parent may see records of care the minor consented to alone is unsettled in this state: get advice before sharing anything.");
                    return ConsultCounsel(run);
                }
                run.Reason("The minor consented to this care alone, so the minor, not the parent, controls its records: the minor's own written release is needed.");
                return Confidential(run);
            }
            var age = client?.Age ?? 0;
            if (minors.ObjectFromAge is { } objectAge && age >= objectAge && client?.ObjectsToParentAccess == true)
            {
                if (minors.Objection is { } objection)
                {
                    run.Cite(objection, objection.Summary);
                }
                run.Step(
                    "Offer the parent what the law keeps for them: the minor's current physical and mental condition, diagnosis, treatment needs, services provided and services needed (740 ILCS 110/4(a)(3)); the parent may ask a court to decide."
                );
                return Confidential(run);
            }
            if (rep.DecisionAuthority == false)
            {
                if (minors.NonCustodial is { } nonCustodial)
                {
                    run.Cite(nonCustodial, nonCustodial.Summary);
                }
                if (!minors.NonCustodialKeepsAccess)
                {
                    return ConsultCounsel(run);
                }
            }
            if (minors.ObjectFromAge is { } tellAge)
            {
                if (minors.Objection is { } objection)
                {
                    run.Cite(objection, objection.Summary);
                }
                if (age >= tellAge)
                {
                    run.Step("Tell the minor about the parent's request first: a minor of this age may object, and an objection changes the answer.");
                }
            }
            return Access(run, standingInForMinor: true);
        }

        // 2.6 for a guardian or personal representative of an adult or a deceased client.
        return Access(run, standingInForMinor: false);
    }

    private static Outcome Access(Run run, bool standingInForMinor)
    {
        var r = run.Request;
        var requested = r.Requested;
        var deceased = r.Client?.Deceased == true;
        var representative = run.Requester is Requester.Guardian or Requester.PersonalRepresentative or Requester.Parent;
        run.Cite("hipaa-164.524", RightOfAccess);
        if (deceased && run.Requester == Requester.PersonalRepresentative)
        {
            run.Cite("hipaa-164.502-g4", "After the client's death, the personal representative stands in for the client (45 CFR 164.502(g)(4)).");
            var holder = run.Match(p => p.AfterDeath, r.Clinician.Profession, "the holder of the privilege after death");
            if (holder is not null)
            {
                run.Cite(holder, holder.Summary);
            }
            if (run.Profile.AfterDeathConsult)
            {
                run.Reason("In this state the privilege survives death and the administrator cannot waive it: whether the representative may have the records is for counsel.");
                return ConsultCounsel(run);
            }
        }

        // Deny on a reviewable ground (or the state's bar).
        var minors = run.Fact(p => p.Minors, "minors and parents");
        if (r.Concerns?.AccessDetrimental == true)
        {
            var stateBar = standingInForMinor && run.Requester == Requester.Parent && minors?.HarmDenialNotReviewable == true;
            if (stateBar)
            {
                run.Cite(minors!.HarmDenial!, minors.HarmDenial!.Summary);
            }
            else
            {
                run.Cite(
                    "hipaa-164.524-a3",
                    "A licensed professional found that access by this requester is reasonably likely to endanger someone's life or physical safety or, for a representative, to cause substantial harm: access may be denied, and the denial is open to review (45 CFR 164.524(a)(3), (a)(4))."
                );
            }
            run.Cite("hipaa-164.524-d", "A denial is written in plain language and gives its basis and how to complain to the practice and to HHS (45 CFR 164.524(d)).");
            run.RespondBy = AccessDeadline(run, out _);
            run.Basis = WithheldBasis.AccessDenied;
            run.Step($"Answer in writing by {run.RespondBy:yyyy-MM-dd} (access-response-letter): the basis of the denial, how to complain to the practice (name or title, telephone) and to HHS.");
            if (!stateBar)
            {
                run.Step("Offer review of the denial by a licensed professional who took no part in it (45 CFR 164.524(a)(4)), and give access to any part the finding does not cover (164.524(d)(1)).");
            }
            else
            {
                run.Step("The denial rests on state law (45 CFR 164.502(g)(3)(ii)(B)): no review is offered.");
            }
            run.Documents = [DocumentKind.AccessResponseLetter];
            return Outcome.DenyAccess;
        }

        if (standingInForMinor && r.Part2Program)
        {
            run.Cite("cfr42-2.14", "The records are held by a Part 2 program: a minor's Part 2 records go to a parent only with the minor's written consent (42 CFR 2.14).");
            return ObtainAuthorization(run, pending: false);
        }

        var disclose = requested;
        var notesKept = run.Profile.Access?.NotesAccessible is not null && !standingInForMinor;
        if (requested.Contains(Category.PsychotherapyNotes))
        {
            if (notesKept)
            {
                var fact = run.Profile.Access!.NotesAccessible!;
                run.Cite(fact, fact.Summary);
            }
            else
            {
                disclose = disclose.Without(Category.PsychotherapyNotes);
            }
        }
        run.Basis = standingInForMinor ? WithheldBasis.ParentNoNotes : WithheldBasis.AccessExcludesNotes;
        if (standingInForMinor && !run.Part2Categories.IsEmpty && !requested.Intersect(run.Part2Categories).IsEmpty)
        {
            disclose = disclose.Except(run.Part2Categories);
            run.Cite("cfr42-2.14");
        }
        else if (requested.Contains(Category.SudRecords) && !standingInForMinor)
        {
            run.Reason(SudOwnAccess);
        }
        if (run.Joint)
        {
            if (run.Profile.Access?.NotesAccessible is not null)
            {
                run.Cite("tx-hsc-611.0045");
                run.Warn("Joint therapy: delete other participants' information unless they consent (Health & Safety Code 611.0045(g)).");
            }
            else
            {
                run.Warn("Joint therapy: other participants' information is withheld only on a documented finding of substantial harm to them, and that finding is reviewable (45 CFR 164.524(a)(3)(ii)).");
            }
        }
        run.Disclose = disclose;
        if (!requested.IsSubsetOf(disclose))
        {
            run.Cite("hipaa-164.524-d");
        }
        var due = AccessDeadline(run, out var workingDays);
        run.RespondBy = due;
        run.Step(StepVerifyIdentity);
        run.Step($"Provide the {(r.AccessKind == AccessKind.Inspect ? "inspection" : "copies")} by {due:yyyy-MM-dd}, in the form asked for if it is readily producible.");
        if (workingDays)
        {
            run.Step("The deadline counts working days Monday to Friday without excluding holidays, so it may fall earlier than the law's: that is the conservative date.");
        }
        run.Step($"If you need longer, the allowed extension is {run.AccessFact.Extension}.");
        if (requested.Contains(Category.PsychotherapyNotes) && !notesKept)
        {
            run.Step("Psychotherapy notes are excluded from access and that exclusion is not reviewable; say so in the letter.");
        }
        run.Step(StepWrittenDenial);
        run.Step(StepFee);
        run.Documents = [DocumentKind.AccessResponseLetter];
        return Outcome.ClientAccess;
    }

    /// <summary>The access deadline (rule 2.6): <c>receivedOn</c> (else the evaluation date) plus the profile's days.</summary>
    private static DateOnly AccessDeadline(Run run, out bool workingDays)
    {
        var r = run.Request;
        var access = run.AccessFact;
        (var days, workingDays, var shorter) = access.DeadlineFor(r.AccessKind, r.Proceeding is not null);
        if (shorter)
        {
            run.Cite(access, access.Summary);
            if (run.Requester == Requester.PersonalRepresentative && access.RepresentativeWarning is { } warn)
            {
                run.Warn(warn);
            }
        }
        else
        {
            run.Reason(access.Summary);
        }
        var from = r.ReceivedOn ?? run.Date;
        return workingDays ? AddWorkingDays(from, days) : AddDays(from, days);
    }

    private static DateOnly AddDays(DateOnly from, int days) => from > DateOnly.MaxValue.AddDays(-days) ? DateOnly.MaxValue : from.AddDays(days);

    /// <summary>The Nth weekday after <paramref name="from"/> (not counted); holidays are not excluded.</summary>
    internal static DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var d = from;
        var counted = 0;
        while (counted < days)
        {
            if (d >= DateOnly.MaxValue.AddDays(-1))
            {
                return DateOnly.MaxValue;
            }
            d = d.AddDays(1);
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                counted++;
            }
        }
        return d;
    }

    // ---------------------------------------------------------------- rule 3: no proceeding

    private static Outcome NoProceeding(Run run, Release release)
    {
        var r = run.Request;
        if (release.Covers)
        {
            return DiscloseWithAuthorization(run, release.Scope);
        }
        if (run.Joint && run.ParticipantDeclined)
        {
            run.Reason("Another participant in the joint therapy declined to authorize this disclosure, and each participant holds the privilege for what they said.");
            return Confidential(run);
        }
        if (r.Client?.WantsDisclosure == true || release.Pending)
        {
            return ObtainAuthorization(run, release.Pending);
        }
        if (r.Client is { Deceased: true, DiedOn: { } died } && died.AddYears(50) < run.Date)
        {
            run.Cite(
                "hipaa-164.502-f",
                "The client died more than 50 years ago, so the records are no longer protected health information under HIPAA (45 CFR 164.502(f)); state law and your ethics code may still protect them."
            );
            return ConsultCounsel(run);
        }
        run.Reason(NoProceedingText);
        if (run.Requester == Requester.Family)
        {
            if (r.Client?.Deceased == true)
            {
                run.Cite(
                    "hipaa-164.510-b5",
                    "HIPAA would allow sharing with a deceased client's family what bears on their involvement in the client's care, unless the client objected (45 CFR 164.510(b)(5)); Confide asks for the personal representative's release."
                );
            }
            else
            {
                run.Cite("hipaa-164.510-b", FamilyInvolved);
            }
        }
        if (run.Requester == Requester.LicensingBoard)
        {
            return Board(run);
        }
        if (run.Requester == Requester.Cps && run.Profile.CpsRecords is { } cps)
        {
            run.Cite("hipaa-164.512-a", "HIPAA permits disclosures the law requires (45 CFR 164.512(a)).");
            run.Cite(cps, cps.Summary);
            if (run.Profile.CpsRecordsDays is { } days && r.RespondBy is null)
            {
                run.RespondBy = AddDays(r.ReceivedOn ?? run.Date, days);
            }
            run.Step("Get advice before the date: the agency may be entitled to the child's relevant records.");
            run.Step("If you release them, send the minimum necessary and log the disclosure (45 CFR 164.528).");
            run.Cite("hipaa-164.528");
            return ConsultCounsel(run);
        }
        return Confidential(run);
    }

    private static Outcome Board(Run run)
    {
        run.Cite("hipaa-164.512-d", "HIPAA permits disclosures to a health oversight agency such as a licensing board (45 CFR 164.512(d)), but your state's privilege and the board's powers decide what you must produce.");
        foreach (var board in run.Profile.Board.Where(b => b.Matches(run.Request.Clinician.Profession)))
        {
            run.Cite(board, board.Summary);
        }
        if (!run.Profile.Board.Any(b => b.Matches(run.Request.Clinician.Profession)))
        {
            run.Reason("Whether this state's privilege yields to a licensing board's subpoena was not found: confirm it.");
        }
        return ConsultCounsel(run);
    }

    // ---------------------------------------------------------------- rule 4: a proceeding

    private static Outcome Proceeding(Run run, Proceeding proceeding, Release release)
    {
        var r = run.Request;
        var profile = run.Profile;
        var profession = r.Clinician.Profession;
        var stateLaw = run.StateLawGoverns;

        // 4.1–4.2: the client's release, or the client's wish.
        if (release.Covers)
        {
            return DiscloseWithAuthorization(run, release.Scope);
        }
        if (r.Client?.WantsDisclosure == true || release.Pending)
        {
            return ObtainAuthorization(run, release.Pending);
        }

        var judgeSigned = r.Instrument == Instrument.CourtOrder && r.Order!.SignedByJudge;
        var recordsSubpoena = r.Instrument == Instrument.Subpoena && r.SubpoenaKind == SubpoenaKind.Records;

        // 4.3–4.4: the clinician is not covered, or the privilege does not reach the proceeding.
        var privilege = stateLaw ? run.PrivilegeFor(profession, proceeding.Kind) : null;
        var covered = run.Covered(privilege);
        var gap = stateLaw ? profile.Gaps.FirstOrDefault(g => g.Matches(profession, proceeding.Kind)) : null;
        if (!covered || gap is not null)
        {
            if (!covered)
            {
                NotCoveredReason(run, privilege);
            }
            if (gap is not null)
            {
                run.Cite(gap, gap.Summary);
                if (gap.Status is { } status && status != VerificationStatus.V)
                {
                    run.Warn($"The research names this gap in the privilege ({string.Join(", ", gap.Citations)}) but its status is {StatusWord(status)}: it is treated as a gap, and a court could find otherwise.");
                }
            }
            if (recordsSubpoena && proceeding.Forum == Forum.State)
            {
                SubpoenaAlone(run);
            }
            if (judgeSigned)
            {
                return ComplyWithOrder(run, proceeding, privilegeReaches: false);
            }
            if (r.Instrument == Instrument.VerbalOrder)
            {
                run.Reason(VerbalOrderText);
                run.Step("Under 4.3–4.4 there may be no privilege to claim: state your confidentiality objection on the record instead.");
                return RequestWrittenOrder(run);
            }
            run.Reason(StillConfidential);
            return ConsultCounsel(run);
        }

        // The privilege reaches: whose privilege it is.
        if (!stateLaw)
        {
            run.Cite("jaffee-v-redmond", FederalPrivilege);
            run.Cite("fre-501");
            if (profession is Profession.Counselor or Profession.MarriageFamilyTherapist)
            {
                run.Cite("oleszko-v-scif");
                run.Warn(
                    "Jaffee v. Redmond named psychiatrists, psychologists and clinical social workers; its extension to counselors and marriage and family therapists rests on lower-court decisions, so a federal court could decline it."
                );
            }
        }
        else
        {
            if (proceeding.Forum == Forum.Federal)
            {
                run.Cite("fre-501");
            }
            var sentence = PrivilegeReaches(profile, profession, proceeding, privilege!);
            run.Cite(privilege!, sentence);
            if (r.Clinician.Status != LicenseStatus.Licensed)
            {
                var associates = run.Fact(p => p.Associates, "associates")!;
                run.Cite(associates, associates.Summary);
            }
            var unverified = profile.UnverifiedReach.FirstOrDefault(u => u.Matches(profession, proceeding.Kind));
            if (unverified is not null)
            {
                run.Warn($"Whether the privilege reaches a {KindLabel(proceeding.Kind)} proceeding here is unverified: it is treated as reaching it, and a court could find otherwise.");
            }
            if (proceeding.MentalConditionAtIssue)
            {
                var litigant = profile.PatientLitigant.FirstOrDefault(p => p.Matches(profession));
                if (litigant is not null)
                {
                    run.Cite(litigant, $"{MentalConditionAtIssue} {litigant.Summary}");
                }
                run.Reason(WaiverIsForTheCourt);
            }
            if (proceeding.Kind == ProceedingKind.Custody)
            {
                foreach (var custody in profile.Custody.Where(c => c.Matches(profession)))
                {
                    run.Cite(custody, custody.Summary);
                }
            }
            if (proceeding.Kind == ProceedingKind.Criminal)
            {
                foreach (var criminal in profile.Criminal.Where(c => c.Matches(profession)))
                {
                    run.Cite(criminal, criminal.Summary);
                }
            }
        }
        if (!stateLaw && proceeding.MentalConditionAtIssue)
        {
            run.Reason($"{MentalConditionAtIssue} That can waive the privilege. {WaiverIsForTheCourt}");
        }

        // 4.5: a judge-signed court order.
        if (judgeSigned)
        {
            var order = r.Order!;
            var namesCommunications = r.Requested.Intersect(order.Categories).Without(Category.Attendance).Without(Category.Billing);
            if (stateLaw && privilege!.ConsentOnly)
            {
                foreach (var id in privilege.ConsentOnlyCitations)
                {
                    run.Cite(id);
                }
                if (!namesCommunications.IsEmpty && !order.WaiverFinding)
                {
                    return ConsentOnly(run, privilege);
                }
                run.Reason(
                    order.WaiverFinding
                        ? "The order rests on a finding that the client consented or waived the privilege, so it may be obeyed; counsel may still appeal or seek a stay."
                        : "The fact and dates of treatment and the billing are not privileged communications, so the order may be obeyed for them."
                );
                if (order.WaiverFinding)
                {
                    run.Step("Counsel may appeal the waiver finding or seek a stay before the order's date.");
                }
            }
            return ComplyWithOrder(run, proceeding, privilegeReaches: true);
        }

        // 4.6: a judge's demand from the bench.
        if (r.Instrument == Instrument.VerbalOrder)
        {
            run.Reason(VerbalOrderText);
            if (profile.BenchClaim is { } benchClaim)
            {
                run.Cite(benchClaim, benchClaim.Summary);
            }
            if (stateLaw && profile.OrderFinding is { } finding)
            {
                run.Cite(finding, finding.Summary);
            }
            if (stateLaw && privilege!.ConsentOnly)
            {
                run.Step("Under this state's consent-only privilege, the claim on the record also asks for a stay so that counsel can seek review.");
            }
            return RequestWrittenOrder(run);
        }

        // 4.7: anything else.
        if (run.Requester == Requester.LicensingBoard)
        {
            return Board(run);
        }
        if (recordsSubpoena && proceeding.Forum == Forum.State)
        {
            SubpoenaAlone(run);
        }
        if (release.CustodyRelease)
        {
            var speaker = run.Fact(p => p.ChildSpeaker, "who speaks for the child")!;
            run.Cite(speaker, speaker.Summary);
            run.Reason("A parent's or guardian's release in a custody or child-protection case is not the child's waiver of the privilege.");
            var age = r.Client?.Age ?? 0;
            if (speaker.MinorHoldsFromAge is { } holds && age >= holds)
            {
                run.Step("The minor holds the privilege at this age: ask the court to hear the minor on it.");
            }
            if (speaker.CustodyReleaseConsultBelowAge is { } below && age < below)
            {
                return ConsultCounsel(run);
            }
            run.Step("Ask the court to hear whoever speaks for the child on the privilege (the guardian ad litem or the attorney for the child) before anything is produced.");
        }
        return AssertPrivilege(run);
    }

    private static void NotCoveredReason(Run run, PrivilegeFact? privilege)
    {
        var r = run.Request;
        var profession = r.Clinician.Profession;
        if (profession == Profession.Other)
        {
            run.Reason(OtherProfession);
            return;
        }
        if (!r.InTherapy)
        {
            run.Reason(NotInTherapy);
            return;
        }
        if (privilege is null)
        {
            var kind = r.Proceeding!.Kind;
            var why = run.StateLawGoverns ? run.Profile.NotCovered.FirstOrDefault(n => n.Matches(profession, kind)) : null;
            if (why is not null)
            {
                run.Cite(why, why.Summary);
                if (why.Status is { } status && status != VerificationStatus.V)
                {
                    run.Warn($"That no privilege covers this profession here is {StatusWord(status)} in the research: it is treated as uncovered, and a court could find otherwise.");
                }
            }
            else
            {
                run.Reason("No privilege statute covers this profession here.");
            }
            return;
        }
        run.Reason(r.Clinician.Status == LicenseStatus.Associate ? NotLicensedAssociate : NotLicensed);
    }

    private static void SubpoenaAlone(Run run)
    {
        var r = run.Request;
        var kind = r.Proceeding!.Kind;
        var rules = run.Profile.SubpoenaAlone.Where(s => s.Matches(r.Clinician.Profession, kind)).ToList();
        if (rules.Count == 0)
        {
            return;
        }
        foreach (var rule in rules)
        {
            run.Cite(rule, rule.Summary);
            if (rule.NoticeDays is { } notice)
            {
                var from = r.ReceivedOn ?? run.Date;
                if (r.RespondBy is { } respondBy)
                {
                    if (respondBy < AddDays(from, notice))
                    {
                        run.Reason(
                            $"The subpoena asks for the records by {respondBy:yyyy-MM-dd}, sooner than the {notice} days' notice this state's statute gives the client after {from:yyyy-MM-dd}: it cannot be met as written."
                        );
                    }
                }
                else
                {
                    run.Step($"Check the subpoena's date against the {notice} days' notice this state's statute gives the client.");
                }
            }
        }
        run.Step("Check the subpoena against this state's statute on producing health records on a subpoena alone: without what it requires, do not produce.");
    }

    private static Outcome ConsentOnly(Run run, PrivilegeFact privilege)
    {
        var order = run.Request.Order!;
        run.Cite("walker-v-birmingham");
        run.Cite(
            "hipaa-164.512-e",
            "This state's privilege yields only to the client's consent, not to a court order, and appellate courts have reversed orders like this one; HIPAA would permit obeying the order (45 CFR 164.512(e)(1)(i)), but the stricter state law governs (45 CFR 160.203(b))."
        );
        run.Reason("The fact and dates of treatment are not privileged, so attendance and billing records the order names are produced by its date; a court may also find a waiver.");
        run.Basis = WithheldBasis.ConsentOnly;
        run.Step("Never ignore the order: it binds until a court changes it (Walker v. City of Birmingham).");
        run.Step("Tell the client today, and ask whether they consent.");
        run.Step("Before the order's date, counsel moves to vacate or modify it, or appeals or seeks a stay; never let the date pass without counsel's decision.");
        if (order.Categories.Contains(Category.Attendance) || order.Categories.Contains(Category.Billing))
        {
            run.Step("Produce by its date the attendance and billing records the order names: the fact and dates of treatment are not privileged.");
        }
        run.Step("If the order must be obeyed, produce only what it names, sealed or for the judge's review in camera.");
        if (privilege.ConsentOnlyNote is { } note)
        {
            run.Step(note);
        }
        run.Documents = [DocumentKind.ClientNotice];
        return Outcome.ConsultCounsel;
    }

    private static Outcome ComplyWithOrder(Run run, Proceeding proceeding, bool privilegeReaches)
    {
        var r = run.Request;
        var order = r.Order!;
        var profile = run.Profile;
        var disclose = r.Requested.Intersect(order.Categories);
        if (!order.Part2)
        {
            disclose = disclose.Except(run.Part2Categories);
        }
        run.Basis = WithheldBasis.NotInOrder;
        run.Cite("hipaa-164.512-e", JudgeSignedOrder);
        run.Cite("walker-v-birmingham");

        // P4: Illinois personal notes named in the order go to counsel, never unilateral withholding.
        if (run.StateLawGoverns && profile.PersonalNotes is { } personal && r.NotesArePersonalNotes && disclose.Contains(Category.PsychotherapyNotes))
        {
            run.Cite(personal, personal.Summary);
            run.Reason("The order binds until changed (Walker v. City of Birmingham): do not withhold on your own; counsel moves before the date to modify it as to the personal notes, and the rest is produced.");
            run.Step("Never withhold on your own: before the date, counsel moves to modify the order as to the personal notes (740 ILCS 110/3); produce the rest of what it names by its date.");
            run.Step(StepTellClientOrder);
            run.Basis = WithheldBasis.AwaitingCounsel;
            return ConsultCounsel(run);
        }

        run.Disclose = disclose;
        var custodyLike = proceeding.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;
        var purpose = order.StatesPurpose;
        var needsFinding = custodyLike && !order.BestInterestsFinding;
        var finding = run.StateLawGoverns ? profile.OrderFinding : null;
        if (finding is not null && privilegeReaches)
        {
            run.Cite(finding, finding.Summary);
        }
        // Change 1: a judge-signed order lacking its purpose or finding binds, under 4.3–4.5 alike.
        var clarify = !purpose || needsFinding;
        if (clarify)
        {
            var missing = (!purpose, needsFinding) switch
            {
                (true, true) => "states no purpose and makes no best-interests finding",
                (true, false) => finding is not null ? "does not find that disclosure is necessary to a proper administration of justice" : "does not state the purpose of the pierce",
                _ => "does not find the records necessary to the child's best interests",
            };
            run.Reason($"A judge signed this order, so it binds even though it {missing}; ask the court, through counsel, to supply what is missing.");
            run.Warn($"The order {missing}: it still binds, and an order-clarification request asks the court to state it before the deadline.");
            run.Step("Before the deadline, through counsel (or, without one, to the court with copies to the parties), ask the court to state the purpose of the pierce or make the finding, to narrow the order, and to seal the records or review them in camera (order-clarification-request).");
            run.Step("That request does not suspend the order: if it is unchanged by the deadline, disclose only what it requires.");
        }
        else if (privilegeReaches && custodyLike)
        {
            run.Reason(BestInterestsOrder);
        }
        run.Step(StepOnlyWhatOrderNames);
        run.Step(StepAskNarrow);
        run.Step(StepOrderNotSuspended);
        run.Step(StepTellClientOrder);
        run.Step(StepCoverLetterOrder);
        LogDisclosure(run);
        if (run.Part2Applies)
        {
            run.Cite("cfr42-2.61");
            run.Step(StepSudPart2OrderNotCompel);
        }
        if (run.Joint)
        {
            run.Step("Protect the other participants in the joint therapy: redact their information unless they authorized it or the order names it.");
        }
        if (r.Requested.Contains(Category.TestData) && r.Clinician.Profession == Profession.Psychologist)
        {
            run.Step(StepTestData);
        }
        run.Documents = clarify
            ? [DocumentKind.OrderClarificationRequest, DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice]
            : [DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice];
        return Outcome.ComplyWithOrder;
    }

    private static Outcome RequestWrittenOrder(Run run)
    {
        run.Basis = WithheldBasis.AwaitingWrittenOrder;
        run.Step(StepNotYet);
        run.Step("Claim the privilege on the record for the client; ask for a written order that states the purpose, is limited to it, and is sealed.");
        run.Step(StepAskWrittenOrder);
        run.Step(StepSealInCamera);
        run.Step("If the judge overrules the claim and insists, answer only what is asked (refusing risks contempt), and log what was disclosed.");
        run.Step(StepTellClientCourt);
        run.Step(StepRetriageOrder);
        run.Documents = [DocumentKind.WrittenOrderRequest, DocumentKind.ClientNotice];
        return Outcome.RequestWrittenOrder;
    }

    private static Outcome AssertPrivilege(Run run)
    {
        var r = run.Request;
        var proceeding = r.Proceeding!;
        run.Basis = WithheldBasis.Privileged;
        run.Reason(
            r.Instrument switch
            {
                Instrument.Subpoena => SubpoenaIsNotOrder,
                Instrument.CourtOrder => UnsignedOrder,
                _ => LetterHasNoForce,
            }
        );
        run.Cite("hipaa-164.512-e", HipaaWouldPermit);
        foreach (var assertion in run.StateLawGoverns ? run.Profile.Assertion : [])
        {
            run.Cite(assertion, assertion.Summary);
            run.Step("The privilege is not self-executing here: tell the client at once so the client can assert it, and assert it meanwhile.");
        }
        run.Step(StepDoNotIgnore);
        run.Step(StepTellClient);
        run.Step(StepAssertInWriting);
        var federal = proceeding.Forum == Forum.Federal;
        if (r.Instrument == Instrument.Subpoena && r.SubpoenaKind == SubpoenaKind.Appearance)
        {
            run.Step("Appear as the subpoena says unless it is quashed or modified, and claim the privilege question by question.");
            if (run.Part2Applies)
            {
                run.Cite("usc42-290dd-2");
                run.Step("Give no testimony that relays Part 2 information (42 U.S.C. 290dd-2(c)).");
            }
        }
        if (federal && r.Instrument == Instrument.Subpoena)
        {
            run.Cite("frcp-45", "In a federal court a subpoena is answered under FRCP 45: a written objection to producing documents must be served before the earlier of the time for compliance and 14 days after service (45(d)(2)(B)); a subpoena to appear binds unless a timely motion to quash or modify it is granted (45(d)(3)); what is withheld as privileged is described in a privilege log (45(e)(2)(A)).");
            if (r.SubpoenaKind == SubpoenaKind.Records)
            {
                run.Step($"Serve the written objection by {run.ObjectBy:yyyy-MM-dd} (FRCP 45(d)(2)(B)).");
            }
            else
            {
                run.Step("Through counsel, move in time to quash or modify the subpoena (FRCP 45(d)(3)).");
            }
            run.Step("Through counsel, serve a privilege log that lists what is withheld without revealing privileged content (FRCP 45(e)(2)(A)) (privilege-log).");
        }
        if (r.Requested.Contains(Category.PsychotherapyNotes))
        {
            run.Step(StepNotesNever);
        }
        if (run.Part2Applies)
        {
            run.Step(StepSudSubpoena);
        }
        run.Step(StepNothingWithoutReleaseOrOrder);
        if (r.Instrument == Instrument.Subpoena)
        {
            run.Step(StepQuash);
        }
        foreach (var note in run.StateLawGoverns ? run.Profile.Notes.Where(n => n.Matches(r.Clinician.Profession, proceeding.Kind)) : [])
        {
            run.Cite(note);
            run.Step(note.Summary);
        }
        run.Documents = federal && r.Instrument == Instrument.Subpoena
            ? [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice, DocumentKind.PrivilegeLog]
            : [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice];
        return Outcome.AssertPrivilege;
    }

    // ---------------------------------------------------------------- shared outcomes

    private static Outcome DiscloseWithAuthorization(Run run, CategorySet scope)
    {
        var r = run.Request;
        run.Disclose = scope;
        run.Basis = WithheldBasis.NotInRelease;
        run.Cite("hipaa-164.508", AuthorizationCovers);
        if (r.Proceeding is not null)
        {
            run.Reason(AuthorizationInProceeding);
        }
        run.Step(StepOnlyWhatReleaseCovers);
        run.Step(StepCoverLetterRelease);
        if (run.Part2Applies && !scope.Intersect(run.Part2Categories).IsEmpty)
        {
            run.Cite(
                "cfr42-2.32",
                "Part 2 records sent under a consent must carry the notice of 42 CFR 2.32(a) and a copy of the consent or a clear explanation of its scope (2.32(b))."
            );
            run.Step("Send the Part 2 records with the 42 CFR 2.32(a) notice (\"42 CFR part 2 prohibits unauthorized use or disclosure of these records.\") and a copy or clear explanation of the consent (2.32(b)).");
        }
        if (run.Joint)
        {
            run.Step("Redact the other participants' information unless they authorized its disclosure.");
        }
        if (!r.Requested.IsSubsetOf(scope))
        {
            run.Step(StepOutsideRelease);
        }
        if (r.Instrument == Instrument.Subpoena)
        {
            run.Step(StepAnswerWithReleased);
        }
        run.Documents = [DocumentKind.DisclosureCoverLetter];
        return Outcome.DiscloseWithAuthorization;
    }

    private static Outcome ObtainAuthorization(Run run, bool pending)
    {
        var r = run.Request;
        var requested = r.Requested;
        run.Basis = WithheldBasis.AwaitingRelease;
        run.Cite("hipaa-164.508", pending ? PendingRelease : WantsDisclosure);
        if (run.Profile.AuthorizationForm is { } form)
        {
            run.Cite(form, form.Summary);
        }
        run.Step(StepReviewWithClient);
        run.Step(StepSignRelease);
        var notes = requested.Contains(Category.PsychotherapyNotes);
        var part2 = run.Part2Applies;
        if (notes)
        {
            run.Step(StepNotesRelease);
        }
        if (part2)
        {
            run.Step(
                r.Proceeding is null
                    ? StepSudConsent
                    : "Part 2 records for use in this proceeding need a separate consent for that proceeding alone, combined with no other purpose (42 CFR 2.31(d)) (sud-consent-form)."
            );
        }
        if (run.Joint)
        {
            run.Step("In joint therapy, each competent participant signs their own release (one authorization-form each) before anything is shared.");
        }
        run.Step(StepShareNothingUntilSigned);
        if (r.Proceeding is not null)
        {
            run.Step(StepMeanwhileAssert);
        }
        var documents = new List<DocumentKind>(3) { DocumentKind.AuthorizationForm };
        if (notes)
        {
            documents.Add(DocumentKind.PsychotherapyNotesAuthorizationForm);
        }
        if (part2)
        {
            documents.Add(DocumentKind.SudConsentForm);
        }
        run.Documents = [.. documents];
        return Outcome.ObtainAuthorization;
    }

    private static Outcome Confidential(Run run)
    {
        if (run.Basis != WithheldBasis.ReportOnly)
        {
            run.Basis = WithheldBasis.Confidential;
            run.Step(StepDiscloseNothing);
        }
        if (run.Request.Instrument != Instrument.Report)
        {
            run.Step(StepConfidentialityLetter);
            run.Step(StepTellClientRelease);
        }
        run.Documents = [DocumentKind.ConfidentialityResponseLetter];
        return Outcome.ConfidentialNoDisclosure;
    }

    private static Outcome ConsultCounsel(Run run)
    {
        if (run.Basis is not (WithheldBasis.ReportOnly or WithheldBasis.AwaitingCounsel or WithheldBasis.ConsentOnly))
        {
            run.Basis = WithheldBasis.AwaitingCounsel;
        }
        if (run.Request.Instrument != Instrument.Report)
        {
            run.Step(StepNoProduction);
        }
        run.Step(StepLegalAdvice);
        run.Step(StepTellClientCounsel);
        if (run.Request.Instrument is Instrument.Subpoena or Instrument.CourtOrder or Instrument.VerbalOrder)
        {
            run.Step(StepRespondSomehow);
        }
        run.Documents = [DocumentKind.ClientNotice];
        return Outcome.ConsultCounsel;
    }

    private static void TreatmentOrPayment(Run run)
    {
        run.Cite(
            "hipaa-164.506-c",
            "HIPAA permits disclosures for treatment and payment without an authorization (45 CFR 164.506(c)), never psychotherapy notes; Confide asks for a written release all the same, as the ethics codes prefer (NASW 1.07(h), AAMFT 2.2)."
        );
        var fact = run.Fact(p => p.TreatmentPayment, "treatment and payment");
        if (fact is not null && fact.Citations.Count > 0)
        {
            run.Cite(fact, fact.Summary);
        }
    }

    private static string StatusWord(VerificationStatus status) => status == VerificationStatus.P ? "only partly verified" : "UNVERIFIED";
}
