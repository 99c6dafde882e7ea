using Confide.Core.Law;
using Confide.Core.Requests;
using static Confide.Core.Triage.DeterminationText;

namespace Confide.Core.Triage;

public sealed partial class TriageEngine
{
    /// <summary>How the release on file bears on the request (the contract's definitions).</summary>
    private readonly record struct Release(bool Covers, bool Pending, CategorySet Scope, string? WhyNot, bool CustodyRelease)
    {
        public static Release Of(Run run)
        {
            var r = run.Request;
            if (r.Authorization is not { } a)
            {
                return default;
            }
            var client = r.Client;
            var minor = run.IsMinor;
            var age = client?.Age ?? 0;
            var custodyRelease =
                a.SignedBy is Signer.Parent or Signer.Guardian && minor && r.Proceeding?.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;

            var scope = r.Requested.Intersect(a.Categories);
            if (!a.SeparatePsychotherapyNotesAuthorization)
            {
                scope = scope.Without(Category.PsychotherapyNotes);
            }
            if (!a.Part2Consent || (r.Proceeding is not null && !a.Part2ForProceeding))
            {
                scope = scope.Except(run.Part2Categories);
            }
            if (r.Proceeding is not null && run.StateLawGoverns && run.Profile.PersonalNotes is not null && r.NotesArePersonalNotes)
            {
                scope = scope.Without(Category.PsychotherapyNotes);
            }

            var expired = a.ExpiresOn is { } expires && run.Date > expires;
            var coSignFrom = run.Profile.Minors?.CoSignFromAge;
            string? signerProblem =
                a.SignedBy == Signer.Parent && !minor ? "The release was signed by a parent, but the client is not a minor, so a parent cannot sign for them."
                : a.SignedBy is Signer.Parent or Signer.Guardian && minor && (client!.MinorConsentedAlone || client.ParentAgreedConfidentiality) ?
                    "The release was signed by a parent or guardian, but the minor controls this care's records, so only the minor can release them."
                : a.SignedBy is Signer.Parent or Signer.Guardian && minor && coSignFrom is { } from && age >= from && !a.MinorCoSigned ?
                    "A parent's or guardian's release of this minor's records needs the minor's signature too, and the minor has not signed."
                : a.SignedBy == Signer.PersonalRepresentative && run.Profile.AfterDeathConsult && r.Proceeding is not null ?
                    "In this state a personal representative cannot waive the privilege after death, so the release does not reach a proceeding."
                : null;
            string? whyNot =
                !a.Signed ? ReleaseUnsigned
                : a.Revoked ? ReleaseRevoked
                : expired ? ReleaseExpired
                : !a.RecipientCovered ? ReleaseOtherRecipient
                : !a.PurposeCovered ? ReleaseOtherPurpose
                : signerProblem is not null ? signerProblem
                : scope.IsEmpty ? ReleaseOtherRecords
                : null;
            if (whyNot is not null)
            {
                return new Release(false, false, scope, whyNot, custodyRelease);
            }
            if (custodyRelease)
            {
                return new Release(false, false, scope, null, true);
            }
            if (run.Joint && run.ParticipantDeclined)
            {
                return new Release(false, false, scope, "Another participant in the joint therapy declined to authorize this disclosure, so the release does not cover it.", false);
            }
            var participantsConsent = !run.Joint || run.ParticipantsConsent;
            if (a.ClientUnderstandingConfirmed && participantsConsent)
            {
                return new Release(true, false, scope, null, false);
            }
            if (!participantsConsent)
            {
                run.Reason("In joint therapy every competent participant must authorize the disclosure, and at least one has not yet signed.");
            }
            return new Release(false, true, scope, null, false);
        }
    }

    /// <summary>The state of one evaluation: the facts that apply and what has fired so far.</summary>
    private sealed class Run
    {
        private readonly List<string> _citations = new(12);
        private readonly List<string> _reasons = new(12);
        private readonly List<string> _steps = new(12);
        private List<string>? _warnings;

        public Run(TriageRequest request, JurisdictionProfile profile, JurisdictionProfile baseline, bool isBaseline, DateOnly date)
        {
            Request = request;
            Profile = profile;
            Baseline = baseline;
            IsBaseline = isBaseline;
            Date = date;
            Requester = request.Requester;
            var client = request.Client;
            IsMinor = client?.Age is { } age && age < 18 && !client.Emancipated;
            Joint = request.TherapyFormat != TherapyFormat.Individual;
            ParticipantDeclined = request.Participants.Any(p => p.Competent && p.Declined);
            ParticipantsConsent = request.Participants.Where(p => p.Competent).All(p => p.Authorized);
            Part2Categories =
                request.Part2Program ? request.Requested
                : request.Requested.Contains(Category.SudRecords) && request.SudRecordsArePart2 != false ? CategorySet.Of(Category.SudRecords)
                : CategorySet.Empty;
            StateLawGoverns = request.Proceeding is { } p && (p.Forum == Forum.State || p.RuleOfDecision == RuleOfDecision.State);
        }

