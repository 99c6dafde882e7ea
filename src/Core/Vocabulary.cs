using System.Globalization;
using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Core;

/// <summary>
/// A name for people, in two forms. <see cref="Short"/> reads inside a sentence ("I will send your
/// progress notes"); <see cref="Long"/> stands on its own: a list item, a table cell, a heading.
/// </summary>
/// <param name="Short">Lower case (except proper names and abbreviations), for running text.</param>
/// <param name="Long">Capitalised, and where it helps a reader fuller than the short form.</param>
public readonly record struct Label(string Short, string Long);

/// <summary>
/// The one vocabulary for people: the names of record categories, outcomes and documents, and the
/// one way a date is written, in documents and on pages. Documents, the web app and the command line
/// take every such name from here and keep no table of their own.
/// </summary>
/// <remarks>
/// The tables are keyed by wire name (<see cref="Wire{T}"/>), so a new enum member is one line here
/// (and a label may be written before its member exists). Asking for the label of a member that has
/// no line throws an <see cref="InvalidOperationException"/> that names it; a test checks that every
/// member has one. Wire names stay the contract's; labels are only for people.
/// </remarks>
public static class Vocabulary
{
    private static readonly Dictionary<string, Label> CategoryLabels = new(StringComparer.Ordinal)
    {
        ["intake"] = new("intake and assessment records", "Intake and assessment records"),
        ["progress-notes"] = new("progress notes", "Progress notes"),
        ["psychotherapy-notes"] = new("psychotherapy notes", "Psychotherapy notes"),
        ["treatment-plan"] = new("treatment plan", "Treatment plan"),
        ["test-data"] = new("psychological test data", "Psychological test data"),
        ["attendance"] = new("attendance records", "Attendance records (dates of service)"),
        ["billing"] = new("billing records", "Billing records"),
        ["correspondence"] = new("correspondence", "Correspondence"),
        ["sud-records"] = new("substance use disorder (SUD) records", "Substance use disorder (SUD) records"),
    };

    private static readonly Dictionary<string, Label> OutcomeLabels = new(StringComparer.Ordinal)
    {
        ["assert-privilege"] = new("assert privilege", "Assert privilege: refuse on the client's behalf, in writing"),
        ["request-written-order"] = new("ask for a written order", "Do not disclose yet: ask the judge for a written order"),
        ["comply-with-order"] = new("comply with the court order", "Comply with the court order, disclosing only what it covers"),
        ["disclose-with-authorization"] = new("disclose under the client's release", "Disclose what the client's written release covers"),
        ["obtain-authorization"] = new("get a written release first", "Get a written release from the client before sharing anything"),
        ["mandated-report"] = new("make the mandated report", "Make the mandated child-abuse report"),
        ["duty-to-protect"] = new("act on the duty to protect", "Act on the duty to protect"),
        ["confidential-no-disclosure"] = new("confidential: disclose nothing", "Confidential: disclose nothing"),
        ["client-access"] = new("give the client access", "Give the client access to their own records"),
        ["consult-counsel"] = new("get legal advice", "Keep it confidential and get legal advice"),
        ["protective-disclosure"] = new("make a protective disclosure", "Protect the client: tell only those who can prevent the harm, and only what they need"),
        ["deny-access"] = new("deny access", "Deny access in writing, giving the ground and how to complain"),
        ["verify-authority"] = new("verify the requester's authority", "Disclose nothing until the requester's authority to act for the client is documented"),
    };

    private static readonly Dictionary<string, Label> DocumentLabels = new(StringComparer.Ordinal)
    {
        ["privilege-assertion-letter"] = new("letter asserting privilege", "Letter asserting privilege"),
        ["written-order-request"] = new("request for a written court order", "Request for a written court order"),
        ["client-notice"] = new("notice to the client", "Notice to the client"),
        ["authorization-form"] = new("authorization form", "Authorization (release) form"),
        ["psychotherapy-notes-authorization-form"] = new("psychotherapy notes authorization form", "Authorization form for psychotherapy notes"),
        ["sud-consent-form"] = new("SUD consent form", "Consent form for substance-use-disorder records (42 CFR Part 2)"),
        ["disclosure-cover-letter"] = new("cover letter", "Cover letter for the disclosure"),
        ["mandated-report-worksheet"] = new("mandated report worksheet", "Mandated child abuse report worksheet"),
        ["duty-to-protect-record"] = new("duty-to-protect record", "Duty-to-protect record"),
        ["confidentiality-response-letter"] = new("letter declining to disclose", "Letter declining to disclose (confidentiality)"),
        ["access-response-letter"] = new("letter answering a request for access", "Letter answering the client's request for access"),
        ["order-clarification-request"] = new("request to clarify the order", "Request to clarify or complete the court order"),
        ["protective-disclosure-record"] = new("protective disclosure record", "Protective disclosure record"),
        ["authority-request-letter"] = new("letter asking for proof of authority", "Letter asking for proof of authority to act for the client"),
        ["privilege-log"] = new("privilege log", "Privilege log"),
    };

