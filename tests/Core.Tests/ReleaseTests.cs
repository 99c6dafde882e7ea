using Confide.Core.Disclosure;
using Confide.Core.Law;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Core.Triage;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Core.Tests;

/// <summary>Releases in Core: the completeness check, the understanding check and the matcher into the contract's authorization.</summary>
public sealed class ReleaseTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    private static ReleaseContent Complete(ReleaseKind kind = ReleaseKind.General, params Category[] categories) =>
        new()
        {
            Kind = kind,
            ClientName = "Jordan Avery",
            DiscloserName = "Dr. Sam Lee, Harbor Counseling",
            PracticeAddress = "1 Main St, Oakland, CA",
            RecipientName = "Dana Reyes, Esq.",
            RecipientAddress = "200 Market St, San Francisco, CA",
            Purpose = ReleasePurpose.LegalProceeding,
            PurposeDescription = "Use in Avery v. Avery",
            Categories = categories.Length > 0 ? CategorySet.Of(categories) : CategorySet.Of(Category.ProgressNotes, Category.TreatmentPlan),
            ExpiresOn = Today.AddDays(180),
            InformationDescription = kind == ReleaseKind.Sud ? "dates of attendance and the discharge summary" : null,
        };

    private static TriageRequest Subpoena(string? requesterName = "Dana Reyes Esq", params Category[] requested) =>
        new()
        {
            Jurisdiction = "US-CA",
            Instrument = Instrument.Subpoena,
            Requester = Requester.Attorney,
            Requested = requested.Length > 0 ? CategorySet.Of(requested) : CategorySet.Of(Category.ProgressNotes),
            Proceeding = new Proceeding(Forum.State, ProceedingKind.Civil),
            Clinician = new Clinician(Profession.Psychologist),
            Details = new RequestDetails { RequesterName = requesterName },
        };

    private static ReleaseState Signed(ReleaseContent content, Guid? id = null, DateOnly? revoked = null, bool intact = true) =>
        new(id ?? Guid.NewGuid(), content, Today.AddDays(-1), true, revoked, intact);

    [Fact]
    public void A_complete_release_has_no_problems()
    {
        Assert.Empty(ReleaseCompleteness.Check(Complete(), Today));
        Assert.Empty(ReleaseCompleteness.Check(Complete(ReleaseKind.PsychotherapyNotes, Category.PsychotherapyNotes), Today));
        Assert.Empty(ReleaseCompleteness.Check(Complete(ReleaseKind.Sud, Category.SudRecords), Today));
    }

    [Fact]
    public void An_empty_release_lists_every_missing_element_in_plain_words()
    {
        var problems = ReleaseCompleteness.Check(new ReleaseContent { Kind = ReleaseKind.Sud }, Today);
        var fields = problems.Select(p => p.Field).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                nameof(ReleaseContent.ClientName),
                nameof(ReleaseContent.DiscloserName),
                nameof(ReleaseContent.Categories),
                nameof(ReleaseContent.InformationDescription),
                nameof(ReleaseContent.RecipientName),
                nameof(ReleaseContent.RecipientAddress),
                nameof(ReleaseContent.Purpose),
                nameof(ReleaseContent.ExpiresOn),
                nameof(ReleaseContent.PracticeAddress),
            },
            fields
        );
        Assert.Contains(problems, p => p.Message.Contains("164.508(c)(1)(v)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("2.31(a)(3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Notes_and_SUD_records_are_never_combined_with_other_records()
    {
        Assert.Contains(ReleaseCompleteness.Check(Complete(ReleaseKind.General, Category.ProgressNotes, Category.PsychotherapyNotes), Today), p => p.Field == nameof(ReleaseContent.Categories));
        Assert.Contains(ReleaseCompleteness.Check(Complete(ReleaseKind.PsychotherapyNotes, Category.PsychotherapyNotes, Category.Billing), Today), p => p.Field == nameof(ReleaseContent.Categories));
        Assert.Contains(ReleaseCompleteness.Check(Complete(ReleaseKind.Sud, Category.SudRecords, Category.Intake), Today), p => p.Field == nameof(ReleaseContent.Categories));
    }

    [Fact]
    public void A_past_expiry_an_inverted_range_and_an_undescribed_purpose_are_problems()
    {
        var problems = ReleaseCompleteness.Check(
            Complete() with { ExpiresOn = Today.AddDays(-1), Records = new DateRange(Today, Today.AddDays(-10)), Purpose = ReleasePurpose.Other, PurposeDescription = " " },
            Today
        );
        Assert.Equal(
            [nameof(ReleaseContent.PurposeDescription), nameof(ReleaseContent.ExpiresOn), nameof(ReleaseContent.Records)],
            problems.Select(p => p.Field)
        );
    }

    [Fact]
    public void The_understanding_check_follows_the_release()
    {
        var general = Complete();
        var notes = Complete(ReleaseKind.PsychotherapyNotes, Category.PsychotherapyNotes);
        Assert.Equal("no", UnderstandingCheck.Questions(general).Single(q => q.Id == "notes").Answer);
        Assert.Equal("yes", UnderstandingCheck.Questions(notes).Single(q => q.Id == "notes").Answer);
        var recipient = UnderstandingCheck.Questions(general).Single(q => q.Id == "recipient");
        Assert.Contains(recipient.Options, o => o.Label == "Dana Reyes, Esq.");
        Assert.Contains("Dana Reyes, Esq.", recipient.Explanation, StringComparison.Ordinal);

        var right = UnderstandingCheck.Questions(general).ToDictionary(q => q.Id, q => (string?)q.Answer);
        Assert.Empty(UnderstandingCheck.Wrong(general, right));
        var oneWrong = new Dictionary<string, string?>(right) { ["revoke"] = "no" };
        var wrong = Assert.Single(UnderstandingCheck.Wrong(general, oneWrong));
        Assert.Equal("revoke", wrong.Id);
        Assert.Contains("revoke it at any time", wrong.Explanation, StringComparison.Ordinal);
        // Unanswered is wrong too.
        Assert.Equal(UnderstandingCheck.Questions(general).Count, UnderstandingCheck.Wrong(general, new Dictionary<string, string?>()).Count);
    }

    [Fact]
    public void The_valid_matching_release_becomes_the_authorization_and_triage_discloses_it()
    {
        var id = Guid.NewGuid();
        var match = ReleaseMatcher.Match(Subpoena(), [Signed(Complete(), id)], Today);
        Assert.Equal([id], match.Used);
        var a = Assert.IsType<Authorization>(match.Authorization);
        Assert.True(a is { Signed: true, RecipientCovered: true, PurposeCovered: true, Revoked: false, ClientUnderstandingConfirmed: true });
        Assert.Equal(CategorySet.Of(Category.ProgressNotes, Category.TreatmentPlan), a.Categories);
        Assert.Equal(Today.AddDays(180), a.ExpiresOn);

        var engine = new TriageEngine(LawLibrary.Embedded, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));
        var request = Subpoena();
        Assert.Equal(Outcome.DiscloseWithAuthorization, engine.Evaluate(request with { Authorization = a }, Today).Outcome);
        Assert.Equal(Outcome.AssertPrivilege, engine.Evaluate(request, Today).Outcome);
    }

    [Fact]
    public void Revoked_expired_altered_unsigned_and_foreign_releases_are_never_used()
    {
        var cases = new (ReleaseState Release, ReleaseVerdict Verdict)[]
        {
            (Signed(Complete(), revoked: Today), ReleaseVerdict.Revoked),
            (Signed(Complete() with { ExpiresOn = Today.AddDays(-1) }), ReleaseVerdict.Expired),
            (Signed(Complete(), intact: false), ReleaseVerdict.TextAltered),
            (new ReleaseState(Guid.NewGuid(), Complete(), null, false, null, true), ReleaseVerdict.NotSigned),
            (Signed(Complete() with { RecipientName = "Someone Else LLP" }), ReleaseVerdict.OtherRecipient),
            (Signed(Complete() with { Purpose = ReleasePurpose.Payment, PurposeDescription = "insurance" }), ReleaseVerdict.OtherPurpose),
            (Signed(Complete(ReleaseKind.General, Category.Billing)), ReleaseVerdict.CoversNothingAsked),
        };
        foreach (var (release, verdict) in cases)
        {
            var match = ReleaseMatcher.Match(Subpoena(), [release], Today);
            Assert.Null(match.Authorization);
            Assert.Empty(match.Used);
            Assert.Equal(verdict, Assert.Single(match.Considered).Verdict);
        }
        // Expires through its day: still valid on the expiry date itself.
        Assert.NotNull(ReleaseMatcher.Match(Subpoena(), [Signed(Complete() with { ExpiresOn = Today })], Today).Authorization);
        // No requester name on the request: nothing can be matched to it.
        Assert.Null(ReleaseMatcher.Match(Subpoena(requesterName: null), [Signed(Complete())], Today).Authorization);
    }

    [Fact]
    public void The_widest_release_of_each_kind_is_used_and_separate_kinds_set_their_flags()
    {
        var narrow = Signed(Complete(ReleaseKind.General, Category.ProgressNotes));
        var wide = Signed(Complete(ReleaseKind.General, Category.ProgressNotes, Category.TreatmentPlan, Category.Billing));
        var notes = Signed(Complete(ReleaseKind.PsychotherapyNotes, Category.PsychotherapyNotes));
        var sud = Signed(Complete(ReleaseKind.Sud, Category.SudRecords));
        var request = Subpoena("dana reyes, esq", Category.ProgressNotes, Category.Billing, Category.PsychotherapyNotes, Category.SudRecords);
        var match = ReleaseMatcher.Match(request, [narrow, wide, notes, sud], Today);
        Assert.Equal([wide.Id, notes.Id, sud.Id], match.Used);
        var a = match.Authorization!;
        Assert.True(a.SeparatePsychotherapyNotesAuthorization);
        Assert.True(a.Part2Consent);
        Assert.True(a.Categories.Contains(Category.PsychotherapyNotes) && a.Categories.Contains(Category.SudRecords) && a.Categories.Contains(Category.Billing));
        Assert.Equal(ReleaseVerdict.NarrowerThanChosen, match.Considered.Single(c => c.Id == narrow.Id).Verdict);
    }

    [Fact]
    public void A_release_at_the_clients_request_covers_any_purpose()
    {
        var atRequest = Signed(Complete() with { Purpose = ReleasePurpose.AtClientRequest, PurposeDescription = null });
        Assert.NotNull(ReleaseMatcher.Match(Subpoena(), [atRequest], Today).Authorization);
    }

    /// <summary>
    /// Property: whatever the releases and the evaluation date, the matcher uses only releases that are
    /// valid on that date, name the requester, serve the purpose and cover something asked; at most one
    /// of each kind; and the authorization's categories are exactly the union of the ones used.
    /// </summary>
    [Fact]
    public void The_matcher_uses_only_valid_covering_releases()
    {
        var kinds = Gen.Enum<ReleaseKind>();
        var release =
            from kind in kinds
            from bits in Gen.Int[1, 511]
            from recipient in Gen.OneOf("Dana Reyes, Esq.", "Other Firm")
            from purpose in Gen.Enum<ReleasePurpose>()
            from signed in Gen.Frequency((4, true), (1, false))
            from revokedDays in Gen.Int[-60, 60]
            from revoked in Gen.Frequency((1, true), (3, false))
            from expiresDays in Gen.Int[-60, 60]
            from intact in Gen.Frequency((5, true), (1, false))
            let categories = new CategorySet((ushort)bits).Intersect(ReleaseContent.Allowed(kind))
            select new ReleaseState(
                Guid.NewGuid(),
                Complete(kind) with { Categories = categories, RecipientName = recipient, Purpose = purpose, ExpiresOn = Today.AddDays(expiresDays) },
                signed ? Today.AddDays(-90) : null,
                signed,
                revoked ? Today.AddDays(revokedDays) : null,
                intact
            );
        var input =
            from releases in release.Array[0, 6]
            from requested in Gen.Int[1, 511]
            from day in Gen.Int[-30, 30]
            select (Releases: releases, Request: Subpoena("DANA REYES ESQ") with { Requested = new CategorySet((ushort)requested) }, On: Today.AddDays(day));
        Property.ForAll(
            input,
            seed: 2611,
            iterations: 400,
            x =>
            {
                var match = ReleaseMatcher.Match(x.Request, x.Releases, x.On);
                var used = x.Releases.Where(r => match.Used.Contains(r.Id)).ToList();
                Assert.Equal(used.Count, used.Select(r => r.Content.Kind).Distinct().Count());
                foreach (var r in used)
                {
                    Assert.True(ReleaseMatcher.IsValid(r, x.On));
                    Assert.Equal("Dana Reyes, Esq.", r.Content.RecipientName);
                    Assert.True(r.Content.Purpose is ReleasePurpose.LegalProceeding or ReleasePurpose.AtClientRequest);
                    Assert.False(r.Content.Categories.Intersect(x.Request.Requested).IsEmpty);
                    Assert.True(r.RevokedOn is null || r.RevokedOn > x.On);
                    Assert.True(r.Content.ExpiresOn >= x.On);
                }
                if (used.Count == 0)
                {
                    Assert.Null(match.Authorization);
                }
                else
                {
                    var union = used.Aggregate(CategorySet.Empty, (s, r) => new CategorySet((ushort)(s.Bits | r.Content.Categories.Bits)));
                    Assert.Equal(union, match.Authorization!.Categories);
                }
                // Every release is accounted for, once.
                Assert.Equal(x.Releases.Select(r => r.Id).Order(), match.Considered.Select(c => c.Id).Order());
            },
            x => string.Join("\n", x.Releases.Select(r => $"{r.Content.Kind} {r.Content.Categories} {r.Content.RecipientName} {r.Content.Purpose} signed={r.SignedOn} revoked={r.RevokedOn} expires={r.Content.ExpiresOn} intact={r.TextIntact}")) + $"\nrequested={x.Request.Requested} on={x.On}"
        );
    }

    [Fact]
    public void Content_survives_its_json_and_describes_itself_in_one_line()
    {
        var content = Complete() with { Records = new DateRange(new DateOnly(2025, 1, 1), null), ExpiryEvent = "the end of the lawsuit" };
        Assert.Equal(content, ReleaseContent.FromJson(content.ToJson()));
        var line = ReleaseMatcher.Describe(content, Today);
        Assert.Contains("general release to Dana Reyes, Esq.", line, StringComparison.Ordinal);
        Assert.Contains("signed November 29, 2026", line, StringComparison.Ordinal);
        Assert.Contains("until the end of the lawsuit", line, StringComparison.Ordinal);
    }
}
