using BenchmarkDotNet.Running;
using Confide.Bench;

// `latency [--calls N]`, `record-latency` and `packet` are ours (per-call histogram; disclosure packet build); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "latency")
{
    return LatencyHistogram.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "record-latency")
{
    return RecordReadLatency.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "packet")
{
    return PacketBench.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
