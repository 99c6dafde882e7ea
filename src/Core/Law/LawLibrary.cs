using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Confide.Core.Requests;

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

    private static ProfileDto ReadProfileDto(byte[] json, string file) => Deserialize<ProfileDto>(json, file);

    private static T Deserialize<T>(byte[] json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions) ?? throw new InvalidDataException($"{file}: empty");
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
        var id = Required(dto.Id, file, "id");
        if (!DateOnly.TryParseExact(dto.ReviewedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reviewed))
        {
            throw new InvalidDataException($"{file}: reviewedOn must be a date YYYY-MM-DD");
        }

        IReadOnlyDictionary<Profession, PrivilegeRule> privilege;
        if (dto.Privilege is null)
        {
            privilege = baseline?.Privilege ?? throw new InvalidDataException($"{file}: privilege is required");
        }
        else
        {
            var gaps = dto.Gaps ?? [];
            var map = new Dictionary<Profession, PrivilegeRule>();
            foreach (var (name, p) in dto.Privilege)
            {
                var profession = ParseEnum<Profession>(name, file, "privilege");
                var notReached = new Dictionary<ProceedingKind, CitedRule>();
                foreach (var gap in gaps.Where(g => g.Professions.Contains(name)))
                {
                    notReached[ParseEnum<ProceedingKind>(gap.Kind, file, "gaps.kind")] = new CitedRule(
                        Required(gap.Citation, file, "gaps.citation"),
                        Required(gap.Summary, file, "gaps.summary")
                    );
                }
                map[profession] = new PrivilegeRule(p.Citation, Required(p.Name, file, $"privilege.{name}.name"), notReached);
            }
            foreach (var gap in gaps)
            {
                foreach (var name in gap.Professions.Where(n => !dto.Privilege.ContainsKey(n)))
                {
                    throw new InvalidDataException($"{file}: gap for '{name}' names a profession without a privilege");
                }
            }
            privilege = map;
        }

        var ethics =
            dto.EthicsCodes?.ToDictionary(kv => ParseEnum<Profession>(kv.Key, file, "ethicsCodes"), kv => Cited(kv.Value, file)!)
            ?? baseline?.EthicsCodes
            ?? throw new InvalidDataException($"{file}: ethicsCodes is required in the baseline");

        return new JurisdictionProfile
        {
            Id = id,
            Name = Required(dto.Name, file, "name"),
            Version = Required(dto.Version, file, "version"),
            ReviewedOn = reviewed,
            Privilege = privilege,
            NoPrivilegeNote = dto.NoPrivilegeNote,
            EthicsCodes = ethics,
            PatientLitigant = Cited(dto.Exceptions?.PatientLitigant, file),
            DangerousPatient = Cited(dto.Exceptions?.DangerousPatient, file),
            ChildVictim = Cited(dto.Exceptions?.ChildVictim, file),
            Custody = Cited(dto.Exceptions?.Custody, file),
            SubpoenaNeedsOrder = Cited(dto.SubpoenaNeedsOrder, file),
            Access =
                dto.Access is { } a
                    ? new AccessRule(
                        a.DeadlineDays is > 0 and <= 60 ? a.DeadlineDays : throw new InvalidDataException($"{file}: access.deadlineDays must be 1..60"),
                        Required(a.Citation, file, "access.citation"),
                        Required(a.Summary, file, "access.summary")
                    )
                    : baseline?.Access ?? throw new InvalidDataException($"{file}: access is required in the baseline"),
            Reporting =
                dto.Reporting is { } r
                    ? new ReportingRule(r.Citation, Required(r.Agency, file, "reporting.agency"), Required(r.Deadline, file, "reporting.deadline"))
                    : baseline?.Reporting ?? throw new InvalidDataException($"{file}: reporting is required in the baseline"),
            DutyToProtect =
                dto.DutyToProtect is { } d
                    ? new DutyToProtectRule(
                        ParseEnum<DutyKind>(d.Duty, file, "dutyToProtect.duty"),
                        d.Citation,
                        Required(d.Summary, file, "dutyToProtect.summary")
                    )
                    : baseline?.DutyToProtect ?? throw new InvalidDataException($"{file}: dutyToProtect is required in the baseline"),
        };
    }

    private static CitedRule? Cited(CitedDto? dto, string file) =>
        dto is null ? null : new CitedRule(Required(dto.Citation, file, "citation"), Required(dto.Summary, file, "summary"));

    private static T ParseEnum<T>(string? name, string file, string field)
        where T : struct, Enum =>
        Wire<T>.TryParse(name, out var value)
            ? value
            : throw new InvalidDataException($"{file}: {field}: '{name}' is not one of {Wire<T>.Expected}");

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

    private sealed record PrivilegeDto(string? Citation, string? Name);

    private sealed record GapDto(string[] Professions, string? Kind, string? Citation, string? Summary);

    private sealed record CitedDto(string? Citation, string? Summary);

    private sealed record ExceptionsDto(CitedDto? PatientLitigant, CitedDto? DangerousPatient, CitedDto? ChildVictim, CitedDto? Custody);

    private sealed record AccessDto(int DeadlineDays, string? Citation, string? Summary);

    private sealed record ReportingDto(string? Citation, string? Agency, string? Deadline);

    private sealed record DutyDto(string? Duty, string? Citation, string? Summary);

    private sealed record ProfileDto(
        string? Id,
        string? Name,
        string? Version,
        string? ReviewedOn,
        Dictionary<string, PrivilegeDto>? Privilege,
        List<GapDto>? Gaps,
        string? NoPrivilegeNote,
        Dictionary<string, CitedDto>? EthicsCodes,
        ExceptionsDto? Exceptions,
        CitedDto? SubpoenaNeedsOrder,
        AccessDto? Access,
        ReportingDto? Reporting,
        DutyDto? DutyToProtect
    );
#pragma warning restore CA1812
}
