using System.Text;
using System.Text.Json.Nodes;
using Confide.Core.Requests;

namespace Confide.Core.Tests;

/// <summary>
/// The request parser's error paths and messages (<c>spec/triage.md</c>, "Request document"):
/// each problem is reported with its JSON path and what was expected, and nothing is accepted that
/// the contract rejects. Most cases edit one valid base document.
/// </summary>
public sealed class RequestParserTests
{
    /// <summary>A valid subpoena; each error case changes it a little.</summary>
    private const string Base = """
        {"jurisdiction":"US-CA","receivedOn":"2026-11-02","respondBy":"2026-11-23","requester":"attorney",
         "instrument":"subpoena","requested":["progress-notes","psychotherapy-notes"],
         "proceeding":{"forum":"state","kind":"civil"},"clinician":{"profession":"psychologist"},
         "authorization":{"signed":true,"categories":["intake"],"expiresOn":null},"details":{"clientName":"Jordan Example"}}
        """;

    private const string RequesterValues = "attorney, court, client, cps, law-enforcement, insurer, employer, family, provider, other, licensing-board, parent, guardian, personal-representative, child-representative";
    private const string InstrumentValues = "subpoena, court-order, verbal-order, letter, report, none";
    private const string CategoryValues =
        "intake, progress-notes, psychotherapy-notes, treatment-plan, test-data, attendance, billing, correspondence, sud-records";
    private const string JurisdictionExpected = "expected US- and a state's two-letter code or DC, e.g. US-CA";

    /// <summary>
    /// The base document with edits applied: <c>path=json</c> sets a property (dotted path, objects
    /// created as needed), <c>-path</c> removes it.
    /// </summary>
    private static string Edit(params string[] edits)
    {
        var root = JsonNode.Parse(Base)!.AsObject();
        foreach (var edit in edits)
        {
            var remove = edit.StartsWith('-');
            var eq = edit.IndexOf('=', StringComparison.Ordinal);
            var path = remove ? edit[1..] : edit[..eq];
            var names = path.Split('.');
            var parent = root;
            foreach (var name in names[..^1])
            {
                if (parent[name] is not JsonObject child)
                {
                    child = [];
                    parent[name] = child;
                }
                parent = child;
            }
            if (remove)
            {
                parent.Remove(names[^1]);
            }
            else
            {
                parent[names[^1]] = JsonNode.Parse(edit[(eq + 1)..]);
            }
        }
        return root.ToJsonString();
    }

