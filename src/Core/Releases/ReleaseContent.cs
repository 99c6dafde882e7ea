using System.Text.Json;
using Confide.Core.Disclosure;
using Confide.Core.Requests;

namespace Confide.Core.Releases;

/// <summary>
/// The kind of a client's release. Psychotherapy notes (45 CFR 164.508(a)(2), (b)(3)(ii)) and
/// substance-use-disorder records (42 CFR 2.31) each need a release of their own, never combined
/// with a release of anything else.
/// </summary>
public enum ReleaseKind
{
    /// <summary>A release of the designated record set (45 C.F.R. § 164.508(c)).</summary>
    General,

    /// <summary>A release of psychotherapy notes alone (45 C.F.R. § 164.508(a)(2)).</summary>
    PsychotherapyNotes,

    /// <summary>A 42 C.F.R. Part 2 consent.</summary>
    Sud,
}

/// <summary>
/// What a release is for. <see cref="AtClientRequest"/> is the statement 45 CFR 164.508(c)(1)(iv)
/// allows when the client starts the release themselves; it covers any purpose.
/// </summary>
public enum ReleasePurpose
{
    /// <summary>At the client's request.</summary>
    AtClientRequest,

    /// <summary>For a legal proceeding.</summary>
    LegalProceeding,

    /// <summary>For the recipient's treatment of the client.</summary>
    Treatment,

    /// <summary>For payment.</summary>
    Payment,

    /// <summary>Another purpose, in the release's own words.</summary>
    Other,
}

/// <summary>
/// A release as drafted: everything its text is made from. Names and free text here are client
/// content (the data layer encrypts them); the kind, categories and dates are what queries need.
/// </summary>
public sealed record ReleaseContent
{
    /// <summary>Which kind of release: general, psychotherapy notes, or Part 2 consent.</summary>
    public required ReleaseKind Kind { get; init; }

    /// <summary>The client's name, as the release names them.</summary>
    public string? ClientName { get; init; }

    /// <summary>Who may disclose: the clinician and practice (164.508(c)(1)(ii), 2.31(a)(2)).</summary>
    public string? DiscloserName { get; init; }

    /// <summary>Where a written revocation goes (the practice's address).</summary>
    public string? PracticeAddress { get; init; }

    /// <summary>The recipient: a person or an organization, by name.</summary>
    public string? RecipientName { get; init; }

    /// <summary>The recipient's address, when the release gives one.</summary>
    public string? RecipientAddress { get; init; }

    /// <summary>What the disclosure is for (164.508(c)(1)(iv), 2.31(a)(6)); null while the draft does not say.</summary>
    public ReleasePurpose? Purpose { get; init; }

    /// <summary>The purpose in the client's words (required unless the purpose is the client's own request).</summary>
    public string? PurposeDescription { get; init; }

    /// <summary>The record categories released.</summary>
    public CategorySet Categories { get; init; }

    /// <summary>Only records dated within this range, when given.</summary>
    public DateRange? Records { get; init; }

    /// <summary>Valid through this day.</summary>
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>Or until this event (e.g. "the end of the lawsuit named above").</summary>
    public string? ExpiryEvent { get; init; }

    /// <summary>For SUD records: how much and what kind of information (42 CFR 2.31(a)(3)).</summary>
    public string? InformationDescription { get; init; }

    /// <summary>The categories a release of <paramref name="kind"/> may hold.</summary>
    public static CategorySet Allowed(ReleaseKind kind) =>
        kind switch
        {
            ReleaseKind.PsychotherapyNotes => CategorySet.Of(Category.PsychotherapyNotes),
            ReleaseKind.Sud => CategorySet.Of(Category.SudRecords),
            _ => CategorySet.Of([.. Requests.Categories.All]).Without(Category.PsychotherapyNotes).Without(Category.SudRecords),
        };

