using System.Text.Json;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Bench;

/// <summary>
/// The shared scenario cases (<c>../shared/cases/*.json</c>, embedded at build time) that the
/// benchmarks run, and the one engine they share: the law library is loaded once per process.
/// </summary>
internal static class BenchCases
{
    /// <summary>
    /// The representative requests: a subpoena answered by asserting privilege, a judge-signed
    /// custody order complied with, a client asking for their own records, a mandated report.
    /// </summary>
    public static readonly string[] Representative =
    [
        "ca-attorney-subpoena-civil",
        "il-custody-written-order-best-interests",
        "tx-client-asks-for-own-records",
        "ca-suspected-child-abuse",
    ];

    private const string ResourcePrefix = "cases/";

    /// <summary>One engine over the embedded law library, built once.</summary>
    public static TriageEngine Engine { get; } = new(LawLibrary.Embedded, TimeProvider.System);

    /// <summary>Every embedded case name, in ordinal order.</summary>
    public static IEnumerable<string> All =>
        typeof(BenchCases)
            .Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal);

    /// <summary>The UTF-8 bytes of the case's <c>request</c> document, written compactly (no indentation).</summary>
    public static byte[] RequestUtf8(string name)
    {
        using var doc = JsonDocument.Parse(Resource(name));
        return JsonSerializer.SerializeToUtf8Bytes(doc.RootElement.GetProperty("request"));
    }

    /// <summary>
    /// Parses the case's request and checks the engine gives the case's expected outcome, so a
    /// benchmark never times a request that fails to parse or a path other than the one named.
    /// </summary>
    public static TriageRequest ParsedAndChecked(string name)
    {
        var result = RequestParser.Parse(RequestUtf8(name));
        if (!result.Success)
        {
            throw new InvalidOperationException($"{name}: request does not parse: {string.Join("; ", result.Errors)}");
        }
        var request = result.Request!;
        using var doc = JsonDocument.Parse(Resource(name));
        var expected = doc.RootElement.GetProperty("expect").GetProperty("outcome").GetString();
        var actual = Confide.Core.Wire<Outcome>.Name(Engine.Evaluate(request).Outcome);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name}: expected outcome {expected}, the engine gave {actual}");
        }
        return request;
    }

    private static byte[] Resource(string name)
    {
        using var stream =
            typeof(BenchCases).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
            ?? throw new ArgumentException($"no shared case '{name}' (known: {string.Join(", ", All)})", nameof(name));
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