        public TriageRequest Request { get; }
        public JurisdictionProfile Profile { get; }
        public JurisdictionProfile Baseline { get; }
        public bool IsBaseline { get; }
        public DateOnly Date { get; }

        /// <summary>The requester as the rules see it (rule 2.1 may recast a parent as family).</summary>
        public Requester? Requester { get; set; }

        public bool IsMinor { get; }
        public bool Joint { get; }
        public bool ParticipantDeclined { get; }
        public bool ParticipantsConsent { get; }
        public CategorySet Part2Categories { get; }
        public bool Part2Applies => !Part2Categories.IsEmpty;
        public bool StateLawGoverns { get; }

        public CategorySet Disclose { get; set; }
        public WithheldBasis Basis { get; set; }
        public DocumentKind[] Documents { get; set; } = [];
        public DateOnly? RespondBy { get; set; }

        /// <summary>The objection deadline of a federal records subpoena (FRCP 45(d)(2)(B)), given the determination's <paramref name="respondBy"/>; otherwise null.</summary>
        private DateOnly? ObjectByFor(Outcome outcome, DateOnly? respondBy) =>
            Request is { Instrument: Instrument.Subpoena, SubpoenaKind: SubpoenaKind.Records, Proceeding.Forum: Forum.Federal }
            && outcome is not (Outcome.ClientAccess or Outcome.DenyAccess)
                ? Earlier(respondBy, AddDays(Request.ReceivedOn ?? Date, 14))
                : null;

        /// <summary>The objection deadline while the rules run (the request's own respondBy).</summary>
        public DateOnly? ObjectBy => ObjectByFor(Outcome.AssertPrivilege, Request.RespondBy);

        private static DateOnly Earlier(DateOnly? a, DateOnly b) => a is { } x && x < b ? x : b;

        public AccessFact AccessFact => Profile.Access ?? Baseline.Access!;

        /// <summary>The profile's fact, or the baseline's with a warning that the state's rule was not researched.</summary>
        public T? Fact<T>(Func<JurisdictionProfile, T?> select, string name)
            where T : class
        {
            if (select(Profile) is { } own)
            {
                return own;
            }
            NotResearched(name);
            return select(Baseline);
        }

        /// <summary>The id of the profile that supplied a fact (the state's, or the baseline when it had none).</summary>
        public string FactProfileId<T>(Func<JurisdictionProfile, T?> select)
            where T : class => select(Profile) is null ? Baseline.Id : Profile.Id;

        /// <summary>The first of the profile's facts matching the profession, or the baseline's with a warning.</summary>
        public T? Match<T>(Func<JurisdictionProfile, IReadOnlyList<T>> select, Profession profession, string name)
            where T : Law.Fact
        {
            if (select(Profile).FirstOrDefault(f => f.Matches(profession)) is { } own)
            {
                return own;
            }
            NotResearched(name);
            return select(Baseline).FirstOrDefault(f => f.Matches(profession));
        }

        private void NotResearched(string name)
        {
            if (!IsBaseline && !ReferenceEquals(Profile, Baseline))
            {
                Warn($"This state's rule on {name} was not researched: the baseline's rule was applied, not the state's own, so confirm the state's law.");
            }
        }

        /// <summary>The state privilege that covers the profession in a proceeding of this kind, if any.</summary>
        public PrivilegeFact? PrivilegeFor(Profession profession, ProceedingKind kind) =>
            Profile.Privilege.FirstOrDefault(p => p.Matches(profession, kind));

        /// <summary>Whether the reach table covers the clinician (profession and license status).</summary>
        public bool Covered(PrivilegeFact? privilege)
        {
            var clinician = Request.Clinician;
            if (clinician.Profession == Profession.Other || !Request.InTherapy)
            {
                return false;
            }
            if (!StateLawGoverns)
            {
                return clinician.Status == LicenseStatus.Licensed;
            }
            if (privilege is null)
            {
                return false;
            }
            if (clinician.Status == LicenseStatus.Licensed)
            {
                return true;
            }
            const string name = "associates and other clinicians below full licensure";
            var associates = Fact(p => p.Associates, name);
            var covered = associates is not null
                && associates.Statuses.Contains(clinician.Status)
                && associates.Matches(clinician.Profession)
                && (!associates.RequiresBelief || clinician.BelievedLicensed);
            if (!covered && clinician.Status == LicenseStatus.Associate && associates is { OthersNotResearched: true })
            {
                NotResearched(name);
            }
            return covered;
        }

        public void Cite(string id, string? reason = null, string? step = null)
        {
            if (!_citations.Contains(id))
            {
                _citations.Add(id);
            }
            if (reason is not null)
            {
                Reason(reason);
            }
            if (step is not null)
            {
                Step(step);
            }
        }

