using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Confide.Core.Law;

/// <summary>
/// The jurisdiction profiles and the citation catalog, loaded once from the data files embedded in
/// this assembly (<c>Law/Data</c>) and checked for consistency: every citation id a profile uses
/// is in the catalog. Immutable and thread-safe; load it once and share it.
/// </summary>
public sealed class LawLibrary
{
    /// <summary>The id of the profile used where a state has none of its own.</summary>
    public const string BaselineId = "baseline";

    private const string ResourcePrefix = "Confide.Core.Law.Data.";

    private static readonly Lazy<LawLibrary> EmbeddedLibrary = new(LoadEmbedded);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        Converters = { new JsonStringEnumConverter<VerificationStatusDto>() },
    };

    /// <summary>Profiles: camelCase names, kebab-case enum values (the contract's wire names), V/P/UNVERIFIED statuses, nothing unknown.</summary>
    private static readonly JsonSerializerOptions ProfileOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        Converters = { new StatusConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    private readonly Dictionary<string, JurisdictionProfile> _profiles;
    private readonly Dictionary<string, ProfileRef> _refs = new(StringComparer.Ordinal);

    private LawLibrary(CitationCatalog catalog, JurisdictionProfile baseline, IEnumerable<JurisdictionProfile> states)
    {
        Catalog = catalog;
        Baseline = baseline;
        _profiles = states.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var profile in _profiles.Values.Prepend(baseline))
        {
            foreach (var id in profile.CitationIds())
            {
                if (catalog.Find(id) is null)
                {
                    throw new InvalidDataException($"profile {profile.Id}: citation id '{id}' is not in citations.json");
                }
            }
        }
    }

    /// <summary>The library built from the embedded data files (loaded on first use).</summary>
    public static LawLibrary Embedded => EmbeddedLibrary.Value;

    /// <summary>The citation catalog.</summary>
    public CitationCatalog Catalog { get; }

    /// <summary>The baseline profile: federal law, HIPAA and the ethics codes.</summary>
    public JurisdictionProfile Baseline { get; }

    /// <summary>The state profiles, by jurisdiction code, in ordinal order.</summary>
    public IReadOnlyList<JurisdictionProfile> States => _profiles.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The profile for <paramref name="jurisdiction"/>: its own, or the baseline when it has none,
    /// with the facts a determination reports about it.
    /// </summary>
    public (JurisdictionProfile Profile, ProfileRef Ref) Resolve(string jurisdiction)
    {
        var profile = _profiles.GetValueOrDefault(jurisdiction) ?? Baseline;
        ProfileRef? reference;
        lock (_refs)
        {
            if (!_refs.TryGetValue(jurisdiction, out reference))
            {
                var coverage = ReferenceEquals(profile, Baseline) ? Coverage.Baseline : Coverage.State;
                reference = new ProfileRef(jurisdiction, profile.Version, profile.ReviewedOn, coverage);
                _refs[jurisdiction] = reference;
            }
        }
        return (profile, reference);
    }

    private static LawLibrary LoadEmbedded()
    {
        var assembly = typeof(LawLibrary).Assembly;
        var catalog = ReadCatalog(ReadResource(assembly, "citations.json"), "citations.json");
        var baselineName = $"profiles/{BaselineId}.json";
        var baselineDto = ReadProfileDto(ReadResource(assembly, baselineName), baselineName);
        var baseline = Build(baselineDto, null, baselineName);
        var states = assembly
            .GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix + "profiles/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Where(n => n != baselineName)
            .Select(n => Build(ReadProfileDto(ReadResource(assembly, n), n), baseline, n))
            .ToArray();
        return new LawLibrary(catalog, baseline, states);
    }

    /// <summary>Builds a library from JSON texts (for tests of the data format).</summary>
    internal static LawLibrary FromJson(string citationsJson, string baselineJson, params string[] stateJsons)
    {
        var catalog = ReadCatalog(System.Text.Encoding.UTF8.GetBytes(citationsJson), "citations.json");
        var baseline = Build(ReadProfileDto(System.Text.Encoding.UTF8.GetBytes(baselineJson), "baseline"), null, "baseline");
        var states = stateJsons.Select((j, i) => Build(ReadProfileDto(System.Text.Encoding.UTF8.GetBytes(j), $"state {i}"), baseline, $"state {i}"));
        return new LawLibrary(catalog, baseline, states);
    }

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream =
            assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidDataException($"embedded data file '{name}' is missing");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static CitationCatalog ReadCatalog(byte[] json, string file)
    {
        var dtos = Deserialize<List<CitationDto>>(json, file);
        return new CitationCatalog(
            dtos.Select(d => new Citation(
                Required(d.Id, file, "id"),
                Required(d.Citation, file, $"{d.Id}.citation"),
                Required(d.Summary, file, $"{d.Id}.summary"),
                d.Status switch
                {
                    VerificationStatusDto.V => VerificationStatus.V,
                    VerificationStatusDto.P => VerificationStatus.P,
                    VerificationStatusDto.UNVERIFIED => VerificationStatus.Unverified,
                },
                d.StatusNote ?? "",
                Required(d.Jurisdiction, file, $"{d.Id}.jurisdiction"),
                Required(d.AppliesTo, file, $"{d.Id}.appliesTo")
            ))
        );
    }

    private static T Deserialize<T>(byte[] json, string file, JsonSerializerOptions? options = null)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options ?? JsonOptions) ?? throw new InvalidDataException($"{file}: empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: {ex.Message}", ex);
        }
    }

    private static string Required(string? value, string file, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{file}: {field} is required") : value;

    private static JurisdictionProfile Build(ProfileDto dto, JurisdictionProfile? baseline, string file)
    {
        var p = dto.Profile;
        Required(p.Id, file, "id");
        Required(p.Name, file, "name");
        Required(p.Version, file, "version");
        if (p.ReviewedOn == default)
        {
            throw new InvalidDataException($"{file}: reviewedOn must be a date YYYY-MM-DD");
        }
        if (baseline is null)
        {
            // The baseline answers every fact a state leaves unresearched, so it must hold them all.
            if (p.EthicsCodes.Count == 0 || p.Reporting is null || p.ElderAbuse is null || p.DutyToProtect.Count == 0
                || p.SelfHarm.Count == 0 || p.Minors is null || p.ChildSpeaker is null || p.Access is null || p.Associates is null)
            {
                throw new InvalidDataException($"{file}: the baseline must give ethicsCodes, reporting, elderAbuse, dutyToProtect, selfHarm, minors, childSpeaker, access and associates");
            }
            return p;
        }
        if (p.EthicsCodes.Count > 0)
        {
            throw new InvalidDataException($"{file}: ethicsCodes belong to the baseline only");
        }
        return p with { EthicsCodes = baseline.EthicsCodes };
    }

    private static ProfileDto ReadProfileDto(byte[] json, string file) => new(Deserialize<JurisdictionProfile>(json, file, ProfileOptions));

    /// <summary>Reads a status as the catalog writes it: V, P or UNVERIFIED.</summary>
    private sealed class StatusConverter : JsonConverter<VerificationStatus>
    {
        public override VerificationStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() switch
            {
                "V" => VerificationStatus.V,
                "P" => VerificationStatus.P,
                "UNVERIFIED" => VerificationStatus.Unverified,
                var other => throw new JsonException($"status '{other}' is not one of V, P, UNVERIFIED"),
            };

        public override void Write(Utf8JsonWriter writer, VerificationStatus value, JsonSerializerOptions options) =>
            writer.WriteStringValue(
                value switch
                {
                    VerificationStatus.V => "V",
                    VerificationStatus.P => "P",
                    _ => "UNVERIFIED",
                }
            );
    }

#pragma warning disable CA1812 // instantiated by System.Text.Json
    private enum VerificationStatusDto
    {
        V,
        P,
        UNVERIFIED,
    }

    private sealed record CitationDto(
        string? Id,
        string? Citation,
        string? Summary,
        VerificationStatusDto Status,
        string? StatusNote,
        string? Jurisdiction,
        string? AppliesTo
    );

    private sealed record ProfileDto(JurisdictionProfile Profile);
#pragma warning restore CA1812
}
