namespace Confide.Core.Requests;

/// <summary>The jurisdictions the triage contract accepts: <c>US-</c> and a state's two-letter code, or DC.</summary>
public static class Jurisdictions
{
    private static readonly string[] Codes =
    [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
        "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
        "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
        "WV", "WI", "WY",
    ];

    private static readonly HashSet<string> Valid = new(Codes.Select(c => "US-" + c), StringComparer.Ordinal);

    /// <summary>Every accepted jurisdiction code, in ordinal order (<c>US-AK</c> ... <c>US-WY</c>).</summary>
    public static IReadOnlyList<string> All { get; } = Valid.Order(StringComparer.Ordinal).ToArray();

    /// <summary>True when <paramref name="code"/> is an accepted jurisdiction, e.g. <c>US-CA</c>.</summary>
    public static bool IsValid(string? code) => code is not null && Valid.Contains(code);
}
