using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Confide.Core.Audit;

namespace Confide.Bench;

/// <summary>
/// Verifying a chain of 1,000,000 audit entries in memory (<see cref="AuditChainVerifier"/>: sequence,
/// link, leaf hash and link hash of every entry, format 2) against simply hashing the same entries with
/// one SHA-256 call each (their canonical bytes encoded beforehand, so the baseline is nothing but
/// hashing), measured in the same run. Issue 6's target: verification at ≥ 50% of the plain speed.
/// Each benchmark invocation walks all entries; times are per entry (OperationsPerInvoke), so entries
/// per second = 1e9 / Mean(ns).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Confide.Bench -- --filter '*AuditChainBenchmarks*'</c>
/// (about 2 minutes; builds 2 × 1,000,000 entries, about 1 GB, in GlobalSetup).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class AuditChainBenchmarks
{
    public const int Entries = 1_000_000;

    private AuditRecord[] _chain = [];
    private AuditRecord[] _chainV1 = [];
    private byte[][] _canonical = [];
    private readonly byte[] _sink = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        _chain = Build(AuditChain.CurrentFormat);
        _chainV1 = Build(AuditChain.FirstFormat);
        _canonical = [.. _chain.Select(Canonical)];
        if (!AuditChain.Verify(_chain) || !AuditChain.Verify(_chainV1))
        {
            throw new InvalidOperationException("the generated chain does not verify");
        }
    }

    /// <summary>The baseline: one SHA-256 over each entry's canonical bytes (already encoded).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public byte PlainSha256PerEntry()
    {
        var sink = _sink.AsSpan();
        foreach (var bytes in _canonical)
        {
            SHA256.HashData(bytes, sink);
        }
        return sink[0];
    }

    /// <summary>Format 2 verification: encode, leaf hash, link hash, compare, per entry.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public long VerifyChain() => Verify(_chain);

    /// <summary>Format 1 verification (one SHA-256 per entry, no domain separation), for comparison.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public long VerifyChainFormat1() => Verify(_chainV1);

    private static long Verify(AuditRecord[] chain)
    {
        var verifier = new AuditChainVerifier();
        foreach (ref readonly var e in chain.AsSpan())
        {
            verifier.Add(e);
        }
        var result = verifier.Complete();
        return result.Intact ? result.EntriesChecked : throw new InvalidOperationException("not intact");
    }

    /// <summary>Entries like the web app's: a record view or a download, an actor and a client, a short code detail.</summary>
    private static AuditRecord[] Build(int format)
    {
        var practice = Guid.Parse("0196f2a4-5b6c-7d8e-9f01-23456789abcd");
        var actors = Enumerable.Range(0, 8).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();
        var clients = Enumerable.Range(0, 200).Select(i => new Guid(i + 1, 1, 0, new byte[8])).ToArray();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var chain = new AuditRecord[Entries];
        var prev = AuditChain.Genesis.ToArray();
        for (var i = 0; i < Entries; i++)
        {
            var e = new AuditRecord(
                practice,
                i + 1,
                at.AddSeconds(i * 7),
                actors[i % actors.Length],
                i % 5 == 0 ? "request-file.download" : "record.view",
                i % 5 == 0 ? "request-file" : "record-item",
                Guid.CreateVersion7(at.AddSeconds(i)).ToString("N"),
                clients[i % clients.Length],
                i % 3 == 0 ? "category=progress-notes" : null,
                prev,
                [],
                format
            );
            e = e with { Hash = AuditChain.ComputeHash(e) };
            chain[i] = e;
            prev = e.Hash;
        }
        return chain;
    }

    /// <summary>The entry's canonical bytes (format 2's leaf input, with the previous hash appended): what one SHA-256 per entry covers.</summary>
    private static byte[] Canonical(AuditRecord e)
    {
        var buffer = new List<byte> { 0x00 };
        Field("confide-audit-v2");
        Field(e.PracticeId.ToString("N"));
        Field(e.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(e.ActorUserId?.ToString("N") ?? "");
        Field(e.Action);
        Field(e.TargetType);
        Field(e.TargetId);
        Field(e.ClientId?.ToString("N") ?? "");
        Field(e.Detail ?? "");
        buffer.AddRange(e.PrevHash);
        return [.. buffer];

        void Field(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.AddRange(length);
            buffer.AddRange(bytes);
        }
    }
}
