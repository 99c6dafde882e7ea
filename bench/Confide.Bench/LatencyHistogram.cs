using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Bench;

/// <summary>
/// Per-call latency: times each of N calls on its own (<see cref="Stopwatch.GetTimestamp"/>),
/// cycling through the representative requests, and prints p50/p90/p99/p99.9/max and the bytes
/// allocated per call. BenchmarkDotNet's percentiles are over iterations (each an average of many
/// calls), so they hide the tail this shows: GC pauses, JIT, preemption by other processes.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Confide.Bench -- latency [--calls N] [--warmup-ms M] [--case NAME]...</c>
/// </remarks>
internal static class LatencyHistogram
{
    private const double TargetP99Micros = 20;
    private const double TargetBytesPerCall = 8 * 1024;

    public static int Run(string[] args)
    {
        var calls = 1_000_000;
        var warmupMs = 2_000;
        var cases = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--calls" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    calls = n;
                    i++;
                    break;
                case "--warmup-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var w):
                    warmupMs = w;
                    i++;
                    break;
                case "--case" when i + 1 < args.Length:
                    cases.Add(args[i + 1]);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"latency: unknown or incomplete argument '{args[i]}'");
                    Console.Error.WriteLine("usage: latency [--calls N (default 1000000)] [--warmup-ms M (default 2000)] [--case NAME]...");
                    Console.Error.WriteLine($"cases: {string.Join(", ", BenchCases.All)}");
                    return 2;
            }
        }
        if (cases.Count == 0)
        {
            cases.AddRange(BenchCases.Representative);
        }

        var engine = BenchCases.Engine;
        var utf8 = cases.Select(BenchCases.RequestUtf8).ToArray();
        var requests = cases.Select(BenchCases.ParsedAndChecked).ToArray();

        Console.WriteLine("Confide triage latency: per-call timings");
        Console.WriteLine($"  runtime   {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine($"  cpus      {Environment.ProcessorCount} logical; GC {(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}");
        Console.WriteLine($"  timer     Stopwatch, {Stopwatch.Frequency:N0} ticks/s");
        Console.WriteLine($"  load      {LoadAverage()} (1/5/15 min, before)");
        Console.WriteLine($"  cases     {string.Join(", ", cases)} (cycled)");
        Console.WriteLine($"  calls     {calls:N0} per measurement, after {warmupMs:N0} ms warm-up each");
        Console.WriteLine();

        var evaluate = new Measurement("Evaluate", i => engine.Evaluate(requests[i]).Citations.Count);
        var evaluateJson = new Measurement("Evaluate + ToJson", i => DeterminationJson.ToJson(engine.Evaluate(requests[i])).Length);
        var full = new Measurement("Parse + Evaluate + ToJson", i => DeterminationJson.ToJson(engine.Evaluate(RequestParser.Parse(utf8[i]).Request!)).Length);
        Measurement[] measurements = [evaluate, evaluateJson, full];

        var ticks = new long[calls];
        foreach (var m in measurements)
        {
            m.Run(ticks, requests.Length, warmupMs);
        }

        Console.WriteLine($"{"measurement",-27} {"p50 µs",8} {"p90 µs",8} {"p99 µs",8} {"p99.9 µs",9} {"max µs",9} {"mean µs",8} {"B/call",8} {"gen0 GCs",9}");
        Console.WriteLine(new string('-', 27 + 8 * 9 + 1));
        foreach (var m in measurements)
        {
            Console.WriteLine(
                $"{m.Name,-27} {m.P50,8:F2} {m.P90,8:F2} {m.P99,8:F2} {m.P999,9:F2} {m.Max,9:F1} {m.Mean,8:F2} {m.BytesPerCall,8:F0} {m.Gen0Collections,9}"
            );
        }
        Console.WriteLine();

        // Allocation by case: which request costs what (10,000 calls each, after the runs above),
        // and where ToJson's bytes go: the returned string itself, and the rest (the ArrayBufferWriter
        // buffers, the Utf8JsonWriter, boxed enums and enumerators, date strings).
        // The last column is a what-if with the public API only: the same JSON written through
        // one reused Utf8JsonWriter and buffer, then decoded to a string.
        Console.WriteLine(
            $"{"bytes per call, by case",-42} {"Evaluate",9} {"+ ToJson",9} {"chars",6} {"string",7} {"ToJson rest",11} {"reused writer",14}"
        );
        Console.WriteLine(new string('-', 42 + 10 + 10 + 7 + 8 + 12 + 15 + 1));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
        using var writer = new System.Text.Json.Utf8JsonWriter(buffer);
        for (var c = 0; c < requests.Length; c++)
        {
            var request = requests[c];
            var eval = BytesPerCall(10_000, () => engine.Evaluate(request).Citations.Count);
            var json = BytesPerCall(10_000, () => DeterminationJson.ToJson(engine.Evaluate(request)).Length);
            var reused = BytesPerCall(
                10_000,
                () =>
                {
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    DeterminationJson.Write(writer, engine.Evaluate(request));
                    writer.Flush();
                    return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan).Length;
                }
            );
            var chars = DeterminationJson.ToJson(engine.Evaluate(request)).Length;
            var stringBytes = StringSize(chars);
            Console.WriteLine($"{cases[c],-42} {eval,9:F0} {json,9:F0} {chars,6} {stringBytes,7} {json - eval - stringBytes,11:F0} {reused,14:F0}");
        }
        Console.WriteLine();

        Console.WriteLine($"  load      {LoadAverage()} (1/5/15 min, after)");
        Console.WriteLine();
        var p99Met = evaluate.P99 <= TargetP99Micros;
        var bytesMet = evaluateJson.BytesPerCall <= TargetBytesPerCall;
        Console.WriteLine(
            $"target: evaluation p99 <= {TargetP99Micros:F0} µs: {(p99Met ? "MET" : "NOT MET")} (Evaluate p99 {evaluate.P99:F2} µs; with ToJson {evaluateJson.P99:F2} µs)"
        );
        Console.WriteLine(
            $"target: <= 8 KB ({TargetBytesPerCall:F0} B) allocated per determination incl. its text: {(bytesMet ? "MET" : "NOT MET")} (Evaluate + ToJson {evaluateJson.BytesPerCall:F0} B/call; Evaluate alone {evaluate.BytesPerCall:F0} B/call)"
        );
        return 0;
    }

    private static double BytesPerCall(int calls, Func<int> call)
    {
        var sink = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            sink += call();
        }
        var after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(sink);
        return (after - before) / (double)calls;
    }

    /// <summary>The heap size of a string of <paramref name="chars"/> UTF-16 chars on 64-bit .NET.</summary>
    private static long StringSize(int chars) => ((22L + (2L * chars)) + 7) / 8 * 8;

    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>One timed loop: a call shape, its per-call ticks sorted into percentiles.</summary>
    private sealed class Measurement(string name, Func<int, int> call)
    {
        public string Name { get; } = name;
        public double P50 { get; private set; }
        public double P90 { get; private set; }
        public double P99 { get; private set; }
        public double P999 { get; private set; }
        public double Max { get; private set; }
        public double Mean { get; private set; }
        public double BytesPerCall { get; private set; }
        public int Gen0Collections { get; private set; }

        public void Run(long[] ticks, int cases, int warmupMs)
        {
            var sink = 0;

            // Warm-up: long enough for tiered compilation to reach tier 1 (with dynamic PGO).
            var warmupEnd = Stopwatch.GetTimestamp() + (warmupMs * Stopwatch.Frequency / 1000);
            var warmupCalls = 0;
            while (warmupCalls < 100_000 || Stopwatch.GetTimestamp() < warmupEnd)
            {
                sink += call(warmupCalls % cases);
                warmupCalls++;
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var n = ticks.Length;
            var gen0 = GC.CollectionCount(0);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var c = 0;
            for (var i = 0; i < n; i++)
            {
                var start = Stopwatch.GetTimestamp();
                sink += call(c);
                ticks[i] = Stopwatch.GetTimestamp() - start;
                if (++c == cases)
                {
                    c = 0;
                }
            }
            BytesPerCall = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)n;
            Gen0Collections = GC.CollectionCount(0) - gen0;
            GC.KeepAlive(sink);

            Array.Sort(ticks);
            var total = 0L;
            foreach (var t in ticks)
            {
                total += t;
            }
            P50 = Micros(Percentile(ticks, 0.50));
            P90 = Micros(Percentile(ticks, 0.90));
            P99 = Micros(Percentile(ticks, 0.99));
            P999 = Micros(Percentile(ticks, 0.999));
            Max = Micros(ticks[^1]);
            Mean = Micros(total) / n;
        }

        /// <summary>Nearest-rank percentile of sorted values.</summary>
        private static long Percentile(long[] sorted, double q) =>
            sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

        private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
    }
}
