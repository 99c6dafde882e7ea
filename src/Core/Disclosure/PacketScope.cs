using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Core.Disclosure;

/// <summary>
/// An inclusive range of dates, either end optional: the period a release or an order covers.
/// </summary>
/// <param name="From">The first day covered, or null for no lower bound.</param>
/// <param name="Through">The last day covered, or null for no upper bound.</param>
public readonly record struct DateRange(DateOnly? From, DateOnly? Through)
{
    /// <summary>True when <paramref name="date"/> is on or after <see cref="From"/> and on or before <see cref="Through"/>.</summary>
    public bool Contains(DateOnly date) => (From is not { } from || date >= from) && (Through is not { } through || date <= through);

    /// <summary>"from 2026-01-01 through 2026-06-30", "through ...", "from ...", or "any date".</summary>
    public override string ToString() =>
        (From, Through) switch
        {
            ({ } f, { } t) => $"from {f:yyyy-MM-dd} through {t:yyyy-MM-dd}",
            ({ } f, null) => $"from {f:yyyy-MM-dd}",
            (null, { } t) => $"through {t:yyyy-MM-dd}",
            _ => "any date",
        };
}

/// <summary>What the scope function needs to know about one record item.</summary>
/// <param name="Id">The item's identifier (opaque to Core).</param>
/// <param name="Category">The item's record category.</param>
/// <param name="Date">The date the item is about (a session, a letter), or null when it has none.</param>
public sealed record RecordItemRef(string Id, Category Category, DateOnly? Date);

/// <summary>
/// Which record items a disclosure may contain. Pure: no I/O, same answer for the same input.
/// </summary>
public static class PacketScope
{
    /// <summary>
    /// The ids of the items in scope of a determination, in the order given: none when the outcome
    /// does not disclose (see <see cref="Outcomes.Discloses"/>); otherwise as
    /// <see cref="Select(CategorySet, DateRange?, IEnumerable{RecordItemRef})"/> with the
    /// determination's <see cref="Determination.Disclose"/> set.
    /// </summary>
    public static IReadOnlyList<string> Select(Determination determination, DateRange? range, IEnumerable<RecordItemRef> items)
    {
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(items);
        return Outcomes.Discloses(determination.Outcome) ? Select(determination.Disclose, range, items) : [];
    }

    /// <summary>
    /// The ids of the items whose category is in <paramref name="disclose"/> and, when
    /// <paramref name="range"/> is given, whose date is in it, in the order given. Every category
    /// must be named in <paramref name="disclose"/>: psychotherapy notes and SUD records are never
    /// included by any broader rule. With a range, an undated item is out of scope (it cannot be
    /// shown to fall in the period the release or order covers).
    /// </summary>
    public static IReadOnlyList<string> Select(CategorySet disclose, DateRange? range, IEnumerable<RecordItemRef> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var result = new List<string>();
        foreach (var item in items)
        {
            if (InScope(disclose, range, item))
            {
                result.Add(item.Id);
            }
        }
        return result;
    }

    /// <summary>True when one item is in scope (see <see cref="Select(CategorySet, DateRange?, IEnumerable{RecordItemRef})"/>).</summary>
    public static bool InScope(CategorySet disclose, DateRange? range, RecordItemRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!disclose.Contains(item.Category))
        {
            return false;
        }
        if (range is { } r)
        {
            return item.Date is { } date && r.Contains(date);
        }
        return true;
    }

    /// <summary>
    /// The ids in scope when the determination relied on the client's releases: an item must be in
    /// the determination's <see cref="Determination.Disclose"/> set and covered by at least one of
    /// the <paramref name="releases"/> it relied on — that release names its category and, when the
    /// release limits the records to a period, the item's date is in it. A general release and a
    /// separate psychotherapy-notes release each cover only their own categories and period. With no
    /// releases this is <see cref="Select(Determination, DateRange?, IEnumerable{RecordItemRef})"/>
    /// without a range.
    /// </summary>
    public static IReadOnlyList<string> SelectUnderReleases(Determination determination, IReadOnlyList<ReleaseScope> releases, IEnumerable<RecordItemRef> items)
    {
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(items);
        if (releases.Count == 0)
        {
            return Select(determination, range: null, items);
        }
        if (!Outcomes.Discloses(determination.Outcome))
        {
            return [];
        }
        var result = new List<string>();
        foreach (var item in items)
        {
            if (releases.Any(r => InScope(determination.Disclose.Intersect(r.Categories), r.Records, item)))
            {
                result.Add(item.Id);
            }
        }
        return result;
    }
}

/// <summary>What one release relied on covers: its categories and, if it limits them, the period of the records.</summary>
public readonly record struct ReleaseScope(CategorySet Categories, DateRange? Records);
