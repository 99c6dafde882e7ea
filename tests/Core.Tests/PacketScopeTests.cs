using Confide.Core.Disclosure;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Core.Tests;

/// <summary>The disclosure packet's scope: categories from the determination, and the release's or order's dates.</summary>
public sealed class PacketScopeTests
{
    private static readonly RecordItemRef[] Items =
    [
        new("intake-1", Category.Intake, new DateOnly(2025, 12, 1)),
        new("note-1", Category.ProgressNotes, new DateOnly(2026, 1, 10)),
        new("note-2", Category.ProgressNotes, new DateOnly(2026, 3, 5)),
        new("pn-1", Category.PsychotherapyNotes, new DateOnly(2026, 1, 10)),
        new("sud-1", Category.SudRecords, new DateOnly(2026, 2, 1)),
        new("bill-undated", Category.Billing, null),
        new("note-3", Category.ProgressNotes, new DateOnly(2026, 6, 30)),
    ];

    private static Determination Determination(Outcome outcome, params Category[] disclose) =>
        new()
        {
            Outcome = outcome,
            Disclose = CategorySet.Of(disclose),
            Withheld = CategorySet.Empty,
            Citations = [],
            Reasons = [],
            Steps = [],
            Documents = [],
            RespondBy = null,
            Profile = new ProfileRef("US-CA", "1.0.0", new DateOnly(2026, 11, 29), default),
            Warnings = [],
        };

    [Fact]
    public void Categories_OnlyThoseDisclosed_InGivenOrder()
    {
        var ids = PacketScope.Select(CategorySet.Of(Category.ProgressNotes, Category.Billing), null, Items);
        Assert.Equal(["note-1", "note-2", "bill-undated", "note-3"], ids);
    }

    [Fact]
    public void PsychotherapyNotesAndSud_OnlyWhenNamed()
    {
        var broad = CategorySet.Of(Category.Intake, Category.ProgressNotes, Category.TreatmentPlan, Category.TestData, Category.Attendance, Category.Billing, Category.Correspondence);
        var ids = PacketScope.Select(broad, null, Items);
        Assert.DoesNotContain("pn-1", ids);
        Assert.DoesNotContain("sud-1", ids);

        var named = PacketScope.Select(broad.With(Category.PsychotherapyNotes).With(Category.SudRecords), null, Items);
        Assert.Contains("pn-1", named);
        Assert.Contains("sud-1", named);
    }

    [Fact]
    public void DateRange_Inclusive_UndatedExcluded()
    {
        var range = new DateRange(new DateOnly(2026, 1, 10), new DateOnly(2026, 6, 30));
        var ids = PacketScope.Select(CategorySet.Of(Category.ProgressNotes, Category.Billing, Category.Intake), range, Items);
        Assert.Equal(["note-1", "note-2", "note-3"], ids);
    }

    [Fact]
    public void DateRange_OpenEnds()
    {
        var set = CategorySet.Of(Category.ProgressNotes);
        Assert.Equal(["note-2", "note-3"], PacketScope.Select(set, new DateRange(new DateOnly(2026, 2, 1), null), Items));
        Assert.Equal(["note-1"], PacketScope.Select(set, new DateRange(null, new DateOnly(2026, 1, 31)), Items));
        Assert.Equal("from 2026-02-01", new DateRange(new DateOnly(2026, 2, 1), null).ToString());
    }

    [Theory]
    [InlineData(Outcome.ComplyWithOrder, true)]
    [InlineData(Outcome.DiscloseWithAuthorization, true)]
    [InlineData(Outcome.ClientAccess, true)]
    [InlineData(Outcome.AssertPrivilege, false)]
    [InlineData(Outcome.ObtainAuthorization, false)]
    [InlineData(Outcome.ConsultCounsel, false)]
    [InlineData(Outcome.MandatedReport, false)]
    public void Determination_OnlyDisclosingOutcomesSelectAnything(Outcome outcome, bool discloses)
    {
        var ids = PacketScope.Select(Determination(outcome, Category.ProgressNotes), null, Items);
        Assert.Equal(discloses ? ["note-1", "note-2", "note-3"] : [], ids);
    }

    [Fact]
    public void EmptyDisclose_SelectsNothing()
    {
        Assert.Empty(PacketScope.Select(CategorySet.Empty, null, Items));
    }
}

/// <summary>When a determination relied on releases, each release covers only its own categories and period.</summary>
public sealed class PacketScopeReleaseTests
{
    private static readonly RecordItemRef[] Items =
    [
        new("note-2025", Category.ProgressNotes, new DateOnly(2025, 12, 1)),
        new("note-2026", Category.ProgressNotes, new DateOnly(2026, 3, 5)),
        new("pn-2025", Category.PsychotherapyNotes, new DateOnly(2025, 11, 2)),
        new("pn-2026", Category.PsychotherapyNotes, new DateOnly(2026, 2, 2)),
        new("bill-undated", Category.Billing, null),
    ];

    private static Determination Discloses(params Category[] disclose) => Decided(Outcome.DiscloseWithAuthorization, disclose);

    private static Determination Decided(Outcome outcome, params Category[] disclose) =>
        new()
        {
            Outcome = outcome,
            Disclose = CategorySet.Of(disclose),
            Withheld = CategorySet.Empty,
            Citations = [],
            Reasons = [],
            Steps = [],
            Documents = [],
            RespondBy = null,
            Profile = new ProfileRef("US-CA", "1.0.0", new DateOnly(2026, 11, 29), default),
            Warnings = [],
        };

    [Fact]
    public void EachRelease_CoversItsOwnCategoriesAndPeriod_Only()
    {
        var determination = Discloses(Category.ProgressNotes, Category.PsychotherapyNotes, Category.Billing);
        ReleaseScope[] releases =
        [
            new(CategorySet.Of(Category.ProgressNotes, Category.Billing), new DateRange(new DateOnly(2026, 1, 1), null)),
            new(CategorySet.Of(Category.PsychotherapyNotes), new DateRange(null, new DateOnly(2025, 12, 31))),
        ];
        // 2026 progress notes by the first; 2025 psychotherapy notes by the second; the undated bill has no date in the period.
        Assert.Equal(["note-2026", "pn-2025"], PacketScope.SelectUnderReleases(determination, releases, Items));
    }

    [Fact]
    public void AReleaseWithoutAPeriod_CoversEveryDate_ButNeverMoreThanTheDeterminationDiscloses()
    {
        var determination = Discloses(Category.ProgressNotes);
        ReleaseScope[] releases = [new(CategorySet.Of(Category.ProgressNotes, Category.PsychotherapyNotes, Category.Billing), null)];
        Assert.Equal(["note-2025", "note-2026"], PacketScope.SelectUnderReleases(determination, releases, Items));
    }

    [Fact]
    public void NoReleases_IsTheDeterminationsCategories_AndARefusalIsEmpty()
    {
        Assert.Equal(["note-2025", "note-2026", "bill-undated"], PacketScope.SelectUnderReleases(Discloses(Category.ProgressNotes, Category.Billing), [], Items));
        var refused = Decided(Outcome.AssertPrivilege, Category.ProgressNotes);
        Assert.Empty(PacketScope.SelectUnderReleases(refused, [new ReleaseScope(CategorySet.Of(Category.ProgressNotes), null)], Items));
    }
}
