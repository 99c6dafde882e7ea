using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Core.Tests;

/// <summary>
/// Properties of the engine over random VALID requests (<see cref="RequestGen.Requests"/>): what
/// <c>spec/triage.md</c> promises of every determination, whatever the facts. Each property runs
/// a few thousand seeded, reproducible iterations; a failure prints the request document.
/// </summary>
public sealed class EnginePropertyTests
{
    private const int Iterations = 4000;

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(RequestGen.BaseDate, new TimeOnly(12, 0), TimeSpan.Zero));
    private static readonly TriageEngine Engine = new(LawLibrary.Embedded, Clock);
    private static readonly CitationCatalog Catalog = LawLibrary.Embedded.Catalog;

    private static readonly Outcome[] NonDisclosing =
    [
        Outcome.AssertPrivilege,
        Outcome.RequestWrittenOrder,
        Outcome.ConfidentialNoDisclosure,
        Outcome.ConsultCounsel,
        Outcome.MandatedReport,
        Outcome.DutyToProtect,
        Outcome.ObtainAuthorization,
        Outcome.ProtectiveDisclosure,
        Outcome.DenyAccess,
        Outcome.VerifyAuthority,
    ];

    private static void ForAll(ulong seed, Action<TriageRequest, DateOnly?, Determination> property) =>
        Property.ForAll(
            RequestGen.Cases,
            seed,
            Iterations,
            c => property(c.Request, c.AsOf, Engine.Evaluate(c.Request, c.AsOf)),
            c => $"{RequestGen.ToJson(c.Request)}\n--as-of {(c.AsOf is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "(none)")}"
        );

    [Fact]
    public void Generator_AnyRequest_IsAcceptedByTheParserUnchanged() =>
        Property.ForAll(
            RequestGen.Requests,
            seed: 1,
            Iterations,
            r =>
            {
                var parsed = RequestParser.Parse(RequestGen.ToJson(r));
                Assert.True(parsed.Success, string.Join("; ", parsed.Errors));
                Assert.Equal(r, parsed.Request);
            },
            RequestGen.ToJson
        );

    [Fact]
    public void Generator_Sample_ReachesEveryOutcomeJurisdictionAndSensitiveDisclosure()
    {
        // Guards against vacuous properties: the sample must reach every outcome and jurisdiction,
        // and disclose psychotherapy notes and SUD records under each way the contract allows.
        var outcomes = new HashSet<Outcome>();
        var jurisdictions = new HashSet<string>(StringComparer.Ordinal);
        var sensitive = new HashSet<(Category, Outcome)>();
        ForAll(
            seed: 3,
            (r, _, d) =>
            {
                outcomes.Add(d.Outcome);
                jurisdictions.Add(r.Jurisdiction);
                foreach (var c in d.Disclose.Intersect(CategorySet.Of(Category.PsychotherapyNotes, Category.SudRecords)).ToArray())
                {
                    sensitive.Add((c, d.Outcome));
                }
            }
        );
        Assert.Equal(Enum.GetValues<Outcome>().ToHashSet(), outcomes);
        Assert.Equal(RequestGen.AllJurisdictions.ToHashSet(StringComparer.Ordinal), jurisdictions);
        Assert.Equal(
            new HashSet<(Category, Outcome)>
            {
                (Category.PsychotherapyNotes, Outcome.DiscloseWithAuthorization),
                (Category.PsychotherapyNotes, Outcome.ComplyWithOrder),
                (Category.SudRecords, Outcome.DiscloseWithAuthorization),
                (Category.SudRecords, Outcome.ComplyWithOrder),
                (Category.SudRecords, Outcome.ClientAccess),
                (Category.PsychotherapyNotes, Outcome.ClientAccess),
            },
            sensitive
        );
    }

    [Fact]
    public void Evaluate_SameRequest_GivesIdenticalJson() =>
        ForAll(
            seed: 2,
            (r, asOf, d) =>
            {
                var first = DeterminationJson.ToJson(d);
                Assert.Equal(first, DeterminationJson.ToJson(Engine.Evaluate(r, asOf)));
                // A fresh engine, and the request as the parser reads it back, give the same answer.
                var fresh = new TriageEngine(LawLibrary.Embedded, Clock);
                var reparsed = RequestParser.Parse(RequestGen.ToJson(r)).Request!;
                Assert.Equal(first, DeterminationJson.ToJson(fresh.Evaluate(reparsed, asOf)));
            }
        );

    [Fact]
    public void Evaluate_AnyRequest_DisclosesOnlyRequestedCategories() =>
        ForAll(seed: 4, (r, _, d) => Assert.True(d.Disclose.IsSubsetOf(r.Requested), $"disclose {d.Disclose} is not within requested {r.Requested}"));

    [Fact]
    public void Evaluate_AnyRequest_DiscloseAndWithheldPartitionRequested() =>
        ForAll(
            seed: 5,
            (r, _, d) =>
            {
                Assert.True(d.Disclose.Intersect(d.Withheld).IsEmpty, $"disclose {d.Disclose} and withheld {d.Withheld} overlap");
                Assert.Equal(r.Requested, new CategorySet((ushort)(d.Disclose.Bits | d.Withheld.Bits)));
            }
        );

    [Fact]
    public void Evaluate_PsychotherapyNotesDisclosed_OnlyUnderSeparateAuthorizationOrAnOrderNamingThem() =>
        ForAll(
            seed: 6,
            (r, _, d) =>
            {
                if (!d.Disclose.Contains(Category.PsychotherapyNotes))
                {
                    return;
                }
                // Texas gives the client (or a representative of an adult or a deceased client) the notes (R7, 160.202).
                var stateAccess =
                    d.Outcome == Outcome.ClientAccess
                    && r.Jurisdiction == "US-TX"
                    && !(r.Client is { Age: < 18, Emancipated: false, Deceased: false } && r.Requester is not Requester.Client);
                Assert.True(d.Outcome != Outcome.ClientAccess || stateAccess, "psychotherapy notes given on access outside a state access-to-notes rule");
                if (stateAccess)
                {
                    return;
                }
                var byRelease =
                    d.Outcome == Outcome.DiscloseWithAuthorization
                    && r.Authorization is { SeparatePsychotherapyNotesAuthorization: true } a
                    && a.Categories.Contains(Category.PsychotherapyNotes);
                var byOrder =
                    d.Outcome == Outcome.ComplyWithOrder
                    && r.Instrument == Instrument.CourtOrder
                    && r.Order!.Categories.Contains(Category.PsychotherapyNotes);
                Assert.True(byRelease || byOrder, $"psychotherapy notes disclosed under {d.Outcome} without a separate authorization or an order naming them");
            }
        );

    [Fact]
    public void Evaluate_SudRecordsDisclosedToOthers_OnlyWithPart2ConsentOrPart2Order() =>
        ForAll(
            seed: 7,
            (r, _, d) =>
            {
                // v2: SUD records not from a Part 2 program are ordinary records; the client's own access
                // and a representative standing in for an adult or a deceased client are not barred.
                var ordinary = r.SudRecordsArePart2 == false && !r.Part2Program;
                var standsIn = d.Outcome == Outcome.ClientAccess && !(r.Client?.Age < 18 && r.Client?.Emancipated != true && r.Client?.Deceased != true);
                if (!d.Disclose.Contains(Category.SudRecords) || r.Requester == Requester.Client || ordinary || standsIn)
                {
                    return;
                }
                var byConsent = d.Outcome == Outcome.DiscloseWithAuthorization && r.Authorization is { Part2Consent: true } a
                    && (r.Proceeding is null || a.Part2ForProceeding);
                var byOrder = d.Outcome == Outcome.ComplyWithOrder && r.Order is { Part2: true };
                Assert.True(byConsent || byOrder, $"SUD records disclosed to {r.Requester?.ToString() ?? "(report)"} under {d.Outcome} without Part 2 consent or a Part 2 order");
            }
        );

    [Fact]
    public void Evaluate_ParentOrGuardianStandingIn_NeverGetsPsychotherapyNotes() =>
        ForAll(
            seed: 21,
            (r, _, d) =>
            {
                var minor = r.Client is { Age: < 18, Emancipated: false, Deceased: false };
                if (minor && r.Requester is Requester.Parent or Requester.Guardian && d.Outcome is Outcome.ClientAccess)
                {
                    Assert.False(d.Disclose.Contains(Category.PsychotherapyNotes), "a parent or guardian standing in for a minor got psychotherapy notes");
                }
            }
        );

    [Fact]
    public void Evaluate_JointTherapyRelease_DisclosesOnlyWhenEveryCompetentParticipantAuthorized() =>
        ForAll(
            seed: 22,
            (r, _, d) =>
            {
                if (d.Outcome == Outcome.DiscloseWithAuthorization && r.TherapyFormat != TherapyFormat.Individual)
                {
                    Assert.True(r.Participants.Where(p => p.Competent).All(p => p.Authorized), "disclosed under a release in joint therapy without every competent participant's authorization");
                }
            }
        );

    [Fact]
    public void Evaluate_SudRecordsNotPart2_FollowTheRulesOfProgressNotes() =>
        ForAll(
            seed: 23,
            (r, asOf, d) =>
            {
                if (r.SudRecordsArePart2 != false || r.Part2Program || r.Instrument == Instrument.Report)
                {
                    return;
                }
                // Swap SUD records and progress notes everywhere: the answer must swap with them.
                var swapped = Swap(r);
                var e = Engine.Evaluate(swapped, asOf);
                Assert.Equal(d.Outcome, e.Outcome);
                Assert.Equal(Swap(d.Disclose), e.Disclose);
            }
        );

    [Fact]
    public void Evaluate_JudgeSignedOrder_NeverAssertsPrivilegeOrAsksForAWrittenOrder() =>
        ForAll(
            seed: 24,
            (r, _, d) =>
            {
                if (r.Instrument == Instrument.CourtOrder && r.Order!.SignedByJudge)
                {
                    Assert.DoesNotContain(d.Outcome, new[] { Outcome.AssertPrivilege, Outcome.RequestWrittenOrder });
                }
            }
        );

    [Fact]
    public void Evaluate_ObjectBy_IsNeverAfterRespondBy() =>
        ForAll(
            seed: 25,
            (_, _, d) =>
            {
                if (d.ObjectBy is { } objectBy && d.RespondBy is { } respondBy)
                {
                    Assert.True(objectBy <= respondBy, $"objectBy {objectBy} is after respondBy {respondBy}");
                }
            }
        );

    private static CategorySet Swap(CategorySet set)
    {
        var result = set.Without(Category.SudRecords).Without(Category.ProgressNotes);
        if (set.Contains(Category.SudRecords))
        {
            result = result.With(Category.ProgressNotes);
        }
        if (set.Contains(Category.ProgressNotes))
        {
            result = result.With(Category.SudRecords);
        }
        return result;
    }

    private static TriageRequest Swap(TriageRequest r) =>
        r with
        {
            Requested = Swap(r.Requested),
            Order = r.Order is { } o ? o with { Categories = Swap(o.Categories) } : null,
            Authorization = r.Authorization is { } a ? a with { Categories = Swap(a.Categories) } : null,
        };

    [Fact]
    public void DeterminationJson_ReadOfWrite_WritesTheSameJson() =>
        ForAll(
            seed: 26,
            (_, _, d) =>
            {
                var json = DeterminationJson.ToJson(d);
                var back = DeterminationJson.Read(json);
                Assert.Equal(json, DeterminationJson.ToJson(back));
                Assert.Equal(d.Outcome, back.Outcome);
                Assert.Equal(d.ObjectBy, back.ObjectBy);
            }
        );

    [Fact]
    public void DeterminationJson_Read_NamesTheBadProperty()
    {
        var ex = Assert.Throws<FormatException>(() => DeterminationJson.Read("{\"outcome\":\"no-such-outcome\",\"profile\":{\"jurisdiction\":\"US-CA\",\"version\":\"1\",\"reviewedOn\":\"2026-01-01\",\"coverage\":\"state\"}}"));
        Assert.StartsWith("$.outcome:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NonDisclosingOutcome_DisclosesNothing() =>
        ForAll(
            seed: 8,
            (_, _, d) =>
            {
                if (NonDisclosing.Contains(d.Outcome))
                {
                    Assert.True(d.Disclose.IsEmpty, $"{d.Outcome} discloses {d.Disclose}");
                }
            }
        );

    [Fact]
    public void Evaluate_AnyRequest_CitesEachCatalogIdOnce() =>
        ForAll(
            seed: 9,
            (_, _, d) =>
            {
                Assert.Equal(d.Citations.Count, d.Citations.Distinct(StringComparer.Ordinal).Count());
                foreach (var id in d.Citations)
                {
                    Assert.True(Catalog.Find(id) is not null, $"cited id '{id}' is not in the catalog");
                }
            }
        );

    [Fact]
    public void Evaluate_UnverifiedCitationCited_WarnsNamingIt() =>
        ForAll(
            seed: 10,
            (_, _, d) =>
            {
                foreach (var id in d.Citations.Where(id => Catalog.Get(id).Status == VerificationStatus.Unverified))
                {
                    Assert.True(
                        d.Warnings.Any(w => w.Contains(id, StringComparison.Ordinal) && w.Contains("UNVERIFIED", StringComparison.Ordinal)),
                        $"UNVERIFIED {id} cited without a warning naming it"
                    );
                }
            }
        );

    [Fact]
    public void Evaluate_AnyJurisdiction_BaselineCoverageExactlyWhenNoStateProfile() =>
        ForAll(
            seed: 11,
            (r, _, d) =>
            {
                var baseline = !RequestGen.Profiled.Contains(r.Jurisdiction);
                Assert.Equal(r.Jurisdiction, d.Profile.Jurisdiction);
                Assert.Equal(baseline ? Coverage.Baseline : Coverage.State, d.Profile.Coverage);
                Assert.Equal(baseline, d.Warnings.Any(w => w.StartsWith($"No state profile for {r.Jurisdiction}", StringComparison.Ordinal)));
            }
        );

    [Fact]
    public void Evaluate_WithheldCategory_HasAReasonSentenceNamingIt() =>
        ForAll(
            seed: 12,
            (_, _, d) =>
            {
                foreach (var category in d.Withheld.ToArray())
                {
                    var label = Categories.Label(category);
                    Assert.True(
                        d.Reasons.Any(s => s.Contains(label, StringComparison.OrdinalIgnoreCase) && s.Contains("withheld", StringComparison.Ordinal)),
                        $"no reason says why {Categories.Name(category)} is withheld"
                    );
                }
            }
        );

    [Fact]
    public void Evaluate_AnyRequest_HasDocumentsReasonsAndSteps() =>
        ForAll(
            seed: 13,
            (_, _, d) =>
            {
                Assert.NotEmpty(d.Documents);
                Assert.NotEmpty(d.Reasons);
                Assert.NotEmpty(d.Steps);
            }
        );

    [Fact]
    public void Evaluate_DetailsChanged_SameDetermination() =>
        ForAll(
            seed: 14,
            (r, asOf, d) =>
            {
                var other = r with { Details = r.Details is null ? new RequestDetails { ClientName = "Someone Else", CaseNumber = "X-1" } : null };
                Assert.Equal(DeterminationJson.ToJson(d), DeterminationJson.ToJson(Engine.Evaluate(other, asOf)));
            }
        );

    [Fact]
    public void Evaluate_MentalConditionAtIssueFlipped_SameOutcomeAndDisclose() =>
        ForAll(
            seed: 15,
            (r, asOf, d) =>
            {
                if (r.Proceeding is not { } p)
                {
                    return;
                }
                var flipped = Engine.Evaluate(r with { Proceeding = p with { MentalConditionAtIssue = !p.MentalConditionAtIssue } }, asOf);
                Assert.Equal(d.Outcome, flipped.Outcome);
                Assert.Equal(d.Disclose, flipped.Disclose);
            }
        );

    // Regression (fixed): (src/Core/Triage/TriageEngine.cs, ClientAccess): the access deadline is computed with
    // DateOnly.AddDays, which throws ArgumentOutOfRangeException when receivedOn (or the evaluation
    // date) is within the deadline of 9999-12-31. The parser accepts such dates, and the engine
    // promises never to throw on a request the parser accepted; through the CLI it exits 1
    // ("unexpected failure") instead of evaluating the request or rejecting it as bad input (2).
    // Repro: {"jurisdiction":"US-CA","receivedOn":"9999-12-31","instrument":"letter","requester":"client",
    //         "requested":["intake"],"clinician":{"profession":"psychologist"}}
    [Fact]
    public void Evaluate_ClientAccessReceivedNearMaxDate_DoesNotThrow()
    {
        var parsed = RequestParser.Parse(
            """{"jurisdiction":"US-CA","receivedOn":"9999-12-31","instrument":"letter","requester":"client","requested":["intake"],"clinician":{"profession":"psychologist"}}"""
        );
        Assert.True(parsed.Success);
        var d = Engine.Evaluate(parsed.Request!);
        Assert.Equal(Outcome.ClientAccess, d.Outcome);
    }
}
