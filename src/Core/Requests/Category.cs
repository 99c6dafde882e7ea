namespace Confide.Core.Requests;

/// <summary>A category of client record that a request can ask for.</summary>
public enum Category
{
    /// <summary>Intake and assessment records.</summary>
    Intake,

    /// <summary>Progress notes (part of the designated record set).</summary>
    ProgressNotes,

    /// <summary>Psychotherapy notes kept apart from the record (45 C.F.R. § 164.501).</summary>
    PsychotherapyNotes,

    /// <summary>The treatment plan.</summary>
    TreatmentPlan,

    /// <summary>Psychological test data.</summary>
    TestData,

    /// <summary>Attendance: dates of sessions.</summary>
    Attendance,

    /// <summary>Billing records.</summary>
    Billing,

    /// <summary>Correspondence.</summary>
    Correspondence,

    /// <summary>Substance use disorder records.</summary>
    SudRecords,
}

/// <summary>
/// A set of <see cref="Category"/> values as a bit mask: set algebra without allocation on the
/// engine's hot path. Enumeration yields categories in ordinal order of their wire names, which is
/// the order the contract requires for <c>disclose</c> and <c>withheld</c>.
/// </summary>
public readonly record struct CategorySet(ushort Bits)
{
    /// <summary>The empty set.</summary>
    public static CategorySet Empty => default;

    /// <summary>True when the set holds no category.</summary>
    public bool IsEmpty => Bits == 0;

    /// <summary>The number of categories in the set.</summary>
    public int Count => System.Numerics.BitOperations.PopCount(Bits);

    /// <summary>True when <paramref name="category"/> is in the set.</summary>
    public bool Contains(Category category) => (Bits & Bit(category)) != 0;

    /// <summary>The set with <paramref name="category"/> added.</summary>
    public CategorySet With(Category category) => new((ushort)(Bits | Bit(category)));

    /// <summary>The set without <paramref name="category"/>.</summary>
    public CategorySet Without(Category category) => new((ushort)(Bits & ~Bit(category)));

    /// <summary>Intersection.</summary>
    public CategorySet Intersect(CategorySet other) => new((ushort)(Bits & other.Bits));

    /// <summary>Difference: the categories of this set that are not in <paramref name="other"/>.</summary>
    public CategorySet Except(CategorySet other) => new((ushort)(Bits & ~other.Bits));

    /// <summary>True when every category of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(CategorySet other) => (Bits & ~other.Bits) == 0;

    /// <summary>The set holding exactly the given categories.</summary>
    public static CategorySet Of(params ReadOnlySpan<Category> categories)
    {
        ushort bits = 0;
        foreach (var c in categories)
        {
            bits |= Bit(c);
        }
        return new CategorySet(bits);
    }

    /// <summary>The categories in ordinal order of their wire names.</summary>
    public Category[] ToArray()
    {
        var result = new Category[Count];
        var i = 0;
        foreach (var c in Categories.InNameOrder)
        {
            if (Contains(c))
            {
                result[i++] = c;
            }
        }
        return result;
    }

    private static ushort Bit(Category category) => (ushort)(1 << (int)category);

    /// <inheritdoc />
    public override string ToString() => string.Join(",", ToArray().Select(Categories.Name));
}

/// <summary>Wire names of categories and their ordering.</summary>
public static class Categories
{
    /// <summary>Every category, in ordinal order of its wire name (the contract's list order).</summary>
    public static IReadOnlyList<Category> InNameOrder { get; } =
        Enum.GetValues<Category>().OrderBy(Name, StringComparer.Ordinal).ToArray();

    /// <summary>Every category in declaration order.</summary>
    public static IReadOnlyList<Category> All { get; } = Enum.GetValues<Category>();

    /// <summary>The wire name, e.g. <c>psychotherapy-notes</c>.</summary>
    public static string Name(Category category) => Wire<Category>.Name(category);

    /// <summary>A category's name for a person inside a sentence: <see cref="Vocabulary.Short(Category)"/>.</summary>
    public static string Label(Category category) => Vocabulary.Short(category);

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string? name, out Category category)
    {
        foreach (var c in All)
        {
            if (string.Equals(Name(c), name, StringComparison.Ordinal))
            {
                category = c;
                return true;
            }
        }
        category = default;
        return false;
    }
}
