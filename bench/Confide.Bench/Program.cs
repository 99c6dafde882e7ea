using BenchmarkDotNet.Running;
using Confide.Bench;

// `latency [--calls N]` is ours (per-call histogram); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "latency")
{
    return LatencyHistogram.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