    public static TheoryData<string[], string, string> ErrorCases() =>
        new()
        {
            // Unknown properties, at every level.
            { ["authorisation={}"], "$.authorisation", "unknown property" },
            { ["Jurisdiction=\"US-CA\""], "$.Jurisdiction", "unknown property" },
            { ["proceeding.judge=\"Smith\""], "$.proceeding.judge", "unknown property" },
            { ["authorization.expires=\"2026-12-01\""], "$.authorization.expires", "unknown property" },
            { ["details.clientname=\"x\""], "$.details.clientname", "unknown property" },
            { ["details.notes=\"x\""], "$.details.notes", "unknown property" },
            // Details hold strings only.
            { ["details.caseNumber=42"], "$.details.caseNumber", "expected a string, got a number" },
            { ["details.court=null"], "$.details.court", "expected a string, got null" },
            { ["details.reference={}"], "$.details.reference", "expected a string, got an object" },
            { ["details.clientName=true"], "$.details.clientName", "expected a string, got a boolean" },
            // null for a scalar.
            { ["inTherapy=null"], "$.inTherapy", "expected true or false, got null" },
            { ["clinician.licensed=null"], "$.clinician.licensed", "expected true or false, got null" },
            { ["authorization.signed=null"], "$.authorization.signed", "expected true or false, got null" },
            { ["requester=null"], "$.requester", $"expected one of {RequesterValues}" },
            { ["instrument=null"], "$.instrument", $"expected one of {InstrumentValues}" },
            { ["jurisdiction=null"], "$.jurisdiction", $"{JurisdictionExpected}, got null" },
            { ["receivedOn=null"], "$.receivedOn", "expected a date YYYY-MM-DD, got null" },
            { ["requested=null"], "$.requested", "expected an array of categories, got null" },
            // Wrong types.
            { ["clinician.licensed=\"yes\""], "$.clinician.licensed", "expected true or false, got a string" },
            { ["authorization.revoked=0"], "$.authorization.revoked", "expected true or false, got a number" },
            { ["requested=\"intake\""], "$.requested", "expected an array of categories, got a string" },
            { ["proceeding=[]"], "$.proceeding", "expected an object, got an array" },
            { ["clinician=\"psychologist\""], "$.clinician", "expected an object, got a string" },
            { ["jurisdiction=6"], "$.jurisdiction", $"{JurisdictionExpected}, got a number" },
            // Version 2 cross-field rules.
            { ["participants=[{}]"], "$.participants", "allowed only when therapyFormat is couple, family or group (therapyFormat is individual)" },
            { ["therapyFormat=\"couple\""], "$.participants", "required when therapyFormat is couple; expected a non-empty array of participants" },
            { ["therapyFormat=\"family\"", "participants=[]"], "$.participants", "expected a non-empty array of participants" },
            { ["requester=\"parent\""], "$.client.age", "required when requester is parent; expected an integer from 0 to 130" },
            { ["authorization.signedBy=\"guardian\""], "$.client.age", "required when authorization.signedBy is guardian; expected an integer from 0 to 130" },
            { ["client.age=131"], "$.client.age", "expected an integer from 0 to 130 or null, got 131" },
            { ["requester=\"client\"", "client.deceased=true"], "$.client.deceased", "a deceased client cannot be the requester; expected requester personal-representative or family" },
            { ["client.diedOn=\"2026-01-01\""], "$.client.diedOn", "allowed only when deceased is true" },
            {
                ["representative.appointmentDocumented=true"],
                "$.representative",
                "allowed only when requester is parent, guardian, personal-representative or child-representative (requester is attorney)"
            },
            { ["instrument=\"letter\"", "subpoenaKind=\"appearance\""], "$.subpoenaKind", "allowed only when instrument is subpoena (instrument is letter)" },
            { ["clinician.licensed=true", "clinician.licenseStatus=\"associate\""], "$.clinician.licenseStatus", "expected licensed when licensed is true (licenseStatus is associate)" },
            { ["clinician.licensed=false", "clinician.licenseStatus=\"licensed\""], "$.clinician.licenseStatus", "expected associate or unlicensed when licensed is false" },
            { ["concerns.adultImpairment=\"frail\""], "$.concerns.adultImpairment", "expected one of none, impaired, cannot-seek-help, incapacitated" },
            // Wrong enum values: the message lists the allowed values.
            { ["instrument=\"Subpoena\""], "$.instrument", $"expected one of {InstrumentValues}" },
            { ["requester=\"lawyer\""], "$.requester", $"expected one of {RequesterValues}" },
            {
                ["clinician.profession=\"therapist\""],
                "$.clinician.profession",
                "expected one of psychologist, social-worker, counselor, marriage-family-therapist, psychiatrist, other"
            },
            { ["proceeding.forum=\"tribal\""], "$.proceeding.forum", "expected one of state, federal" },
            { ["proceeding.kind=1"], "$.proceeding.kind", "expected one of civil, criminal, custody, child-protection, administrative" },
            { ["proceeding.ruleOfDecision=\"State\""], "$.proceeding.ruleOfDecision", "expected one of federal, state" },
            { ["requested=[\"intake\",\"notes\"]"], "$.requested[1]", $"expected one of {CategoryValues}" },
            { ["requested=[\"intake\",7]"], "$.requested[1]", $"expected one of {CategoryValues}" },
            { ["authorization.categories=[\"Billing\"]"], "$.authorization.categories[0]", $"expected one of {CategoryValues}" },
            // Bad dates.
            { ["receivedOn=\"2026-02-30\""], "$.receivedOn", "expected a date YYYY-MM-DD, got \"2026-02-30\"" },
            { ["receivedOn=\"2026-13-01\""], "$.receivedOn", "expected a date YYYY-MM-DD, got \"2026-13-01\"" },
            { ["respondBy=\"2026-1-5\""], "$.respondBy", "expected a date YYYY-MM-DD, got \"2026-1-5\"" },
            { ["receivedOn=\"11/02/2026\""], "$.receivedOn", "expected a date YYYY-MM-DD, got \"11/02/2026\"" },
            { ["receivedOn=\"2026-11-02T00:00:00Z\""], "$.receivedOn", "expected a date YYYY-MM-DD, got \"2026-11-02T00:00:00Z\"" },
            { ["receivedOn=\" 2026-11-02\""], "$.receivedOn", "expected a date YYYY-MM-DD, got \" 2026-11-02\"" },
            { ["receivedOn=20261102"], "$.receivedOn", "expected a date YYYY-MM-DD, got a number" },
            { ["authorization.expiresOn=\"tomorrow\""], "$.authorization.expiresOn", "expected a date YYYY-MM-DD or null, got \"tomorrow\"" },
            // Categories must be distinct; requested must not be empty.
            { ["requested=[\"intake\",\"intake\"]"], "$.requested[1]", "duplicate category intake; categories must be distinct" },
            {
                ["authorization.categories=[\"billing\",\"intake\",\"billing\"]"],
                "$.authorization.categories[2]",
                "duplicate category billing; categories must be distinct"
            },
            {
                ["instrument=\"court-order\"", "order={\"signedByJudge\":true,\"categories\":[\"sud-records\",\"sud-records\"]}"],
                "$.order.categories[1]",
                "duplicate category sud-records; categories must be distinct"
            },
            { ["requested=[]"], "$.requested", "expected a non-empty array of categories" },
            // Required properties.
            { ["-requester"], "$.requester", $"required unless instrument is report; expected one of {RequesterValues}" },
            { ["-requested"], "$.requested", "required unless instrument is report; expected a non-empty array of categories" },
            { ["-clinician"], "$.clinician", "required property missing" },
            { ["clinician=null"], "$.clinician", "expected an object, got null" },
            {
                ["-clinician.profession"],
                "$.clinician.profession",
                "required property missing; expected one of psychologist, social-worker, counselor, marriage-family-therapist, psychiatrist, other"
            },
            { ["-instrument"], "$.instrument", $"required property missing; expected one of {InstrumentValues}" },
            { ["-jurisdiction"], "$.jurisdiction", $"required property missing; {JurisdictionExpected}" },
            { ["-proceeding.forum"], "$.proceeding.forum", "required property missing; expected one of state, federal" },
            // Cross-field rules.
            { ["-proceeding"], "$.proceeding", "required when instrument is subpoena; expected an object" },
            { ["proceeding=null"], "$.proceeding", "required when instrument is subpoena; expected an object" },
            { ["instrument=\"verbal-order\"", "-proceeding"], "$.proceeding", "required when instrument is verbal-order; expected an object" },
            {
                ["instrument=\"court-order\"", "order={\"signedByJudge\":true}", "-proceeding"],
                "$.proceeding",
                "required when instrument is court-order; expected an object"
            },
            { ["order={\"signedByJudge\":true}"], "$.order", "allowed only when instrument is court-order (instrument is subpoena)" },
            { ["instrument=\"letter\"", "order={}"], "$.order", "allowed only when instrument is court-order (instrument is letter)" },
            { ["instrument=\"report\"", "order={}"], "$.order", "allowed only when instrument is court-order (instrument is report)" },
            { ["instrument=\"court-order\""], "$.order", "required when instrument is court-order; expected an object" },
            { ["instrument=\"court-order\"", "order=null"], "$.order", "required when instrument is court-order; expected an object" },
            {
                ["proceeding.kind=\"criminal\"", "proceeding.ruleOfDecision=\"state\""],
                "$.proceeding.ruleOfDecision",
                "expected federal: a state rule of decision applies only with kind civil (kind is criminal)"
            },
            {
                ["proceeding.forum=\"federal\"", "proceeding.kind=\"custody\"", "proceeding.ruleOfDecision=\"state\""],
                "$.proceeding.ruleOfDecision",
                "expected federal: a state rule of decision applies only with kind civil (kind is custody)"
            },
            // Jurisdictions: US- and a state or DC, exactly.
            { ["jurisdiction=\"US-ZZ\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"CA\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"us-ca\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"US-ca\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"US_CA\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"US-CAL\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\" US-CA\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"US-\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"US-PR\""], "$.jurisdiction", JurisdictionExpected },
            { ["jurisdiction=\"\""], "$.jurisdiction", JurisdictionExpected },
        };