    /// <summary>A category inside a sentence: "progress notes".</summary>
    public static string Short(Category category) => Find(CategoryLabels, category).Short;

    /// <summary>A category on its own (a list item, a table cell): "Attendance records (dates of service)".</summary>
    public static string Long(Category category) => Find(CategoryLabels, category).Long;

    /// <summary>An outcome inside a sentence: "assert privilege".</summary>
    public static string Short(Outcome outcome) => Find(OutcomeLabels, outcome).Short;

    /// <summary>An outcome on its own, in a few plain words: "Assert privilege: refuse on the client's behalf, in writing".</summary>
    public static string Long(Outcome outcome) => Find(OutcomeLabels, outcome).Long;

    /// <summary>A document inside a sentence: "letter asserting privilege".</summary>
    public static string Short(DocumentKind kind) => Find(DocumentLabels, kind).Short;

    /// <summary>A document on its own (its title, a list item): "Letter asserting privilege".</summary>
    public static string Long(DocumentKind kind) => Find(DocumentLabels, kind).Long;

    /// <summary>The one date format for people, in documents and on pages: "March 2, 2026".</summary>
    /// <remarks>Wire formats (JSON, CSV, the packet manifest, calendar feeds, form inputs) stay ISO 8601.</remarks>
    public static string Date(DateOnly date) => date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time for people, the date written as <see cref="Date"/>: "March 2, 2026 14:05" (or "14:05:09" with <paramref name="seconds"/>).</summary>
    /// <remarks>The caller says which clock it is ("UTC", "(UTC-07:00)"): this only writes it.</remarks>
    public static string Time(DateTime time, bool seconds = false) =>
        Date(DateOnly.FromDateTime(time)) + " " + time.ToString(seconds ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A range of dates: "from January 1, 2026 through June 30, 2026", "from ...", "through ...", or "any date".</summary>
    public static string Period(DateRange range) =>
        (range.From, range.Through) switch
        {
            ({ } f, { } t) => $"from {Date(f)} through {Date(t)}",
            ({ } f, null) => $"from {Date(f)}",
            (null, { } t) => $"through {Date(t)}",
            _ => "any date",
        };

    /// <summary>Categories inside a sentence: "billing records, progress notes and correspondence", or <paramref name="empty"/>.</summary>
    public static string Phrase(CategorySet categories, string empty) => Series(categories.ToArray().Select(Short).ToList(), empty);

    /// <summary>Items joined for a sentence: "a", "a and b", "a, b and c"; <paramref name="empty"/> for none.</summary>
    public static string Series(IReadOnlyList<string> items, string empty)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count switch
        {
            0 => empty,
            1 => items[0],
            _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
        };
    }

    /// <summary>The labels of one vocabulary, by wire name, for tests and tools that list them.</summary>
    public static IReadOnlyDictionary<string, Label> Of<T>()
        where T : struct, Enum => Table<T>();

    private static Dictionary<string, Label> Table<T>()
        where T : struct, Enum =>
        typeof(T) == typeof(Category) ? CategoryLabels
        : typeof(T) == typeof(Outcome) ? OutcomeLabels
        : typeof(T) == typeof(DocumentKind) ? DocumentLabels
        : throw new ArgumentException($"Vocabulary has no labels for {typeof(T).Name}", nameof(T));

    private static Label Find<T>(Dictionary<string, Label> table, T value)
        where T : struct, Enum
    {
        var name = Wire<T>.Name(value);
        return table.TryGetValue(name, out var label)
            ? label
            : throw new InvalidOperationException($"Vocabulary has no label for the {typeof(T).Name} '{name}': add a line for it to Confide.Core.Vocabulary");
    }
}
