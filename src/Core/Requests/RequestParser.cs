using System.Globalization;
using System.Text.Json;

namespace Confide.Core.Requests;

/// <summary>One problem found in a request document: the JSON path and what was expected.</summary>
/// <param name="Path">A JSON path such as <c>$.clinician.profession</c> or <c>$.requested[1]</c>.</param>
/// <param name="Message">What was expected, e.g. <c>expected one of psychologist, ...</c>.</param>
public sealed record RequestError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The result of parsing a request: the request, or the problems found. Never both.</summary>
public sealed class ParseResult
{
    private ParseResult(TriageRequest? request, IReadOnlyList<RequestError> errors)
    {
        Request = request;
        Errors = errors;
    }

    /// <summary>The request, when <see cref="Success"/>.</summary>
    public TriageRequest? Request { get; }

    /// <summary>The problems, in document order; empty when <see cref="Success"/>.</summary>
    public IReadOnlyList<RequestError> Errors { get; }

    /// <summary>True when the document is a valid request.</summary>
    public bool Success => Request is not null;

    internal static ParseResult Ok(TriageRequest request) => new(request, []);

    internal static ParseResult Fail(IReadOnlyList<RequestError> errors) => new(null, errors);
}

/// <summary>
/// Reads a request document strictly as <c>spec/triage.md</c> defines it: exact camelCase names,
/// no unknown or duplicate properties, no <c>null</c> for a scalar, distinct categories, and the
/// cross-field rules (a subpoena needs a proceeding, an order goes only with a court order, ...).
/// Every problem found is reported with its JSON path; the parser never throws on bad input.
/// </summary>
public static class RequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    private static readonly string[] RootProps =
    [
        "jurisdiction", "receivedOn", "respondBy", "requester", "instrument", "requested", "inTherapy",
        "proceeding", "order", "clinician", "client", "authorization", "concerns", "details",
        "purpose", "accessKind", "sudRecordsArePart2", "part2Program", "notesArePersonalNotes", "subpoenaKind",
        "therapyFormat", "participants", "representative",
    ];

    private static readonly string[] ProceedingProps = ["forum", "kind", "ruleOfDecision", "mentalConditionAtIssue"];
    private static readonly string[] OrderProps = ["signedByJudge", "statesPurpose", "bestInterestsFinding", "categories", "part2", "waiverFinding"];
    private static readonly string[] ClinicianProps = ["profession", "licensed", "licenseStatus", "believedLicensed"];

    private static readonly string[] ClientProps =
    [
        "wantsDisclosure", "age", "emancipated", "minorConsentedAlone", "parentAgreedConfidentiality", "objectsToParentAccess",
        "deceased", "diedOn",
    ];

    private static readonly string[] ParticipantProps = ["competent", "authorized", "declined"];

    private static readonly string[] RepresentativeProps =
    [
        "appointmentDocumented", "decisionAuthority", "accessRestrictedByOrder", "currentAuthority", "litigating",
    ];

    private static readonly string[] AuthorizationProps =
    [
        "signed", "recipientCovered", "purposeCovered", "categories", "separatePsychotherapyNotesAuthorization",
        "part2Consent", "expiresOn", "revoked", "clientUnderstandingConfirmed", "signedBy", "minorCoSigned", "part2ForProceeding",
    ];

    private static readonly string[] ConcernsProps =
    [
        "suspectedChildAbuse", "seriousThreat", "suspectedElderAbuse", "adultImpairment", "selfHarm", "representativeEndangers",
        "accessDetrimental",
    ];

    private static readonly string[] DetailsProps =
    [
        "clientName", "clinicianName", "clinicianLicense", "practiceName", "practiceAddress", "requesterName",
        "requesterAddress", "court", "caseNumber", "caseCaption", "reference",
    ];

    /// <summary>Parses UTF-8 JSON (a leading byte-order mark is allowed).</summary>
    public static ParseResult Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber ?? 0;
            var column = CharacterColumn(utf8.Span, line, ex.BytePositionInLine ?? 0);
            return ParseResult.Fail([new RequestError("$", $"invalid JSON at line {line + 1}, column {column}")]);
        }
        using (document)
        {
            try
            {
                return new Reader().ReadRoot(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to transcode a string holding invalid UTF-8 or an
                // unpaired surrogate escape; that is bad input, not a failure of ours.
                return ParseResult.Fail([new RequestError("$", "invalid JSON text: a string holds invalid UTF-8 or an unpaired \\u surrogate escape")]);
            }
        }
    }

    /// <summary>The 1-based column, in characters rather than bytes, of a byte offset on a 0-based line.</summary>
    private static long CharacterColumn(ReadOnlySpan<byte> utf8, long line, long bytePosition)
    {
        var start = 0;
        for (var i = 0L; i < line; i++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return bytePosition + 1;
            }
            start += next + 1;
        }
        var length = (int)Math.Min(bytePosition, utf8.Length - start);
        return System.Text.Encoding.UTF8.GetCharCount(utf8.Slice(start, length)) + 1;
    }

    /// <summary>Parses a JSON string.</summary>
    public static ParseResult Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    private sealed class Reader
    {
        private readonly List<RequestError> _errors = [];

        public ParseResult ReadRoot(JsonElement root)
        {
            var props = Properties(root, "$", RootProps);
            if (props is null)
            {
                return ParseResult.Fail(_errors);
            }

            var jurisdiction = Jurisdiction(props, "$");
            var instrument = Enum<Instrument>(props, "instrument", "$", required: true);
            var requester = Enum<Requester>(props, "requester", "$", required: false);
            var requested = Cats(props, "requested", "$", nonEmpty: true);
            var receivedOn = Date(props, "receivedOn", "$");
            var respondBy = Date(props, "respondBy", "$");
            var inTherapy = Bool(props, "inTherapy", "$", defaultValue: true);
            var proceeding = Object(props, "proceeding", "$", ProceedingProps, ReadProceeding);
            var order = Object(props, "order", "$", OrderProps, ReadOrder);
            var clinician = Object(props, "clinician", "$", ClinicianProps, ReadClinician);
            var client = Object(props, "client", "$", ClientProps, ReadClient);
            var authorization = Object(props, "authorization", "$", AuthorizationProps, ReadAuthorization);
            var concerns = Object(props, "concerns", "$", ConcernsProps, ReadConcerns);
            var details = Object(props, "details", "$", DetailsProps, ReadDetails);
            var purpose = Enum<Purpose>(props, "purpose", "$", required: false) ?? Purpose.Other;
            var accessKind = Enum<AccessKind>(props, "accessKind", "$", required: false) ?? AccessKind.Copy;
            bool? sudArePart2 = props.ContainsKey("sudRecordsArePart2") ? Bool(props, "sudRecordsArePart2", "$", defaultValue: true) : null;
            var part2Program = Bool(props, "part2Program", "$");
            var personalNotes = Bool(props, "notesArePersonalNotes", "$", defaultValue: true);
            var subpoenaKind = Enum<SubpoenaKind>(props, "subpoenaKind", "$", required: false);
            var therapyFormat = Enum<TherapyFormat>(props, "therapyFormat", "$", required: false) ?? TherapyFormat.Individual;
            var participants = Participants(props, "$");
            var representative = Object(props, "representative", "$", RepresentativeProps, ReadRepresentative);

            if (!props.ContainsKey("clinician"))
            {
                Error("$.clinician", "required property missing");
            }
            else if (props["clinician"].ValueKind == JsonValueKind.Null)
            {
                Error("$.clinician", "expected an object, got null");
            }

            if (instrument is { } inst)
            {
                var isReport = inst == Instrument.Report;
                if (!isReport && !props.ContainsKey("requester"))
                {
                    Error("$.requester", $"required unless instrument is report; expected one of {Wire<Requester>.Expected}");
                }
                if (!isReport && !props.ContainsKey("requested"))
                {
                    Error("$.requested", "required unless instrument is report; expected a non-empty array of categories");
                }
                var needsProceeding = inst is Instrument.Subpoena or Instrument.CourtOrder or Instrument.VerbalOrder;
                if (needsProceeding && IsAbsentOrNull(props, "proceeding"))
                {
                    Error("$.proceeding", $"required when instrument is {Wire<Instrument>.Name(inst)}; expected an object");
                }
                if (inst == Instrument.CourtOrder && IsAbsentOrNull(props, "order"))
                {
                    Error("$.order", "required when instrument is court-order; expected an object");
                }
                if (inst != Instrument.CourtOrder && !IsAbsentOrNull(props, "order"))
                {
                    Error("$.order", $"allowed only when instrument is court-order (instrument is {Wire<Instrument>.Name(inst)})");
                }
            }

            CrossCheckV2(props, instrument, requester, therapyFormat, participants, client, authorization);

            if (_errors.Count > 0 || jurisdiction is null || instrument is null || clinician is null)
            {
                return ParseResult.Fail(_errors);
            }

            return ParseResult.Ok(
                new TriageRequest
                {
                    Jurisdiction = jurisdiction,
                    ReceivedOn = receivedOn,
                    RespondBy = respondBy,
                    Requester = requester,
                    Instrument = instrument.Value,
                    Requested = requested,
                    InTherapy = inTherapy,
                    Proceeding = proceeding,
                    Order = order,
                    Clinician = clinician,
                    Client = client,
                    Authorization = authorization,
                    Concerns = concerns,
                    Details = details,
                    Purpose = purpose,
                    AccessKind = accessKind,
                    SudRecordsArePart2 = sudArePart2,
                    Part2Program = part2Program,
                    NotesArePersonalNotes = personalNotes,
                    SubpoenaKind = subpoenaKind ?? SubpoenaKind.Records,
                    TherapyFormat = therapyFormat,
                    Participants = participants is null ? ValueList<Participant>.Empty : new ValueList<Participant>(participants),
                    Representative = representative,
                }
            );
        }

        /// <summary>The version-2 cross-field rules of the contract.</summary>
        private void CrossCheckV2(
            Dictionary<string, JsonElement> props,
            Instrument? instrument,
            Requester? requester,
            TherapyFormat format,
            IReadOnlyList<Participant>? participants,
            ClientInfo? client,
            Authorization? authorization
        )
        {
            if (props.ContainsKey("subpoenaKind") && instrument is { } inst && inst != Instrument.Subpoena)
            {
                Error("$.subpoenaKind", $"allowed only when instrument is subpoena (instrument is {Wire<Instrument>.Name(inst)})");
            }
            if (format == TherapyFormat.Individual && participants is not null)
            {
                Error("$.participants", "allowed only when therapyFormat is couple, family or group (therapyFormat is individual)");
            }
            if (format != TherapyFormat.Individual && participants is null && !HasError("$.participants"))
            {
                Error("$.participants", $"required when therapyFormat is {Wire<TherapyFormat>.Name(format)}; expected a non-empty array of participants");
            }
            var representing = requester is Requester.Parent or Requester.Guardian or Requester.PersonalRepresentative or Requester.ChildRepresentative;
            if (!IsAbsentOrNull(props, "representative") && !representing)
            {
                var who = requester is { } q ? Wire<Requester>.Name(q) : "absent";
                Error("$.representative", $"allowed only when requester is parent, guardian, personal-representative or child-representative (requester is {who})");
            }
            var ageNeeded =
                requester is Requester.Parent or Requester.ChildRepresentative
                || authorization?.SignedBy is Signer.Parent or Signer.Guardian;
            if (ageNeeded && client?.Age is null && !HasError("$.client.age"))
            {
                var because = requester is Requester.Parent or Requester.ChildRepresentative
                    ? $"requester is {Wire<Requester>.Name(requester.Value)}"
                    : $"authorization.signedBy is {Wire<Signer>.Name(authorization!.SignedBy)}";
                Error("$.client.age", $"required when {because}; expected an integer from 0 to 130");
            }
            if (client is { Deceased: true } && requester == Requester.Client)
            {
                Error("$.client.deceased", "a deceased client cannot be the requester; expected requester personal-representative or family");
            }
        }

        private bool HasError(string path) => _errors.Exists(e => e.Path == path);

        private ClientInfo ReadClient(Dictionary<string, JsonElement> p, string path)
        {
            var deceased = Bool(p, "deceased", path);
            var diedOn = Date(p, "diedOn", path, nullable: true);
            if (!deceased && p.TryGetValue("diedOn", out var died) && died.ValueKind != JsonValueKind.Null)
            {
                Error($"{path}.diedOn", "allowed only when deceased is true");
            }
            return new ClientInfo(
                Bool(p, "wantsDisclosure", path),
                Age(p, path),
                Bool(p, "emancipated", path),
                Bool(p, "minorConsentedAlone", path),
                Bool(p, "parentAgreedConfidentiality", path),
                Bool(p, "objectsToParentAccess", path),
                deceased,
                diedOn
            );
        }

        private int? Age(Dictionary<string, JsonElement> p, string path)
        {
            if (!p.TryGetValue("age", out var e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var age) && age is >= 0 and <= 130)
            {
                return age;
            }
            var got = e.ValueKind == JsonValueKind.Number ? e.GetRawText() : Describe(e.ValueKind);
            Error($"{path}.age", $"expected an integer from 0 to 130 or null, got {Truncate(got)}");
            return null;
        }

        private Concerns ReadConcerns(Dictionary<string, JsonElement> p, string path) =>
            new(
                Bool(p, "suspectedChildAbuse", path),
                Bool(p, "seriousThreat", path),
                Bool(p, "suspectedElderAbuse", path),
                Enum<AdultImpairment>(p, "adultImpairment", path, required: false),
                Bool(p, "selfHarm", path),
                Bool(p, "representativeEndangers", path),
                Bool(p, "accessDetrimental", path)
            );

        private Representative ReadRepresentative(Dictionary<string, JsonElement> p, string path) =>
            new(
                Bool(p, "appointmentDocumented", path),
                Bool(p, "decisionAuthority", path, defaultValue: true),
                Bool(p, "accessRestrictedByOrder", path),
                Bool(p, "currentAuthority", path),
                Bool(p, "litigating", path)
            );

        private List<Participant>? Participants(Dictionary<string, JsonElement> props, string path)
        {
            var childPath = $"{path}.participants";
            if (!props.TryGetValue("participants", out var e))
            {
                return null;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                Error(childPath, $"expected a non-empty array of participants, got {Describe(e.ValueKind)}");
                return null;
            }
            var list = new List<Participant>();
            var index = 0;
            foreach (var item in e.EnumerateArray())
            {
                var itemPath = $"{childPath}[{index}]";
                var p = Properties(item, itemPath, ParticipantProps);
                if (p is not null)
                {
                    list.Add(new Participant(Bool(p, "competent", itemPath, defaultValue: true), Bool(p, "authorized", itemPath), Bool(p, "declined", itemPath)));
                }
                index++;
            }
            if (index == 0)
            {
                Error(childPath, "expected a non-empty array of participants");
            }
            return list;
        }

        private Proceeding? ReadProceeding(Dictionary<string, JsonElement> p, string path)
        {
            var forum = Enum<Forum>(p, "forum", path, required: true);
            var kind = Enum<ProceedingKind>(p, "kind", path, required: true);
            var rule = Enum<RuleOfDecision>(p, "ruleOfDecision", path, required: false) ?? RuleOfDecision.Federal;
            var atIssue = Bool(p, "mentalConditionAtIssue", path);
            if (rule == RuleOfDecision.State && kind is { } k && k != ProceedingKind.Civil)
            {
                Error($"{path}.ruleOfDecision", $"expected federal: a state rule of decision applies only with kind civil (kind is {Wire<ProceedingKind>.Name(k)})");
            }
            return forum is null || kind is null ? null : new Proceeding(forum.Value, kind.Value, rule, atIssue);
        }

        private CourtOrder ReadOrder(Dictionary<string, JsonElement> p, string path) =>
            new(
                Bool(p, "signedByJudge", path),
                Bool(p, "statesPurpose", path),
                Bool(p, "bestInterestsFinding", path),
                Cats(p, "categories", path, nonEmpty: false),
                Bool(p, "part2", path),
                Bool(p, "waiverFinding", path)
            );

        private Clinician? ReadClinician(Dictionary<string, JsonElement> p, string path)
        {
            var profession = Enum<Profession>(p, "profession", path, required: true);
            var licensed = Bool(p, "licensed", path, defaultValue: true);
            var status = Enum<LicenseStatus>(p, "licenseStatus", path, required: false);
            var believed = Bool(p, "believedLicensed", path);
            if (status is { } given && p.TryGetValue("licensed", out var flag))
            {
                if (flag.ValueKind == JsonValueKind.True && given != LicenseStatus.Licensed)
                {
                    Error($"{path}.licenseStatus", $"expected licensed when licensed is true (licenseStatus is {Wire<LicenseStatus>.Name(given)})");
                }
                else if (flag.ValueKind == JsonValueKind.False && given == LicenseStatus.Licensed)
                {
                    Error($"{path}.licenseStatus", "expected associate or unlicensed when licensed is false");
                }
            }
            var isLicensed = status is { } s ? s == LicenseStatus.Licensed : licensed;
            return profession is null ? null : new Clinician(profession.Value, isLicensed, status, believed);
        }

        private Authorization ReadAuthorization(Dictionary<string, JsonElement> p, string path) =>
            new(
                Bool(p, "signed", path),
                Bool(p, "recipientCovered", path),
                Bool(p, "purposeCovered", path),
                Cats(p, "categories", path, nonEmpty: false),
                Bool(p, "separatePsychotherapyNotesAuthorization", path),
                Bool(p, "part2Consent", path),
                Date(p, "expiresOn", path, nullable: true),
                Bool(p, "revoked", path),
                Bool(p, "clientUnderstandingConfirmed", path),
                Enum<Signer>(p, "signedBy", path, required: false) ?? Signer.Client,
                Bool(p, "minorCoSigned", path),
                Bool(p, "part2ForProceeding", path)
            );

        private RequestDetails ReadDetails(Dictionary<string, JsonElement> p, string path) =>
            new()
            {
                ClientName = Str(p, "clientName", path),
                ClinicianName = Str(p, "clinicianName", path),
                ClinicianLicense = Str(p, "clinicianLicense", path),
                PracticeName = Str(p, "practiceName", path),
                PracticeAddress = Str(p, "practiceAddress", path),
                RequesterName = Str(p, "requesterName", path),
                RequesterAddress = Str(p, "requesterAddress", path),
                Court = Str(p, "court", path),
                CaseNumber = Str(p, "caseNumber", path),
                CaseCaption = Str(p, "caseCaption", path),
                Reference = Str(p, "reference", path),
            };

        private static bool IsAbsentOrNull(Dictionary<string, JsonElement> props, string name) =>
            !props.TryGetValue(name, out var e) || e.ValueKind == JsonValueKind.Null;

        private void Error(string path, string message) => _errors.Add(new RequestError(path, message));

        private static string Describe(JsonValueKind kind) =>
            kind switch
            {
                JsonValueKind.Null => "null",
                JsonValueKind.True or JsonValueKind.False => "a boolean",
                JsonValueKind.Number => "a number",
                JsonValueKind.String => "a string",
                JsonValueKind.Array => "an array",
                JsonValueKind.Object => "an object",
                JsonValueKind.Undefined => "nothing",
                _ => "nothing",
            };

        /// <summary>Collects an object's properties, reporting unknown and duplicate names.</summary>
        private Dictionary<string, JsonElement>? Properties(JsonElement element, string path, string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"expected an object, got {Describe(element.ValueKind)}");
                return null;
            }
            var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var name = property.Name;
                var childPath = $"{path}.{name}";
                if (Array.IndexOf(allowed, name) < 0)
                {
                    Error(childPath, "unknown property");
                }
                else if (!result.TryAdd(name, property.Value))
                {
                    Error(childPath, "duplicate property");
                }
            }
            return result;
        }

        private T? Object<T>(
            Dictionary<string, JsonElement> props,
            string name,
            string path,
            string[] allowed,
            Func<Dictionary<string, JsonElement>, string, T?> read
        )
            where T : class
        {
            if (!props.TryGetValue(name, out var e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            var childPath = $"{path}.{name}";
            var inner = Properties(e, childPath, allowed);
            return inner is null ? null : read(inner, childPath);
        }

        private string? Jurisdiction(Dictionary<string, JsonElement> props, string path)
        {
            const string Expected = "expected US- and a state's two-letter code or DC, e.g. US-CA";
            if (!props.TryGetValue("jurisdiction", out var e))
            {
                Error($"{path}.jurisdiction", $"required property missing; {Expected}");
                return null;
            }
            if (e.ValueKind != JsonValueKind.String)
            {
                Error($"{path}.jurisdiction", $"{Expected}, got {Describe(e.ValueKind)}");
                return null;
            }
            var value = e.GetString()!;
            if (!Jurisdictions.IsValid(value))
            {
                Error($"{path}.jurisdiction", Expected);
                return null;
            }
            return value;
        }

        private TEnum? Enum<TEnum>(Dictionary<string, JsonElement> props, string name, string path, bool required)
            where TEnum : struct, System.Enum
        {
            var childPath = $"{path}.{name}";
            if (!props.TryGetValue(name, out var e))
            {
                if (required)
                {
                    Error(childPath, $"required property missing; expected one of {Wire<TEnum>.Expected}");
                }
                return null;
            }
            if (e.ValueKind == JsonValueKind.String && Wire<TEnum>.TryParse(e.GetString(), out var value))
            {
                return value;
            }
            Error(childPath, $"expected one of {Wire<TEnum>.Expected}");
            return null;
        }

        private bool Bool(Dictionary<string, JsonElement> props, string name, string path, bool defaultValue = false)
        {
            if (!props.TryGetValue(name, out var e))
            {
                return defaultValue;
            }
            switch (e.ValueKind)
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    Error($"{path}.{name}", $"expected true or false, got {Describe(e.ValueKind)}");
                    return defaultValue;
            }
        }

        private DateOnly? Date(Dictionary<string, JsonElement> props, string name, string path, bool nullable = false)
        {
            if (!props.TryGetValue(name, out var e) || (nullable && e.ValueKind == JsonValueKind.Null))
            {
                return null;
            }
            if (
                e.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(e.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            )
            {
                return date;
            }
            var got = e.ValueKind == JsonValueKind.String ? $"\"{Truncate(e.GetString()!)}\"" : Describe(e.ValueKind);
            Error($"{path}.{name}", $"expected a date YYYY-MM-DD{(nullable ? " or null" : "")}, got {got}");
            return null;
        }

        private string? Str(Dictionary<string, JsonElement> props, string name, string path)
        {
            if (!props.TryGetValue(name, out var e))
            {
                return null;
            }
            if (e.ValueKind == JsonValueKind.String)
            {
                return e.GetString();
            }
            Error($"{path}.{name}", $"expected a string, got {Describe(e.ValueKind)}");
            return null;
        }

        private CategorySet Cats(Dictionary<string, JsonElement> props, string name, string path, bool nonEmpty)
        {
            var childPath = $"{path}.{name}";
            if (!props.TryGetValue(name, out var e))
            {
                return CategorySet.Empty;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                Error(childPath, $"expected an array of categories, got {Describe(e.ValueKind)}");
                return CategorySet.Empty;
            }
            var set = CategorySet.Empty;
            var index = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && Categories.TryParse(item.GetString(), out var category))
                {
                    if (set.Contains(category))
                    {
                        Error($"{childPath}[{index}]", $"duplicate category {Categories.Name(category)}; categories must be distinct");
                    }
                    set = set.With(category);
                }
                else
                {
                    Error($"{childPath}[{index}]", $"expected one of {Wire<Category>.Expected}");
                }
                index++;
            }
            if (nonEmpty && index == 0)
            {
                Error(childPath, "expected a non-empty array of categories");
            }
            return set;
        }

        private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
    }
}
