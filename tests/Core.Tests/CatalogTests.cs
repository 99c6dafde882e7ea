using System.Text.RegularExpressions;
using Confide.Core.Law;

namespace Confide.Core.Tests;

/// <summary>
/// The citation catalog holds every id <c>shared/spec/citations.md</c> lists, with the status the
/// spec gives it (V, P or UNVERIFIED): a determination that leans on a citation reports the
/// catalog's status, so a catalog that rates a source higher than the research would hide a warning.
/// </summary>
public sealed partial class CatalogTests
{
    private static string SpecFile => Path.Combine(RepoPaths.Shared, "spec", "citations.md");

    [Fact]
    public void EverySpecId_IsInTheCatalog_WithTheSpecStatus()
    {
        var rows = SpecRows();
        var catalog = LawLibrary.Embedded.Catalog;
        var problems = new List<string>();
        foreach (var (id, status) in rows)
        {
            var citation = catalog.Find(id);
            if (citation is null)
            {
                problems.Add($"{id}: missing from citations.json (spec: {status})");
            }
            else if (citation.StatusCode != status)
            {
                problems.Add($"{id}: catalog {citation.StatusCode}, spec {status}");
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {rows.Count} spec ids disagree with the catalog:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void SpecTable_IsReadWhole()
    {
        // A row the pattern misses would silently drop out of the check above.
        var idRows = File.ReadLines(SpecFile).Count(l => l.StartsWith("| `", StringComparison.Ordinal));
        var rows = SpecRows();
        Assert.Equal(idRows, rows.Count);
        Assert.True(rows.Count >= 200, $"only {rows.Count} ids read from {SpecFile}");
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>The id and status of each row of the spec's table, in order.</summary>
    private static List<(string Id, string Status)> SpecRows() =>
        File.ReadLines(SpecFile)
            .Select(l => SpecRow().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups["id"].Value, m.Groups["status"].Value))
            .ToList();

    // | `id` | source | status | notes |
    [GeneratedRegex(@"^\| `(?<id>[^`]+)` \| [^|]+ \| (?<status>V|P|UNVERIFIED) \|")]
    private static partial Regex SpecRow();
}