    /// <summary>The release's text fields and facts as JSON (what the data layer encrypts).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", Wire<ReleaseKind>.Name(Kind));
            Str(w, "clientName", ClientName);
            Str(w, "discloserName", DiscloserName);
            Str(w, "practiceAddress", PracticeAddress);
            Str(w, "recipientName", RecipientName);
            Str(w, "recipientAddress", RecipientAddress);
            Str(w, "purpose", Purpose is { } p ? Wire<ReleasePurpose>.Name(p) : null);
            Str(w, "purposeDescription", PurposeDescription);
            w.WriteStartArray("categories");
            foreach (var c in Categories.ToArray())
            {
                w.WriteStringValue(Requests.Categories.Name(c));
            }
            w.WriteEndArray();
            Str(w, "recordsFrom", Records?.From?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            Str(w, "recordsThrough", Records?.Through?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            Str(w, "expiresOn", ExpiresOn?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            Str(w, "expiryEvent", ExpiryEvent);
            Str(w, "informationDescription", InformationDescription);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="InvalidDataException">Not a release written by <see cref="ToJson"/>.</exception>
    public static ReleaseContent FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        DateOnly? D(string name) => S(name) is { } s ? DateOnly.ParseExact(s, "O", System.Globalization.CultureInfo.InvariantCulture) : null;
        if (!Wire<ReleaseKind>.TryParse(S("kind"), out var kind))
        {
            throw new InvalidDataException("stored release: unknown kind");
        }
        var categories = CategorySet.Empty;
        foreach (var c in root.GetProperty("categories").EnumerateArray())
        {
            categories = Requests.Categories.TryParse(c.GetString(), out var cat) ? categories.With(cat) : throw new InvalidDataException("stored release: unknown category");
        }
        ReleasePurpose? purpose = Wire<ReleasePurpose>.TryParse(S("purpose"), out var p) ? p : null;
        var from = D("recordsFrom");
        var through = D("recordsThrough");
        return new ReleaseContent
        {
            Kind = kind,
            ClientName = S("clientName"),
            DiscloserName = S("discloserName"),
            PracticeAddress = S("practiceAddress"),
            RecipientName = S("recipientName"),
            RecipientAddress = S("recipientAddress"),
            Purpose = purpose,
            PurposeDescription = S("purposeDescription"),
            Categories = categories,
            Records = from is null && through is null ? null : new DateRange(from, through),
            ExpiresOn = D("expiresOn"),
            ExpiryEvent = S("expiryEvent"),
            InformationDescription = S("informationDescription"),
        };
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            w.WriteString(name, value.Trim());
        }
    }
}

/// <summary>Plain words for releases, shared by the pages, the portal and the documents.</summary>
public static class ReleaseWords
{
    /// <summary>The kind of release in words, e.g. "general release".</summary>
    public static string Kind(ReleaseKind kind) =>
        kind switch
        {
            ReleaseKind.PsychotherapyNotes => "psychotherapy notes release",
            ReleaseKind.Sud => "substance use disorder (SUD) records consent",
            _ => "general release",
        };

    /// <summary>The purpose in words, e.g. "for payment (insurance)".</summary>
    public static string Purpose(ReleasePurpose purpose) =>
        purpose switch
        {
            ReleasePurpose.AtClientRequest => "at the client's own request",
            ReleasePurpose.LegalProceeding => "for use in a legal proceeding",
            ReleasePurpose.Treatment => "for treatment by another provider",
            ReleasePurpose.Payment => "for payment (insurance)",
            _ => "for another stated purpose",
        };

    /// <summary>"billing records, progress notes and treatment plan" (<see cref="Vocabulary.Phrase"/>).</summary>
    public static string CategoryList(CategorySet categories) => Vocabulary.Phrase(categories, "no records");

    /// <summary>"through June 30, 2027", "until the end of the lawsuit", or both.</summary>
    public static string Until(ReleaseContent release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var date = release.ExpiresOn is { } d ? $"through {Vocabulary.Date(d)}" : null;
        var ev = string.IsNullOrWhiteSpace(release.ExpiryEvent) ? null : $"until {release.ExpiryEvent.Trim()}";
        return (date, ev) switch
        {
            ({ } a, { } b) => $"{a}, or {b} if that comes first",
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => "(no end date given)",
        };
    }
}
