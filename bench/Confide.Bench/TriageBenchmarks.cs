using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Bench;

/// <summary>
/// Parse + evaluate one request, evaluate a request parsed once, and evaluate + write the
/// determination's JSON text, over representative shared cases. The law library is loaded once
/// (<see cref="BenchCases.Engine"/>). BenchmarkDotNet's percentiles are over iterations, not calls:
/// for per-call p50/p99 use the <c>latency</c> mode (<see cref="LatencyHistogram"/>).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Confide.Bench -- --filter '*TriageBenchmarks*'</c>
/// (add <c>--job short</c> for a quicker, less precise run).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class TriageBenchmarks
{
    private byte[] _utf8 = [];
    private TriageRequest _request = null!;
    private TriageEngine _engine = null!;

    /// <summary>The shared case whose request is benchmarked.</summary>
    [Params(
        "ca-attorney-subpoena-civil",
        "il-custody-written-order-best-interests",
        "tx-client-asks-for-own-records",
        "ca-suspected-child-abuse"
    )]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchCases.Engine;
        _utf8 = BenchCases.RequestUtf8(Case);
        _request = BenchCases.ParsedAndChecked(Case);
    }

    /// <summary>The request bytes to a determination: what an API call does before writing its answer.</summary>
    [Benchmark]
    public Determination ParseAndEvaluate() => _engine.Evaluate(RequestParser.Parse(_utf8).Request!);

    /// <summary>A parsed request to a determination: the engine alone.</summary>
    [Benchmark]
    public Determination Evaluate() => _engine.Evaluate(_request);

    /// <summary>A parsed request to the determination's JSON text (the target counts the text's allocation).</summary>
    [Benchmark]
    public string EvaluateAndSerialize() => DeterminationJson.ToJson(_engine.Evaluate(_request));

    /// <summary>Mean, P95 and Allocated beside BenchmarkDotNet's default columns; case names in full.</summary>
    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(StatisticColumn.Mean, StatisticColumn.P95);
            AddColumnProvider(DefaultColumnProviders.Metrics);
            WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(45));
        }
    }
}
