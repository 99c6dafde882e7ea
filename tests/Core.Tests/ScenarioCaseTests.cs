using System.Text.Json;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Core.Tests;

/// <summary>
/// Every scenario file in <c>../shared/cases</c> and <c>tests/Core.Tests/Cases</c> runs through the
/// engine and is checked as <c>shared/cases/README.md</c> says. Our own cases also carry a
/// <c>note</c> naming the rule they pin down.
/// </summary>
public sealed class ScenarioCaseTests
{
    private static readonly TriageEngine Engine = new(LawLibrary.Embedded, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));

    public static TheoryData<string> SharedCases() => Files(RepoPaths.SharedCases);

    public static TheoryData<string> OwnCases() => Files(RepoPaths.OwnCases);

    [Fact]
    public void SharedCases_Folder_HoldsTheContractCases()
    {
        // The shared folder must be there: a missing one would otherwise make the theory run nothing.
        Assert.True(Directory.Exists(RepoPaths.SharedCases), $"missing {RepoPaths.SharedCases}");
        Assert.True(Directory.GetFiles(RepoPaths.SharedCases, "*.json").Length >= 13);
    }

    [Fact]
    public void OwnCases_EachNamesTheRuleItPinsDown()
    {
        var files = Directory.GetFiles(RepoPaths.OwnCases, "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            Assert.True(
                doc.RootElement.TryGetProperty("note", out var note) && note.GetString()!.Length > 10,
                $"{Path.GetFileName(file)} has no note naming its rule"
            );
        }
    }

    [Theory]
    [MemberData(nameof(SharedCases))]
    public void SharedCase_Passes(string file) => Check(Path.Combine(RepoPaths.SharedCases, file));

    [Theory]
    [MemberData(nameof(OwnCases))]
    public void OwnCase_Passes(string file) => Check(Path.Combine(RepoPaths.OwnCases, file));

    private static TheoryData<string> Files(string dir)
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    internal static void Check(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var parsed = RequestParser.Parse(root.GetProperty("request").GetRawText());
        Assert.True(parsed.Success, string.Join("; ", parsed.Errors));
        var determination = Engine.Evaluate(parsed.Request!);
        using var actual = JsonDocument.Parse(DeterminationJson.ToJson(determination));
        var d = actual.RootElement;
        var expect = root.GetProperty("expect");
        foreach (var property in expect.EnumerateObject())
        {
            var e = property.Value;
            switch (property.Name)
            {
                case "outcome":
                    Assert.Equal(e.GetString(), d.GetProperty("outcome").GetString());
                    break;
                case "disclose":
                    Assert.Equal(Strings(e), Strings(d.GetProperty("disclose")));
                    break;
                case "withheld":
                    Assert.Equal(Strings(e), Strings(d.GetProperty("withheld")));
                    break;
                case "citationsInclude":
                    Assert.Subset(Strings(d.GetProperty("citations")).ToHashSet(), Strings(e).ToHashSet());
                    break;
                case "citationsExclude":
                    Assert.Empty(Strings(d.GetProperty("citations")).Intersect(Strings(e)));
                    break;
                case "documentsInclude":
                    Assert.Subset(Strings(d.GetProperty("documents")).ToHashSet(), Strings(e).ToHashSet());
                    break;
                case "respondBy":
                    Assert.Equal(e.ValueKind == JsonValueKind.Null ? null : e.GetString(), d.GetProperty("respondBy").GetString());
                    break;
                case "objectBy":
                    Assert.Equal(e.ValueKind == JsonValueKind.Null ? null : e.GetString(), d.GetProperty("objectBy").GetString());
                    break;
                case "warnings":
                    if (e.ValueKind == JsonValueKind.String && e.GetString() == "nonempty")
                    {
                        Assert.NotEmpty(Strings(d.GetProperty("warnings")));
                    }
                    else if (e.ValueKind == JsonValueKind.String && e.GetString() == "empty")
                    {
                        Assert.Empty(Strings(d.GetProperty("warnings")));
                    }
                    else
                    {
                        Assert.Fail($"expect.warnings: unknown check {e}");
                    }
                    break;
                case "coverage":
                    Assert.Equal(e.GetString(), d.GetProperty("profile").GetProperty("coverage").GetString());
                    break;
                default:
                    Assert.Fail($"{Path.GetFileName(path)}: unknown expect field '{property.Name}'");
                    break;
            }
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(x => x.GetString()!).ToList();
}