    [Fact]
    public void Parse_BaseDocument_Succeeds()
    {
        var result = RequestParser.Parse(Base);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Parse_InvalidDocument_ReportsPathAndExpectation(string[] edits, string path, string message)
    {
        var result = RequestParser.Parse(Edit(edits));

        Assert.False(result.Success);
        Assert.Null(result.Request);
        Assert.Contains(new RequestError(path, message), result.Errors);
    }

    [Fact]
    public void Parse_DuplicateProperty_ReportsTheSecond()
    {
        var result = RequestParser.Parse(
            """{"jurisdiction":"US-CA","jurisdiction":"US-NY","instrument":"report","clinician":{"profession":"psychologist","profession":"counselor"}}"""
        );

        Assert.False(result.Success);
        Assert.Equal([new RequestError("$.jurisdiction", "duplicate property"), new RequestError("$.clinician.profession", "duplicate property")], result.Errors);
    }

    [Theory]
    [InlineData("[]", "expected an object, got an array")]
    [InlineData("null", "expected an object, got null")]
    [InlineData("\"US-CA\"", "expected an object, got a string")]
    [InlineData("42", "expected an object, got a number")]
    [InlineData("true", "expected an object, got a boolean")]
    public void Parse_RootNotAnObject_ReportsRoot(string json, string message)
    {
        var result = RequestParser.Parse(json);

        Assert.False(result.Success);
        Assert.Equal([new RequestError("$", message)], result.Errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEachOne()
    {
        var result = RequestParser.Parse(Edit("authorisation={}", "instrument=\"Subpoena\"", "receivedOn=\"2026-02-30\"", "details.caseNumber=1"));

        Assert.False(result.Success);
        Assert.Equal(
            new HashSet<string> { "$.authorisation", "$.instrument", "$.receivedOn", "$.details.caseNumber" },
            result.Errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal)
        );
    }

    [Theory]
    [InlineData("{\n  \"jurisdiction\": \"US-CA\",\n  \"instrument\" \"letter\"\n}", 3, 16)] // missing colon
    [InlineData("{\n  \"a\": 1,\n}", 3, 1)] // trailing comma
    [InlineData("{\"requested\": [\"intake\",]}", 1, 25)] // trailing comma in an array
    [InlineData("{\r\n  \"a\": 1,\r\n  \"b\" 2\r\n}", 3, 7)] // CRLF line ends
    [InlineData("{\n  \"jurisdiction\": \"US-CA", 2, 25)] // unterminated string at the end
    [InlineData("{\"a\":1}}", 1, 8)] // text after the document
    [InlineData("{\n // a comment\n}", 2, 2)] // comments are not JSON
    [InlineData("{'a':1}", 1, 2)] // single quotes
    [InlineData("", 1, 1)] // empty
    [InlineData("  \n\t\n   ", 3, 4)] // whitespace only
    public void Parse_InvalidJson_ReportsOneBasedLineAndColumn(string json, int line, int column)
    {
        var result = RequestParser.Parse(json);

        Assert.False(result.Success);
        Assert.Equal([new RequestError("$", $"invalid JSON at line {line}, column {column}")], result.Errors);
    }

    // Regression (fixed): (minor, src/Core/Requests/RequestParser.cs, Parse): the column is JsonException.BytePositionInLine + 1,
    // a UTF-8 BYTE offset: every non-ASCII character before the error on its line adds 1–3 to the column an
    // editor shows. Repro: {"details":{"clientName":"éé" x}} reports column 33; the 'x' is character 31.
    [Fact]
    public void Parse_InvalidJsonAfterNonAsciiText_ColumnCountsCharacters()
    {
        var result = RequestParser.Parse("{\"details\":{\"clientName\":\"éé\" x}}");

        Assert.Equal([new RequestError("$", "invalid JSON at line 1, column 31")], result.Errors);
    }

    // Regression (fixed): (src/Core/Requests/RequestParser.cs, Parse): the BOM check is span.StartsWith("\xEF\xBB\xBF"u8), but in a
    // C# string "\xEF" is the CHARACTER U+00EF, so that u8 literal is the 6 bytes C3 AF C2 BB C2 BF, never a BOM.
    // Every request with a UTF-8 BOM (e.g. saved by Windows Notepad) is rejected as "$: invalid JSON at line 1,
    // column 1"; through the CLI, `confide triage file-with-bom.json` (or the same on stdin) exits 2.
    // Repro: the bytes EF BB BF followed by examples/subpoena-ca.json.
    [Fact]
    public void Parse_Utf8ByteOrderMark_Accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Base)).ToArray();

