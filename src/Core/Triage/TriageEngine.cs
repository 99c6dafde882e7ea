using Confide.Core.Law;
using Confide.Core.Requests;
using static Confide.Core.Triage.Texts;

namespace Confide.Core.Triage;

/// <summary>
/// Turns a request for a client's information into a <see cref="Determination"/>, applying the
/// rules of <c>spec/triage.md</c> in their order: the first rule that applies decides the outcome.
/// Deterministic for a given request and evaluation date; thread-safe; never throws on a request
/// that <see cref="RequestParser"/> accepted.
/// </summary>
public sealed class TriageEngine
{
    private static readonly DocumentKind[] AssertDocuments = [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice];
    private static readonly DocumentKind[] WrittenOrderDocuments = [DocumentKind.WrittenOrderRequest, DocumentKind.ClientNotice];
    private static readonly DocumentKind[] ComplyDocuments = [DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice];
    private static readonly DocumentKind[] DiscloseDocuments = [DocumentKind.DisclosureCoverLetter];
    private static readonly DocumentKind[] ReportDocuments = [DocumentKind.MandatedReportWorksheet];
    private static readonly DocumentKind[] DutyDocuments = [DocumentKind.DutyToProtectRecord];
    private static readonly DocumentKind[] ConfidentialDocuments = [DocumentKind.ConfidentialityResponseLetter];
    private static readonly DocumentKind[] AccessDocuments = [DocumentKind.AccessResponseLetter];
    private static readonly DocumentKind[] CounselDocuments = [DocumentKind.ClientNotice];

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
        var run = new Run(request, profile, date);
        var outcome = Decide(run);
        return run.Finish(outcome, profileRef, _unverifiedWarnings);
    }

    private static Outcome Decide(Run run)
    {
        var r = run.Request;

        // Rule 1: the clinician is considering a disclosure of their own.
        if (r.Instrument == Instrument.Report)
        {
            return Report(run);
        }

        // Rule 2: the client asks for their own records.
        if (r.Requester == Requester.Client)
        {
            return ClientAccess(run);
        }

        // Rules 3.1/4.1 and 3.2/4.2: the client's release, or the client's wish.
        var release = Release.Of(r, run.Date);
        if (r.Proceeding is { MentalConditionAtIssue: true } && run.Profile.PatientLitigant is { } litigant)
        {
            run.Cite(litigant.Citation, $"{MentalConditionAtIssue} {litigant.Summary}");
        }
        if (release.Covers)
        {
            return DiscloseWithAuthorization(run, release.Scope);
        }
        if (release.WhyNot is { } whyNot)
        {
            run.Reason(whyNot);
        }
        if (r.Client?.WantsDisclosure == true || release.Pending)
        {
            return ObtainAuthorization(run, release.Pending);
        }

        // Rule 3.3: no proceeding.
        if (r.Proceeding is null)
        {
            run.Reason(NoProceeding);
            if (r.Requester == Requester.Family)
            {
                run.Cite("hipaa-164.510-b", FamilyInvolved);
                run.Cite("aamft-2.2");
            }
            return Confidential(run);
        }

        return Proceeding(run, r.Proceeding);
    }

    private static Outcome Report(Run run)
    {
        var concerns = run.Request.Concerns;
        run.Basis = WithheldBasis.ReportOnly;
        if (concerns?.SuspectedChildAbuse == true)
        {
            var reporting = run.Profile.Reporting;
            run.Cite("hipaa-164.512-b", ReportOverridesPrivilege);
            if (reporting.Citation is not null)
            {
                run.Cite(reporting.Citation);
            }
            var reportTo = Sentences.ReportTo(run.Profile);
            run.Reason(reportTo);
            if (run.Profile.ChildVictim is { } childVictim)
            {
                run.Cite(childVictim.Citation, childVictim.Summary);
            }
            run.Step(reportTo);
            run.Step(StepReportOnlyNeeded);
            run.Step(StepDocumentReport);
            run.Step(StepTellClientReport);
            run.Step(StepReportNotWaiver);
            if (concerns.SeriousThreat)
            {
                run.Warn(
                    "Both suspected child abuse and a serious threat were given: the mandated report decides the outcome, and the duty-to-protect steps are added."
                );
                DutyToProtectRules(run);
            }
            run.Documents = ReportDocuments;
            return Outcome.MandatedReport;
        }
        if (concerns?.SeriousThreat == true)
        {
            DutyToProtectRules(run);
            run.Documents = DutyDocuments;
            return Outcome.DutyToProtect;
        }
        run.Reason(NoReportDue);
        run.Step(StepDiscloseNothing);
        run.Step(StepDocumentNoReport);
        return Confidential(run);
    }

    private static void DutyToProtectRules(Run run)
    {
        var duty = run.Profile.DutyToProtect;
        run.Cite("tarasoff", SeriousThreat);
        run.Cite("hipaa-164.512-j");
        if (duty.Citation is not null)
        {
            run.Cite(duty.Citation);
        }
        run.Reason(duty.Summary);
        if (run.Profile.DangerousPatient is { } dangerous)
        {
            run.Cite(dangerous.Citation, dangerous.Summary);
        }
        run.Step(
            duty.Duty switch
            {
                DutyKind.Mandatory => StepMandatoryDuty,
                DutyKind.Permissive => StepPermissiveDuty,
                DutyKind.Varies => StepVariesDuty,
            }
        );
        run.Step(StepMinimumToProtect);
        run.Step(StepClinicalSteps);
        run.Step(StepRecordThreat);
    }

    private static Outcome ClientAccess(Run run)
    {
        var requested = run.Request.Requested;
        var access = run.Profile.Access;
        run.Disclose = requested.Without(Category.PsychotherapyNotes);
        run.Basis = WithheldBasis.AccessExcludesNotes;
        run.Cite("hipaa-164.524", RightOfAccess);
        if (access.Citation != "hipaa-164.524")
        {
            run.Cite(access.Citation);
        }
        run.Reason(access.Summary);
        if (requested.Contains(Category.SudRecords))
        {
            run.Reason(SudOwnAccess);
        }
        var from = run.Request.ReceivedOn ?? run.Date;
        // Saturate at the calendar's end rather than throw on a date the parser accepted.
        var due = from > DateOnly.MaxValue.AddDays(-access.DeadlineDays) ? DateOnly.MaxValue : from.AddDays(access.DeadlineDays);
        run.RespondBy = due;
        run.Step(StepVerifyIdentity);
        run.Step($"Provide the copies by {due:yyyy-MM-dd}, in the form the client asks for if it is readily producible.");
        if (requested.Contains(Category.PsychotherapyNotes))
        {
            run.Step(StepNotesOptional);
        }
        run.Step(StepWrittenDenial);
        run.Step(StepFee);
        run.Documents = AccessDocuments;
        return Outcome.ClientAccess;
    }

    private static Outcome DiscloseWithAuthorization(Run run, CategorySet scope)
    {
        run.Disclose = scope;
        run.Basis = WithheldBasis.NotInRelease;
        run.Cite("hipaa-164.508", AuthorizationCovers);
        if (run.Request.Proceeding is not null)
        {
            run.Reason(AuthorizationInProceeding);
        }
        run.Step(StepOnlyWhatReleaseCovers);
        run.Step(StepCoverLetterRelease);
        if (scope.Contains(Category.SudRecords))
        {
            run.Cite("cfr42-2.32");
            run.Step(StepSudRedisclosure);
        }
        if (!run.Request.Requested.IsSubsetOf(scope))
        {
            run.Step(StepOutsideRelease);
        }
        if (run.Request.Instrument == Instrument.Subpoena)
        {
            run.Step(StepAnswerWithReleased);
        }
        run.Documents = DiscloseDocuments;
        return Outcome.DiscloseWithAuthorization;
    }

    private static Outcome ObtainAuthorization(Run run, bool pending)
    {
        var requested = run.Request.Requested;
        run.Basis = WithheldBasis.AwaitingRelease;
        run.Cite("hipaa-164.508", pending ? PendingRelease : WantsDisclosure);
        run.Step(StepReviewWithClient);
        run.Step(StepSignRelease);
        var notes = requested.Contains(Category.PsychotherapyNotes);
        var sud = requested.Contains(Category.SudRecords);
        if (notes)
        {
            run.Step(StepNotesRelease);
        }
        if (sud)
        {
            run.Step(StepSudConsent);
        }
        run.Step(StepShareNothingUntilSigned);
        if (run.Request.Proceeding is not null)
        {
            run.Step(StepMeanwhileAssert);
        }
        run.Documents = (notes, sud) switch
        {
            (false, false) => [DocumentKind.AuthorizationForm],
            (true, false) => [DocumentKind.AuthorizationForm, DocumentKind.PsychotherapyNotesAuthorizationForm],
            (false, true) => [DocumentKind.AuthorizationForm, DocumentKind.SudConsentForm],
            (true, true) => [DocumentKind.AuthorizationForm, DocumentKind.PsychotherapyNotesAuthorizationForm, DocumentKind.SudConsentForm],
        };
        return Outcome.ObtainAuthorization;
    }

    private static Outcome Confidential(Run run)
    {
        if (run.Basis != WithheldBasis.ReportOnly)
        {
            run.Basis = WithheldBasis.Confidential;
            run.Step(StepDiscloseNothing);
        }
        run.Step(StepConfidentialityLetter);
        run.Step(StepTellClientRelease);
        run.Documents = ConfidentialDocuments;
        return Outcome.ConfidentialNoDisclosure;
    }

    private static Outcome Proceeding(Run run, Proceeding proceeding)
    {
        var r = run.Request;
        var profile = run.Profile;
        if (proceeding.MentalConditionAtIssue)
        {
            run.Reason(profile.PatientLitigant is null ? $"{MentalConditionAtIssue} That can waive the privilege. {WaiverIsForTheCourt}" : WaiverIsForTheCourt);
        }

        // Rule 4.3: the privilege may not apply at all.
        if (!r.Clinician.Licensed || r.Clinician.Profession == Profession.Other || !r.InTherapy)
        {
            run.Reason(
                !r.Clinician.Licensed ? NotLicensed
                : r.Clinician.Profession == Profession.Other ? OtherProfession
                : NotInTherapy
            );
            return ConsultCounsel(run);
        }

        // Rule 4.4: the privilege does not reach this proceeding.
        var federal = proceeding.Forum == Forum.Federal && proceeding.RuleOfDecision == RuleOfDecision.Federal;
        var privilege = federal ? null : profile.Privilege.GetValueOrDefault(r.Clinician.Profession);
        var judgeSigned = r.Instrument == Instrument.CourtOrder && r.Order!.SignedByJudge;
        if (!federal)
        {
            CitedRule? gap = null;
            if (privilege is null || privilege.NotReached.TryGetValue(proceeding.Kind, out gap))
            {
                if (gap is not null)
                {
                    run.Cite(gap.Citation, gap.Summary);
                }
                else
                {
                    run.Reason(profile.NoPrivilegeNote ?? "No privilege statute covers this profession here.");
                }
                if (judgeSigned)
                {
                    return ComplyWithOrder(run, proceeding, privilegeReaches: false);
                }
                run.Reason(StillConfidential);
                return ConsultCounsel(run);
            }
        }

        // The privilege reaches the proceeding: say whose privilege it is.
        if (federal)
        {
            run.Cite("jaffee-v-redmond", FederalPrivilege);
            run.Cite("fre-501");
        }
        else
        {
            if (proceeding.Forum == Forum.Federal)
            {
                run.Cite("fre-501");
            }
            var sentence = Sentences.PrivilegeReaches(profile, r.Clinician.Profession, proceeding, privilege!);
            if (privilege!.Citation is not null)
            {
                run.Cite(privilege.Citation, sentence);
            }
            else
            {
                run.Reason(sentence);
            }
        }
        if (proceeding.Kind == ProceedingKind.Custody && profile.Custody is { } custody)
        {
            run.Cite(custody.Citation, custody.Summary);
        }

        // Rule 4.5: a judge-signed court order.
        if (judgeSigned)
        {
            var order = r.Order!;
            var needsPierce = proceeding.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;
            if (!needsPierce || (order.StatesPurpose && order.BestInterestsFinding))
            {
                return ComplyWithOrder(run, proceeding, privilegeReaches: true);
            }
            var missing = (order.StatesPurpose, order.BestInterestsFinding) switch
            {
                (false, false) => "states no purpose and makes no best-interests finding",
                (false, true) => "does not state the purpose of the pierce",
                (true, false) => "does not find the records necessary to the child's best interests",
                (true, true) => "is complete",
            };
            run.Reason(
                $"In a {KindLabel(proceeding.Kind)} proceeding a judge may pierce the privilege for the child's best interests, but only by a written decision that states the purpose and finds the records necessary to the child's best interests; this order {missing}."
            );
            return RequestWrittenOrder(run);
        }

        // Rule 4.6: a judge's demand from the bench.
        if (r.Instrument == Instrument.VerbalOrder)
        {
            run.Reason(VerbalOrder);
            return RequestWrittenOrder(run);
        }

        // Rule 4.7: anything else.
        return AssertPrivilege(run);
    }

    private static Outcome ComplyWithOrder(Run run, Proceeding proceeding, bool privilegeReaches)
    {
        var order = run.Request.Order!;
        var disclose = run.Request.Requested.Intersect(order.Categories);
        if (!order.Part2)
        {
            disclose = disclose.Without(Category.SudRecords);
        }
        run.Disclose = disclose;
        run.Basis = WithheldBasis.NotInOrder;
        run.Cite("hipaa-164.512-e", JudgeSignedOrder);
        if (privilegeReaches && proceeding.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection)
        {
            run.Reason(BestInterestsOrder);
        }
        run.Step(StepOnlyWhatOrderNames);
        run.Step(StepAskNarrow);
        run.Step(StepOrderNotSuspended);
        run.Step(StepTellClientOrder);
        run.Step(StepCoverLetterOrder);
        if (run.Request.Requested.Contains(Category.SudRecords))
        {
            run.Cite("cfr42-2.61");
            run.Step(StepSudPart2OrderNotCompel);
        }
        if (run.Request.Requested.Contains(Category.TestData) && run.Request.Clinician.Profession == Profession.Psychologist)
        {
            run.Step(StepTestData);
        }
        run.Documents = ComplyDocuments;
        return Outcome.ComplyWithOrder;
    }

    private static Outcome RequestWrittenOrder(Run run)
    {
        run.Basis = WithheldBasis.AwaitingWrittenOrder;
        run.Step(StepNotYet);
        run.Step(StepAskWrittenOrder);
        run.Step(StepSealInCamera);
        run.Step(StepTellClientCourt);
        run.Step(StepRetriageOrder);
        run.Documents = WrittenOrderDocuments;
        return Outcome.RequestWrittenOrder;
    }

    private static Outcome AssertPrivilege(Run run)
    {
        var r = run.Request;
        run.Basis = WithheldBasis.Privileged;
        run.Reason(
            r.Instrument switch
            {
                Instrument.Subpoena => SubpoenaIsNotOrder,
                Instrument.CourtOrder => UnsignedOrder,
                Instrument.Letter or Instrument.None => LetterHasNoForce,
                Instrument.VerbalOrder or Instrument.Report => LetterHasNoForce,
            }
        );
        run.Cite("hipaa-164.512-e", HipaaWouldPermit);
        var illinois = r.Instrument == Instrument.Subpoena ? run.Profile.SubpoenaNeedsOrder : null;
        if (illinois is not null)
        {
            run.Cite(illinois.Citation, illinois.Summary);
        }
        run.Step(StepDoNotIgnore);
        run.Step(StepTellClient);
        run.Step(StepAssertInWriting);
        if (illinois is not null)
        {
            run.Step(StepIllinoisOrder);
        }
        if (r.Requested.Contains(Category.PsychotherapyNotes))
        {
            run.Step(StepNotesNever);
        }
        if (r.Requested.Contains(Category.SudRecords))
        {
            run.Step(StepSudSubpoena);
        }
        run.Step(StepNothingWithoutReleaseOrOrder);
        if (r.Instrument == Instrument.Subpoena)
        {
            run.Step(StepQuash);
        }
        run.Documents = AssertDocuments;
        return Outcome.AssertPrivilege;
    }

    private static Outcome ConsultCounsel(Run run)
    {
        run.Basis = WithheldBasis.AwaitingCounsel;
        run.Step(StepNoProduction);
        run.Step(StepLegalAdvice);
        run.Step(StepTellClientCounsel);
        if (run.Request.Instrument is Instrument.Subpoena or Instrument.CourtOrder or Instrument.VerbalOrder)
        {
            run.Step(StepRespondSomehow);
        }
        run.Documents = CounselDocuments;
        return Outcome.ConsultCounsel;
    }

    /// <summary>How the client's release on file bears on the request.</summary>
    private readonly record struct Release(bool Covers, bool Pending, CategorySet Scope, string? WhyNot)
    {
        public static Release Of(TriageRequest request, DateOnly date)
        {
            if (request.Authorization is not { } a)
            {
                return default;
            }
            var scope = request.Requested.Intersect(a.Categories);
            if (!a.SeparatePsychotherapyNotesAuthorization)
            {
                scope = scope.Without(Category.PsychotherapyNotes);
            }
            if (!a.Part2Consent)
            {
                scope = scope.Without(Category.SudRecords);
            }
            var expired = a.ExpiresOn is { } expires && date > expires;
            string? whyNot =
                !a.Signed ? ReleaseUnsigned
                : a.Revoked ? ReleaseRevoked
                : expired ? ReleaseExpired
                : !a.RecipientCovered ? ReleaseOtherRecipient
                : !a.PurposeCovered ? ReleaseOtherPurpose
                : scope.IsEmpty ? ReleaseOtherRecords
                : null;
            if (whyNot is not null)
            {
                return new Release(false, false, scope, whyNot);
            }
            return a.ClientUnderstandingConfirmed ? new Release(true, false, scope, null) : new Release(false, true, scope, null);
        }
    }

    /// <summary>The state of one evaluation: what has fired so far.</summary>
    private sealed class Run(TriageRequest request, JurisdictionProfile profile, DateOnly date)
    {
        private readonly List<string> _citations = new(10);
        private readonly List<string> _reasons = new(10);
        private readonly List<string> _steps = new(10);
        private List<string>? _warnings;

        public TriageRequest Request { get; } = request;
        public JurisdictionProfile Profile { get; } = profile;
        public DateOnly Date { get; } = date;
        public CategorySet Disclose { get; set; }
        public WithheldBasis Basis { get; set; }
        public DocumentKind[] Documents { get; set; } = [];
        public DateOnly? RespondBy { get; set; }

        public void Cite(string id, string? reason = null)
        {
            if (!_citations.Contains(id))
            {
                _citations.Add(id);
            }
            if (reason is not null)
            {
                Reason(reason);
            }
        }

        public void Reason(string sentence)
        {
            if (!_reasons.Contains(sentence))
            {
                _reasons.Add(sentence);
            }
        }

        public void Step(string step)
        {
            if (!_steps.Contains(step))
            {
                _steps.Add(step);
            }
        }

        public void Warn(string warning) => (_warnings ??= new List<string>(4)).Add(warning);

        public Determination Finish(Outcome outcome, ProfileRef profileRef, Dictionary<string, string> unverified)
        {
            var r = Request;
            // The spec's list: the ethics code fires on these five outcomes.
            var ethicsApply = outcome
                is Outcome.AssertPrivilege
                    or Outcome.RequestWrittenOrder
                    or Outcome.ComplyWithOrder
                    or Outcome.ConfidentialNoDisclosure
                    or Outcome.ConsultCounsel;
            if (ethicsApply && Profile.EthicsCodes.GetValueOrDefault(r.Clinician.Profession) is { } ethics)
            {
                Cite(ethics.Citation, ethics.Summary);
                if (r.Clinician.Profession == Profession.Psychologist && r.Requested.Contains(Category.TestData))
                {
                    Cite("apa-9.04", "Test data go to others only with the client's release, or as the law or a court order requires (APA 9.04).");
                }
            }
            if (r.Requested.Contains(Category.PsychotherapyNotes))
            {
                Cite("hipaa-164.508-a2");
            }
            if (r.Requested.Contains(Category.SudRecords))
            {
                if (r.Proceeding is not null)
                {
                    Cite("cfr42-2.64");
                }
                if (r.Authorization is not null)
                {
                    Cite("cfr42-2.31");
                }
            }

            var withheld = r.Requested.Except(Disclose);
            foreach (var category in Categories.InNameOrder)
            {
                if (withheld.Contains(category))
                {
                    Reason(WithheldReason(BasisFor(category), category));
                }
            }

            if (profileRef.Coverage == Coverage.Baseline)
            {
                Warn(Sentences.NoStateProfile(profileRef.Jurisdiction));
            }
            if (r.Instrument != Instrument.Report && r.Concerns is { } concerns && (concerns.SuspectedChildAbuse || concerns.SeriousThreat))
            {
                Warn(
                    $"Concerns were given with {InstrumentLabel(r.Instrument)}: a mandated report or a protective disclosure may be due separately; triage it as a report."
                );
            }
            foreach (var id in _citations)
            {
                if (unverified.TryGetValue(id, out var warning))
                {
                    Warn(warning);
                }
            }

            return new Determination
            {
                Outcome = outcome,
                Disclose = Disclose,
                Withheld = withheld,
                Citations = _citations,
                Reasons = _reasons,
                Steps = _steps,
                Documents = Documents,
                RespondBy = outcome == Outcome.ClientAccess ? RespondBy : r.RespondBy,
                Profile = profileRef,
                Warnings = (IReadOnlyList<string>?)_warnings ?? [],
            };
        }

        private WithheldBasis BasisFor(Category category)
        {
            var r = Request;
            return Basis switch
            {
                WithheldBasis.NotInRelease when category == Category.PsychotherapyNotes && r.Authorization!.Categories.Contains(category) =>
                    WithheldBasis.NotesNeedOwnRelease,
                WithheldBasis.NotInRelease when category == Category.SudRecords && r.Authorization!.Categories.Contains(category) =>
                    WithheldBasis.SudNeedsPart2Consent,
                WithheldBasis.NotInOrder when category == Category.SudRecords && r.Order!.Categories.Contains(category) =>
                    WithheldBasis.SudNeedsPart2Order,
                _ => Basis,
            };
        }
    }
}
