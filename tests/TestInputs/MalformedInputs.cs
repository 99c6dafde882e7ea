using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Confide.TestInputs;

/// <summary>
/// Malformed and random request documents, for the parser's tests (Core.Tests) and the same inputs
/// through the <c>confide</c> command (Cli.Tests): random JSON documents, mutated valid requests,
/// the valid documents whose every prefix is malformed, deep nesting, huge numbers, invalid UTF-8.
/// </summary>
public static class MalformedInputs
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---- Generators of arbitrary JSON text -------------------------------------------------

    private static readonly string[] KnownNames =
    [
        "jurisdiction", "receivedOn", "respondBy", "requester", "instrument", "requested", "inTherapy", "proceeding", "order",
        "clinician", "client", "authorization", "concerns", "details", "forum", "kind", "ruleOfDecision", "mentalConditionAtIssue",
        "signedByJudge", "statesPurpose", "bestInterestsFinding", "categories", "part2", "profession", "licensed",
        "wantsDisclosure", "signed", "recipientCovered", "purposeCovered", "separatePsychotherapyNotesAuthorization",
        "part2Consent", "expiresOn", "revoked", "clientUnderstandingConfirmed", "suspectedChildAbuse", "seriousThreat",
        "clientName", "caseNumber", "authorisation", "Jurisdiction", "", "$", "a.b", "requested[0]", "ñame", "😀",
    ];

    private static readonly string[] KnownStrings =
    [
        "US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-OR", "US-DC", "us-ca", "US-ZZ", "subpoena", "court-order", "verbal-order",
        "letter", "report", "none", "client", "attorney", "court", "family", "state", "federal", "civil", "criminal", "custody",
        "child-protection", "psychologist", "counselor", "other", "intake", "psychotherapy-notes", "sud-records", "test-data",
        "2026-11-02", "2026-02-30", "1900-01-01", "2100-12-31", "2026-1-5", "", " ", "null", "true",
    ];

    /// <summary>Text without lone surrogates (those are a known parser bug, tested on their own below).</summary>
    private static readonly Gen<string> SafeText = Gen.Char[' ', '\uD7FF'].Array[0, 10].Select(cs => new string(cs));

    private static readonly Gen<string> Name = Gen.Frequency<string>((5, Gen.OneOf(KnownNames)), (1, SafeText));

    private static readonly Gen<string> Number = Gen.OneOf(
        "0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1E-400", "123456789012345678901234567890", "4.9e-324", "18446744073709551616"
    );

    private static readonly Gen<string> Leaf = Gen.Frequency<string>(
        (1, Gen.Const("null")),
        (1, Gen.Const("true")),
        (1, Gen.Const("false")),
        (2, Number),
        (5, from s in Gen.Frequency<string>((4, Gen.OneOf(KnownStrings)), (1, SafeText)) from relaxed in Gen.Bool select Quote(s, relaxed))
    );

    private static readonly Gen<string>[] Values = BuildValues(4);

    private static Gen<string>[] BuildValues(int maxDepth)
    {
        var byDepth = new Gen<string>[maxDepth + 1];
        byDepth[0] = Leaf;
        for (var depth = 1; depth <= maxDepth; depth++)
        {
            var inner = byDepth[depth - 1];
            var array = inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");
            var member = from name in Name from relaxed in Gen.Bool from value in inner select Quote(name, relaxed) + ":" + value;
            var obj = member.Array[0, 6].Select(members => "{" + string.Join(",", members) + "}");
            byDepth[depth] = Gen.Frequency<string>((3, Leaf), (1, array), (2, obj));
        }
        return byDepth;
    }

    private static Gen<string> ObjectOf(int depth)
    {
        var member = from name in Name from value in Values[depth - 1] select Quote(name, relaxed: true) + ":" + value;
        return member.Array[0, 8].Select(members => "{" + string.Join(",", members) + "}");
    }

    /// <summary>Random JSON documents: mostly objects with the contract's property names.</summary>
    public static readonly Gen<string> Documents = Gen.Frequency<string>((1, Values[4]), (4, ObjectOf(4)));

    /// <summary>A valid request with one change: a value replaced, a property removed, or one added (possibly a duplicate).</summary>
    public static readonly Gen<string> Mutated =
        from request in RequestGen.Requests
        from operation in Gen.Int[0, 2]
        from pick in Gen.Int[0, 10_000]
        from name in Name
        from value in Values[2]
        select Mutate(RequestGen.ToJson(request), operation, pick, name, value);

    private static string Quote(string s, bool relaxed) => relaxed ? JsonSerializer.Serialize(s, Relaxed) : JsonSerializer.Serialize(s);

    private static string Mutate(string json, int operation, int pick, string name, string value)
    {
        if (operation == 2)
        {
            // Insert a property at the start of the root object: an unknown name, or a duplicate of a known one.
            return "{" + Quote(name, relaxed: true) + ":" + value + "," + json[1..];
        }
        var root = JsonNode.Parse(json)!;
        var slots = new List<(JsonNode Parent, string? Name, int Index)>();
        Collect(root, slots);
        var (parent, property, index) = slots[pick % slots.Count];
        var replacement = JsonNode.Parse(value);
        if (parent is JsonObject o)
        {
            if (operation == 0)
            {
                o[property!] = replacement;
            }
            else
            {
                o.Remove(property!);
            }
        }
        else if (parent is JsonArray a)
        {
            if (operation == 0)
            {
                a[index] = replacement;
            }
            else
            {
                a.RemoveAt(index);
            }
        }
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o.ToList())
            {
                slots.Add((o, name, -1));
                if (child is not null)
                {
                    Collect(child, slots);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                slots.Add((a, null, i));
                if (a[i] is { } child)
                {
                    Collect(child, slots);
                }
            }
        }
    }

    /// <summary>The bytes as upper-case hex, to print a failing input.</summary>
    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>The text as UTF-8 bytes.</summary>
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The request documents of the shared cases and the examples, as written (formatting kept).</summary>
    public static IEnumerable<string> ValidRequestTexts()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.SharedCases, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            yield return doc.RootElement.GetProperty("request").GetRawText();
        }
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.json").Order(StringComparer.Ordinal))
        {
            yield return File.ReadAllText(file).Trim();
        }
    }

    // ---- Theory data: deep nesting, huge numbers, encodings ---------------------------------

    public static TheoryData<string> DeepDocuments() =>
        new()
        {
            new string('[', 10_000),
            new string('[', 10_000) + new string(']', 10_000),
            string.Concat(Enumerable.Repeat("{\"a\":", 10_000)),
            string.Concat(Enumerable.Repeat("{\"details\":", 5_000)) + "1" + new string('}', 5_000),
            "{\"jurisdiction\":\"US-CA\",\"requested\":" + new string('[', 10_000),
            "{\"requested\":" + new string('[', 32) + new string(']', 32) + "}", // one level past the limit
        };

    public static TheoryData<string, string, string> HugeNumbers()
    {
        var digits = new string('9', 100_000);
        return new()
        {
            { "{\"inTherapy\":1e999999}", "$.inTherapy", "expected true or false, got a number" },
            { "{\"inTherapy\":" + digits + "}", "$.inTherapy", "expected true or false, got a number" },
            { "{\"jurisdiction\":-1e999999}", "$.jurisdiction", "expected US- and a state's two-letter code or DC, e.g. US-CA, got a number" },
            { "{\"receivedOn\":123456789012345678901234567890}", "$.receivedOn", "expected a date YYYY-MM-DD, got a number" },
            { "{\"requested\":[1E+400]}", "$.requested[0]", "expected one of " },
            { "{\"details\":{\"caseNumber\":" + digits + "." + digits + "}}", "$.details.caseNumber", "expected a string, got a number" },
            { "{\"instrument\":4.9e-324}", "$.instrument", "expected one of " },
            { digits, "$", "expected an object, got a number" },
        };
    }

    public static TheoryData<string, byte[]> BadEncodings()
    {
        var request = Utf8("""{"jurisdiction":"US-CA","requester":"client","instrument":"letter","requested":["intake"],"clinician":{"profession":"psychologist"}}""");
        var unicode = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(request))).ToArray();
        return new()
        {
            { "lone 0xFF", [0xFF] },
            { "lone lead byte", [0xC3] },
            { "overlong slash", [0xC0, 0xAF] },
            { "0xFF between tokens", [(byte)'{', 0xFF, (byte)'}'] },
            { "0xFE 0xFF after a valid request", [.. request, 0xFE, 0xFF] },
            { "0xFF before a valid request", [0xFF, .. request] },
            { "UTF-16LE with BOM", unicode },
            { "UTF-16LE without BOM", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(request)) },
            { "UTF-32 with BOM", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Encoding.UTF8.GetString(request))] },
            { "NUL byte", [(byte)'{', 0x00, (byte)'}'] },
        };
    }

    // Regression (fixed): (src/Core/Requests/RequestParser.cs): JsonDocument.Parse does not validate the text inside strings;
    // the parser then calls JsonProperty.Name / JsonElement.GetString(), which throw InvalidOperationException
    // ("Cannot transcode invalid UTF-8 JSON text to UTF-16 string", "Cannot read invalid UTF-16 JSON text as
    // string") for invalid UTF-8 bytes inside a string, or for a \u escape of a lone surrogate (plain ASCII
    // input, e.g. {"\uD800":1}). RequestParser.Parse throws instead of returning errors, and the CLI exits 1
    // ("confide: unexpected failure (InvalidOperationException)") instead of 2 — on stdin too for the escapes.
    // Repro: printf '{"jurisdiction":"US-CA","instrument":"report","clinician":{"profession":"psychologist"},"details":{"clientName":"\xff\xfe"}}' > bad.json
    //        confide triage bad.json   # exit 1
    //        printf '{"\\uD800":1}' | confide triage -   # exit 1
    public static TheoryData<string, byte[]> BadStrings()
    {
        byte[] With(string template, params byte[] bad)
        {
            var bytes = Utf8(template);
            var at = Array.IndexOf(bytes, (byte)'@');
            return [.. bytes[..at], .. bad, .. bytes[(at + 1)..]];
        }
        return new()
        {
            { "invalid UTF-8 in a property name", With("{\"@\":1}", 0xFF) },
            { "invalid UTF-8 in the jurisdiction", With("{\"jurisdiction\":\"US-@\"}", 0xC3, 0x28) },
            { "invalid UTF-8 in a detail", With("{\"details\":{\"clientName\":\"@\"}}", 0xED, 0xA0, 0x80) },
            { "escaped lone high surrogate as a name", Utf8("{\"\\uD800\":1}") },
            { "escaped lone low surrogate in a detail", Utf8("{\"details\":{\"clientName\":\"\\uDC00\"}}") },
            { "escaped lone surrogate as an enum value", Utf8("{\"instrument\":\"\\uD83D\"}") },
        };
    }
}