        var result = RequestParser.Parse(bytes);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal("US-CA", result.Request!.Jurisdiction);
    }

    [Fact]
    public void Parse_ReportWithoutRequesterOrRequested_Accepted()
    {
        var result = RequestParser.Parse(
            """{"jurisdiction":"US-OR","instrument":"report","clinician":{"profession":"counselor"},"concerns":{"seriousThreat":true}}"""
        );

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Null(result.Request!.Requester);
        Assert.True(result.Request.Requested.IsEmpty);
        Assert.Equal(new Concerns(false, true), result.Request.Concerns);
    }

    [Fact]
    public void Parse_OmittedOptionalFields_TakeTheContractDefaults()
    {
        var result = RequestParser.Parse(
            """
            {"jurisdiction":"US-NY","requester":"attorney","instrument":"subpoena","requested":["intake"],
             "proceeding":{"forum":"federal","kind":"civil"},"clinician":{"profession":"social-worker"},
             "authorization":{},"client":{},"concerns":{},"details":{}}
            """
        );

        Assert.True(result.Success, string.Join("; ", result.Errors));
        var r = result.Request!;
        Assert.True(r.InTherapy);
        Assert.True(r.Clinician.Licensed);
        Assert.Equal(new Proceeding(Forum.Federal, ProceedingKind.Civil, RuleOfDecision.Federal, MentalConditionAtIssue: false), r.Proceeding);
        Assert.Equal(new Authorization(false, false, false, CategorySet.Empty, false, false, null, false, false), r.Authorization);
        Assert.Equal(new ClientInfo(false), r.Client);
        Assert.Equal(new Concerns(false, false), r.Concerns);
        Assert.Equal(new RequestDetails(), r.Details);
        Assert.Null(r.ReceivedOn);
        Assert.Null(r.RespondBy);
        Assert.Null(r.Order);
    }

    [Fact]
    public void Parse_ExplicitValues_AreRead()
    {
        var result = RequestParser.Parse(
            Edit(
                "inTherapy=false",
                "clinician.licensed=false",
                "proceeding.forum=\"federal\"",
                "proceeding.ruleOfDecision=\"state\"",
                "proceeding.mentalConditionAtIssue=true",
                "instrument=\"court-order\"",
                "order={\"signedByJudge\":true,\"categories\":[\"sud-records\",\"billing\"],\"part2\":true}",
                "authorization.expiresOn=\"2026-12-31\""
            )
        );

        Assert.True(result.Success, string.Join("; ", result.Errors));
        var r = result.Request!;
        Assert.False(r.InTherapy);
        Assert.False(r.Clinician.Licensed);
        Assert.Equal(new Proceeding(Forum.Federal, ProceedingKind.Civil, RuleOfDecision.State, true), r.Proceeding);
        Assert.Equal(new CourtOrder(true, false, false, CategorySet.Of(Category.Billing, Category.SudRecords), true), r.Order);
        Assert.Equal(new DateOnly(2026, 12, 31), r.Authorization!.ExpiresOn);
        Assert.Equal(new DateOnly(2026, 11, 2), r.ReceivedOn);
        Assert.Equal(CategorySet.Of(Category.ProgressNotes, Category.PsychotherapyNotes), r.Requested);
    }

    [Fact]
    public void Parse_EveryStateAndDc_Accepted()
    {
        foreach (var jurisdiction in RequestGen.AllJurisdictions)
        {
            var result = RequestParser.Parse(Edit($"jurisdiction=\"{jurisdiction}\""));
            Assert.True(result.Success, $"{jurisdiction}: {string.Join("; ", result.Errors)}");
            Assert.Equal(jurisdiction, result.Request!.Jurisdiction);
        }
        Assert.Equal(51, RequestGen.AllJurisdictions.Length);
        Assert.Contains("US-DC", RequestGen.AllJurisdictions);
    }

    [Fact]
    public void Parse_EscapedPropertyName_MatchesItsUnescapedName()
    {
        var result = RequestParser.Parse(Base.Replace("\"jurisdiction\"", "\"jurisdic\\u0074ion\"", StringComparison.Ordinal));

        Assert.True(result.Success, string.Join("; ", result.Errors));
    }
}
