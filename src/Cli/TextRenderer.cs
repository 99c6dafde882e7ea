using System.Globalization;
using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Cli;

/// <summary>Renders a determination for a person to read in a terminal.</summary>
internal static class TextRenderer
{
    public static void Write(TextWriter output, Determination d, CitationCatalog catalog)
    {
        output.WriteLine($"Outcome: {Wire<Outcome>.Name(d.Outcome)}");
        output.WriteLine($"  {Vocabulary.Long(d.Outcome)}.");
        output.WriteLine(
            $"Profile: {d.Profile.Jurisdiction} ({(d.Profile.Coverage == Coverage.State ? "state profile" : "baseline only")}), version {d.Profile.Version}, reviewed {Date(d.Profile.ReviewedOn)}"
        );
        output.WriteLine($"Respond by: {(d.RespondBy is { } due ? Date(due) : "no deadline given")}");
        output.WriteLine();

        output.WriteLine($"May disclose: {List(d.Disclose, "nothing")}");
        output.WriteLine($"Withheld: {List(d.Withheld, "nothing")}");
        output.WriteLine();

        Section(output, "Why", d.Reasons, numbered: false);
        Section(output, "Steps", d.Steps, numbered: true);
        Section(output, "Documents to prepare", d.Documents.Select(Wire<DocumentKind>.Name).ToArray(), numbered: false);

        output.WriteLine("Citations:");
        foreach (var id in d.Citations)
        {
            var c = catalog.Get(id);
            output.WriteLine($"  [{c.Id}] {c.Text} ({c.StatusLabel})");
            output.WriteLine($"      {c.Summary}");
        }
        if (d.Citations.Count == 0)
        {
            output.WriteLine("  (none)");
        }
        if (d.Warnings.Count > 0)
        {
            output.WriteLine();
            Section(output, "Warnings", d.Warnings, numbered: false, trailingBlank: false);
        }
        output.WriteLine();
        output.WriteLine("Decision support, not legal advice: check the cited sources and consult counsel when in doubt.");
    }

    private static void Section(TextWriter output, string title, IReadOnlyList<string> lines, bool numbered, bool trailingBlank = true)
    {
        output.WriteLine($"{title}:");
        for (var i = 0; i < lines.Count; i++)
        {
            output.WriteLine(numbered ? $"  {i + 1}. {lines[i]}" : $"  - {lines[i]}");
        }
        if (lines.Count == 0)
        {
            output.WriteLine("  (none)");
        }
        if (trailingBlank)
        {
            output.WriteLine();
        }
    }

    private static string List(CategorySet set, string empty) =>
        set.IsEmpty ? empty : string.Join(", ", set.ToArray().Select(Categories.Name));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