        /// <summary>Cites every citation of <paramref name="fact"/>, its reason, and its warning.</summary>
        public void Cite(Law.Fact fact, string? reason = null)
        {
            foreach (var id in fact.Citations)
            {
                Cite(id);
            }
            if (reason is { Length: > 0 })
            {
                Reason(reason);
            }
            if (fact.Warning is { } warning)
            {
                Warn(warning);
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

        public void Warn(string warning)
        {
            _warnings ??= new List<string>(4);
            if (!_warnings.Contains(warning))
            {
                _warnings.Add(warning);
            }
        }

        public Determination Finish(Outcome outcome, ProfileRef profileRef, Dictionary<string, string> unverified, CitationCatalog catalog)
        {
            var r = Request;
            var ethicsApply = outcome
                is Outcome.AssertPrivilege
                    or Outcome.RequestWrittenOrder
                    or Outcome.ComplyWithOrder
                    or Outcome.ConfidentialNoDisclosure
                    or Outcome.ConsultCounsel;
            if (ethicsApply && Profile.EthicsCodes.FirstOrDefault(e => e.Matches(r.Clinician.Profession)) is { } ethics)
            {
                Cite(ethics, ethics.Summary);
                if (r.Clinician.Profession == Profession.Psychologist && r.Requested.Contains(Category.TestData))
                {
                    Cite("apa-9.04", "Test data go to others only with the client's release, or as the law or a court order requires (APA 9.04).");
                }
            }
            if (Joint && outcome is Outcome.ClientAccess or Outcome.DenyAccess)
            {
                Cite("aamft-2.3");
            }
            if (r.Requested.Contains(Category.PsychotherapyNotes))
            {
                Cite("hipaa-164.508-a2");
            }
            if (r.Requested.Contains(Category.SudRecords) || r.Part2Program)
            {
                Cite("cfr42-2.12");
                if (r.Part2Program)
                {
                    Cite("cfr42-2.13");
                }
            }
            if (Part2Applies)
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
            if (r.Requested.Contains(Category.SudRecords) && r.SudRecordsArePart2 is null && !r.Part2Program)
            {
                Warn(
                    "Whether the SUD records come from a federally assisted Part 2 program was not said: Confide treated them as Part 2 records. If they do not, say so (sudRecordsArePart2: false) and they follow the rules for other records."
                );
            }

            var withheld = r.Requested.Except(Disclose);
            foreach (var category in Categories.InNameOrder)
            {
                if (withheld.Contains(category))
                {
                    var basis = BasisFor(category);
                    if (basis == WithheldBasis.PersonalNotes)
                    {
                        Cite("il-740-110-3");
                    }
                    Reason(WithheldReason(basis, category));
                }
            }

            if (profileRef.Coverage == Coverage.Baseline)
            {
                Warn(NoStateProfile(profileRef.Jurisdiction));
            }
            if (r.Instrument != Instrument.Report && r.Concerns is { } c && (c.SuspectedChildAbuse || c.SeriousThreat || c.SuspectedElderAbuse || c.SelfHarm))
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

            var respondBy = outcome is Outcome.ClientAccess or Outcome.DenyAccess ? RespondBy : r.RespondBy ?? RespondBy;
            return new Determination
            {
                Outcome = outcome,
                Disclose = Disclose,
                Withheld = withheld,
                Citations = _citations,
                Reasons = _reasons,
                Steps = _steps,
                Documents = Documents,
                RespondBy = respondBy,
                ObjectBy = ObjectByFor(outcome, respondBy),
                Profile = profileRef,
                Warnings = (IReadOnlyList<string>?)_warnings ?? [],
            };
        }

        private WithheldBasis BasisFor(Category category)
        {
            var r = Request;
            var a = r.Authorization;
            var part2 = Part2Categories.Contains(category);
            return Basis switch
            {
                WithheldBasis.NotInRelease when category == Category.PsychotherapyNotes && a!.Categories.Contains(category)
                    && r.Proceeding is not null && StateLawGoverns && Profile.PersonalNotes is not null && r.NotesArePersonalNotes =>
                    WithheldBasis.PersonalNotes,
                WithheldBasis.NotInRelease when category == Category.PsychotherapyNotes && a!.Categories.Contains(category) =>
                    WithheldBasis.NotesNeedOwnRelease,
                WithheldBasis.NotInRelease when part2 && a!.Categories.Contains(category) && a.Part2Consent && r.Proceeding is not null =>
                    WithheldBasis.SudNeedsProceedingConsent,
                WithheldBasis.NotInRelease when part2 && a!.Categories.Contains(category) => WithheldBasis.SudNeedsPart2Consent,
                WithheldBasis.NotInOrder when part2 && r.Order is { } o && o.Categories.Contains(category) => WithheldBasis.SudNeedsPart2Order,
                WithheldBasis.ParentNoNotes when part2 => WithheldBasis.Part2FromParent,
                _ => Basis,
            };
        }
    }
}
