using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Core.Tests;

/// <summary>The one vocabulary: every category, outcome and document has a short and a long name, and dates read one way.</summary>
public sealed class VocabularyTests
{
    [Fact]
    public void EveryMember_HasAShortAndALongLabel()
    {
        AssertLabelled<Category>(Vocabulary.Short, Vocabulary.Long);
        AssertLabelled<Outcome>(Vocabulary.Short, Vocabulary.Long);
        AssertLabelled<DocumentKind>(Vocabulary.Short, Vocabulary.Long);
    }

    [Fact]
    public void Labels_AreDistinctWithinAVocabulary()
    {
        foreach (var table in new[] { Vocabulary.Of<Category>(), Vocabulary.Of<Outcome>(), Vocabulary.Of<DocumentKind>() })
        {
            Assert.Equal(table.Count, table.Values.Select(l => l.Short).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(table.Count, table.Values.Select(l => l.Long).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Labels_AreWrittenForTheRulesV2MembersBeforeTheyExist()
    {
        // The lead adds these enum members; their names are here already, so adding one is one line of the enum.
        foreach (var name in new[] { "protective-disclosure", "deny-access", "verify-authority" })
        {
            Assert.True(Vocabulary.Of<Outcome>().ContainsKey(name), name);
        }
        foreach (var name in new[] { "order-clarification-request", "protective-disclosure-record", "authority-request-letter", "privilege-log" })
        {
            Assert.True(Vocabulary.Of<DocumentKind>().ContainsKey(name), name);
        }
    }

    [Fact]
    public void Date_IsOneFormatForPeople()
    {
        Assert.Equal("March 2, 2026", Vocabulary.Date(new DateOnly(2026, 3, 2)));
        Assert.Equal("December 31, 2025", Vocabulary.Date(new DateOnly(2025, 12, 31)));
        Assert.Equal("from January 1, 2026 through June 30, 2026", Vocabulary.Period(new DateRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30))));
        Assert.Equal("through June 30, 2026", Vocabulary.Period(new DateRange(null, new DateOnly(2026, 6, 30))));
        Assert.Equal("any date", Vocabulary.Period(new DateRange(null, null)));
        Assert.Equal("March 2, 2026 14:05", Vocabulary.Time(new DateTime(2026, 3, 2, 14, 5, 9)));
        Assert.Equal("March 2, 2026 14:05:09", Vocabulary.Time(new DateTime(2026, 3, 2, 14, 5, 9), seconds: true));
    }

    [Fact]
    public void Phrase_JoinsShortLabelsInWireNameOrder()
    {
        Assert.Equal("billing records, progress notes and treatment plan", Vocabulary.Phrase(CategorySet.Of(Category.TreatmentPlan, Category.ProgressNotes, Category.Billing), "nothing"));
        Assert.Equal("nothing", Vocabulary.Phrase(CategorySet.Empty, "nothing"));
        Assert.Equal(Vocabulary.Short(Category.Intake), Categories.Label(Category.Intake));
    }

    private static void AssertLabelled<T>(Func<T, string> shortForm, Func<T, string> longForm)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            var name = $"{typeof(T).Name}.{value}";
            var s = shortForm(value);
            var l = longForm(value);
            Assert.False(string.IsNullOrWhiteSpace(s), name);
            Assert.False(string.IsNullOrWhiteSpace(l), name);
            Assert.True(char.IsUpper(l[0]), $"{name}: the long form stands alone and starts with a capital: '{l}'");
            Assert.True(char.IsLower(s[0]) || s.Split(' ')[0].All(c => !char.IsLetter(c) || char.IsUpper(c)), $"{name}: the short form reads inside a sentence: '{s}'");
        }
    }
}
