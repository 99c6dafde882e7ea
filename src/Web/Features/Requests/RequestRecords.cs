using System.Globalization;
using System.Text.Json;
using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// Reads back a determination this app stored (written by Core's <see cref="DeterminationJson"/>),
/// so the page and the documents show the determination as it was made, even after the law data
/// changes. Stored data that does not read is a broken invariant, not user input: it throws.
/// </summary>
internal static class StoredDetermination
{
    /// <exception cref="InvalidDataException">The JSON is not a determination in the contract's shape.</exception>
    public static Determination Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var profile = root.GetProperty("profile");
            return new Determination
            {
                Outcome = Enum<Outcome>(root.GetProperty("outcome")),
                Disclose = Set(root.GetProperty("disclose")),
                Withheld = Set(root.GetProperty("withheld")),
                Citations = Strings(root.GetProperty("citations")),
                Reasons = Strings(root.GetProperty("reasons")),
                Steps = Strings(root.GetProperty("steps")),
                Documents = root.GetProperty("documents").EnumerateArray().Select(Enum<DocumentKind>).ToArray(),
                RespondBy = root.GetProperty("respondBy").ValueKind == JsonValueKind.Null ? null : Date(root.GetProperty("respondBy")),
                Profile = new ProfileRef(
                    profile.GetProperty("jurisdiction").GetString()!,
                    profile.GetProperty("version").GetString()!,
                    Date(profile.GetProperty("reviewedOn")),
                    Enum<Coverage>(profile.GetProperty("coverage"))
                ),
                Warnings = Strings(root.GetProperty("warnings")),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("a stored determination does not read as the contract's JSON", ex);
        }
    }

    private static T Enum<T>(JsonElement e)
        where T : struct, System.Enum =>
        Wire<T>.TryParse(e.GetString(), out var value) ? value : throw new FormatException($"unknown {typeof(T).Name}");

    private static CategorySet Set(JsonElement e)
    {
        var set = CategorySet.Empty;
        foreach (var item in e.EnumerateArray())
        {
            set = Categories.TryParse(item.GetString(), out var c) ? set.With(c) : throw new FormatException("unknown category");
        }
        return set;
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(s => s.GetString()!).ToArray();

    private static DateOnly Date(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
