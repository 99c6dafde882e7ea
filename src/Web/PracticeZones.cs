namespace Confide.Web;

/// <summary>The time zones a practice can choose, and the default for each state.</summary>
public static class PracticeZones
{
    /// <summary>The zones offered at setup: the US zones, by IANA id, with the names people use.</summary>
    public static IReadOnlyList<(string Id, string Label)> Offered { get; } =
    [
        ("America/New_York", "Eastern (New York)"),
        ("America/Chicago", "Central (Chicago)"),
        ("America/Denver", "Mountain (Denver)"),
        ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
        ("America/Los_Angeles", "Pacific (Los Angeles)"),
        ("America/Anchorage", "Alaska (Anchorage)"),
        ("Pacific/Honolulu", "Hawaii (Honolulu)"),
        ("America/Boise", "Mountain (Boise)"),
        ("America/Indiana/Indianapolis", "Eastern (Indianapolis)"),
        ("America/Detroit", "Eastern (Detroit)"),
        ("UTC", "UTC"),
    ];

    // The zone where most of each state's people live; a practice in the state's other zone picks it.
    private static readonly Dictionary<string, string> ByState = new(StringComparer.Ordinal)
    {
        ["AK"] = "America/Anchorage", ["AL"] = "America/Chicago", ["AR"] = "America/Chicago", ["AZ"] = "America/Phoenix",
        ["CA"] = "America/Los_Angeles", ["CO"] = "America/Denver", ["CT"] = "America/New_York", ["DC"] = "America/New_York",
        ["DE"] = "America/New_York", ["FL"] = "America/New_York", ["GA"] = "America/New_York", ["HI"] = "Pacific/Honolulu",
        ["IA"] = "America/Chicago", ["ID"] = "America/Boise", ["IL"] = "America/Chicago", ["IN"] = "America/Indiana/Indianapolis",
        ["KS"] = "America/Chicago", ["KY"] = "America/New_York", ["LA"] = "America/Chicago", ["MA"] = "America/New_York",
        ["MD"] = "America/New_York", ["ME"] = "America/New_York", ["MI"] = "America/Detroit", ["MN"] = "America/Chicago",
        ["MO"] = "America/Chicago", ["MS"] = "America/Chicago", ["MT"] = "America/Denver", ["NC"] = "America/New_York",
        ["ND"] = "America/Chicago", ["NE"] = "America/Chicago", ["NH"] = "America/New_York", ["NJ"] = "America/New_York",
        ["NM"] = "America/Denver", ["NV"] = "America/Los_Angeles", ["NY"] = "America/New_York", ["OH"] = "America/New_York",
        ["OK"] = "America/Chicago", ["OR"] = "America/Los_Angeles", ["PA"] = "America/New_York", ["RI"] = "America/New_York",
        ["SC"] = "America/New_York", ["SD"] = "America/Chicago", ["TN"] = "America/Chicago", ["TX"] = "America/Chicago",
        ["UT"] = "America/Denver", ["VA"] = "America/New_York", ["VT"] = "America/New_York", ["WA"] = "America/Los_Angeles",
        ["WI"] = "America/Chicago", ["WV"] = "America/New_York", ["WY"] = "America/Denver",
    };

    /// <summary>The default zone for a jurisdiction such as <c>US-CA</c>.</summary>
    public static string DefaultFor(string jurisdiction) =>
        jurisdiction is { Length: 5 } && ByState.TryGetValue(jurisdiction[3..], out var zone) ? zone : "America/New_York";

    /// <summary>An instant as the practice's wall-clock time with its offset: <c>June 15, 2026 05:00 (UTC-07:00)</c>.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return Core.Vocabulary.Time(local.DateTime) + $" (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    public static bool IsOffered(string? id) => Offered.Any(z => z.Id == id);
}
