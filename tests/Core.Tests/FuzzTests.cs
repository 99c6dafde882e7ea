using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confide.Core.Audit;
using Confide.Core.Requests;
using CsCheck;

namespace Confide.Core.Tests;

/// <summary>
/// Bounded fuzzing of the parsers and the audit verifier with CsCheck generators: the request parser
/// (random and byte-mutated valid requests), the checkpoint file reader (byte-mutated checkpoints)
/// and the chain verifier (chains mutated in random ways, fields of any length). None may throw; the
/// verifier must call a chain intact exactly when no entry differs from the one sealed. A short
/// seeded run is part of the suite; <c>scripts/fuzz.sh</c> runs each target for
/// <c>CONFIDE_FUZZ_SECONDS</c> seconds with fresh seeds (<c>CONFIDE_FUZZ_SEED</c> to repeat one).
/// </summary>
public sealed class FuzzTests
{
    private static readonly Guid Practice = Guid.Parse("0196f2a4-5b6c-7d8e-9f01-23456789abcd");

    private static readonly byte[][] ValidRequests = [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.json").Select(File.ReadAllBytes)];

    /// <summary>A byte string from <paramref name="seeds"/> with a few bytes flipped, cut, duplicated or inserted.</summary>
    private static Gen<byte[]> Mutations(byte[][] seeds) =>
        from seed in Gen.Int[0, seeds.Length - 1]
        from edits in Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 8]
        select Mutate(seeds[seed], edits);

    private static byte[] Mutate(byte[] source, (int Kind, int At, byte Value)[] edits)
    {
        var bytes = new List<byte>(source);
        foreach (var (kind, at, value) in edits)
        {
            var i = bytes.Count == 0 ? 0 : at % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[i] = value;
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(i, Math.Min(bytes.Count - i, 1 + (value % 16)));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.InsertRange(i, bytes.GetRange(i, Math.Min(bytes.Count - i, 1 + (value % 32))));
                    break;
                default:
                    bytes.Insert(i, value);
                    break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void RequestParser_RandomAndMutatedDocuments_NeverThrows()
    {
        var gen = Gen.Frequency<byte[]>((1, Gen.Byte.Array[0, 300]), (6, Mutations(ValidRequests)));
        Fuzz.Run(
            "request parser",
            gen,
            400,
            bytes =>
            {
                var result = RequestParser.Parse(bytes);
                Assert.True(result.Request is not null ^ result.Errors.Count > 0, "a parse gives a request or errors, never both or neither");
            },
            bytes => Convert.ToBase64String(bytes)
        );
    }

    [Fact]
    public void CheckpointReader_MutatedFiles_NeverThrows_AndOnlyWellFormedOnesParse()
    {
        var checkpoints = Enumerable
            .Range(0, 4)
            .Select(i => new AuditCheckpoint(Guid.NewGuid(), 1 + (i * 1000), RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch.AddDays(20_000 + i), RandomNumberGenerator.GetBytes(64), RandomNumberGenerator.GetBytes(32)) { Version = 1 + (i % 2) }.ToJson())
            .ToArray();
        Fuzz.Run(
            "checkpoint reader",
            Gen.Frequency<byte[]>((1, Gen.Byte.Array[0, 400]), (8, Mutations(checkpoints))),
            400,
            bytes =>
            {
                var parsed = AuditCheckpoint.Parse(bytes);
                Assert.True(parsed.Checkpoint is not null ^ parsed.Errors.Count > 0);
                if (parsed.Checkpoint is { } c)
                {
                    // What parses is a checkpoint that writes back to a file that parses to the same.
                    Assert.Equal(c.SignedBytes(), AuditCheckpoint.Parse(c.ToJson()).Checkpoint!.SignedBytes());
                }
            },
            bytes => Encoding.UTF8.GetString(bytes)
        );
    }

    private static readonly Gen<string?> AnyText = Gen.Frequency<string?>(
        (6, Gen.String[0, 40]),
        (1, Gen.Char.Array[600, 1200].Select(c => new string(c))),
        (1, Gen.Const((string?)null))
    );

    /// <summary>One way a chain is changed: which kind, where, and a value to use.</summary>
    private static readonly Gen<(int Kind, int At, int Other, string? Text, byte[] Bytes)> Edit = Gen.Select(
        Gen.Int[0, 11],
        Gen.Int[0, 1000],
        Gen.Int[0, 1000],
        AnyText,
        Gen.Byte.Array[0, 40]
    );

    [Fact]
    public void ChainVerifier_MutatedChains_NeverThrows_AndIsIntactExactlyWhenUnchanged()
    {
        var gen =
            from length in Gen.Int[0, 40]
            from v1 in Gen.Int[0, 40]
            from edits in Edit.Array[0, 4]
            select (length, v1, edits);
        Fuzz.Run(
            "chain verifier",
            gen,
            300,
            t =>
            {
                var original = Chain(t.length, formatOneUpTo: t.v1);
                var chain = original.ToList();
                foreach (var e in t.edits)
                {
                    Apply(chain, e);
                }
                var verifier = new AuditChainVerifier();
                foreach (var e in chain)
                {
                    if (!verifier.Add(e))
                    {
                        break;
                    }
                }
                var result = verifier.Complete();
                var unchanged = chain.Count >= original.Count && chain.Take(original.Count).SequenceEqual(original, Same.Instance) && chain.Count == original.Count;
                if (unchanged)
                {
                    Assert.True(result.Intact, result.Break?.ToString());
                }
                else if (result.Intact && original.Count > 0 && !(chain.Count > original.Count && chain.Take(original.Count).SequenceEqual(original, Same.Instance)))
                {
                    // Intact on its own after a change (a tail cut, or rewritten with recomputed hashes): a checkpoint of the original catches it.
                    var withCheckpoint = new AuditChainVerifier(original.Count, original[^1].Hash);
                    foreach (var e in chain)
                    {
                        if (!withCheckpoint.Add(e))
                        {
                            break;
                        }
                    }
                    Assert.False(withCheckpoint.Complete().Intact, "a changed chain holds even the original's checkpoint");
                }
                else if (!result.Intact)
                {
                    Assert.InRange(result.Break!.Sequence, 1, Math.Max(chain.Count, original.Count) + 1);
                }
            },
            t => $"length {t.length}, format 1 up to {t.v1}, edits {string.Join("; ", t.edits.Select(e => $"{e.Kind}@{e.At}/{e.Other} text={e.Text?.Length} bytes={e.Bytes.Length}"))}"
        );
    }

    private static void Apply(List<AuditRecord> chain, (int Kind, int At, int Other, string? Text, byte[] Bytes) edit)
    {
        if (chain.Count == 0)
        {
            return;
        }
        var i = edit.At % chain.Count;
        var j = edit.Other % chain.Count;
        var e = chain[i];
        switch (edit.Kind)
        {
            case 0:
                chain[i] = e with { Action = edit.Text! };
                break;
            case 1:
                chain[i] = e with { Detail = edit.Text };
                break;
            case 2:
                chain[i] = e with { Hash = edit.Bytes };
                break;
            case 3:
                chain[i] = e with { PrevHash = edit.Bytes };
                break;
            case 4:
                chain.RemoveAt(i);
                break;
            case 5:
                (chain[i], chain[j]) = (chain[j], chain[i]);
                break;
            case 6:
                chain.Insert(i, chain[j]);
                break;
            case 7:
                chain[i] = e with { Sequence = e.Sequence + edit.Other - 500 };
                break;
            case 8:
                chain[i] = e with { Format = edit.Other % 4 };
                break;
            case 9:
                var recomputed = e with { TargetId = edit.Text ?? "" };
                chain[i] = AuditChain.IsKnownFormat(recomputed.Format) ? recomputed with { Hash = AuditChain.ComputeHash(recomputed) } : recomputed;
                break;
            case 10:
                chain.RemoveRange(i, chain.Count - i);
                break;
            default:
                chain[i] = e with { At = e.At.AddTicks(edit.Other - 500) };
                break;
        }
    }

    private static List<AuditRecord> Chain(int n, int formatOneUpTo)
    {
        var chain = new List<AuditRecord>(n);
        var prev = AuditChain.Genesis.ToArray();
        var at = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= n; i++)
        {
            var e = new AuditRecord(Practice, i, at.AddSeconds(i), Guid.NewGuid(), "record.view", "record-item", Guid.NewGuid().ToString("N"), Guid.NewGuid(), i % 2 == 0 ? null : "category=progress-notes", prev, [], i <= formatOneUpTo ? 1 : 2);
            e = e with { Hash = AuditChain.ComputeHash(e) };
            chain.Add(e);
            prev = e.Hash;
        }
        return chain;
    }

    private sealed class Same : IEqualityComparer<AuditRecord>
    {
        public static readonly Same Instance = new();

        public bool Equals(AuditRecord x, AuditRecord y) =>
            x.PracticeId == y.PracticeId
            && x.Sequence == y.Sequence
            && x.At == y.At
            && x.ActorUserId == y.ActorUserId
            && x.Action == y.Action
            && x.TargetType == y.TargetType
            && x.TargetId == y.TargetId
            && x.ClientId == y.ClientId
            && (x.Detail ?? "") == (y.Detail ?? "")
            && x.PrevHash.AsSpan().SequenceEqual(y.PrevHash)
            && x.Hash.AsSpan().SequenceEqual(y.Hash)
            && x.Format == y.Format;

        public int GetHashCode(AuditRecord obj) => obj.Sequence.GetHashCode();
    }
}

/// <summary>
/// Runs a fuzz target: in the suite, <c>iterations</c> inputs from a fixed seed; with
/// <c>CONFIDE_FUZZ_SECONDS</c> set, as many inputs as fit in that time from a fresh seed (printed,
/// and taken from <c>CONFIDE_FUZZ_SEED</c> when set). A failure names the seed and iteration.
/// </summary>
internal static class Fuzz
{
    public static void Run<T>(string name, Gen<T> gen, int iterations, Action<T> assert, Func<T, string> print)
    {
        var seconds = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SECONDS") is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
        var seed = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SEED") is { Length: > 0 } given
            ? ulong.Parse(given, CultureInfo.InvariantCulture)
            : seconds > 0 ? (ulong)Environment.TickCount64 : 1;
        var clock = Stopwatch.StartNew();
        var count = 0;
        for (var i = 0; seconds > 0 ? clock.Elapsed.TotalSeconds < seconds : i < iterations; i++)
        {
            var pcg = new PCG(23, unchecked((seed * 0x9E3779B97F4A7C15UL) + (ulong)i));
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
#pragma warning disable CA1031 // any exception is a finding: report it with its input
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Assert.Fail($"fuzz {name}: failed at iteration {i} of seed {seed} (CONFIDE_FUZZ_SEED={seed}) for input:\n{print(value)}\n{ex.GetType().Name}: {ex.Message}");
            }
            count++;
        }
        if (seconds > 0)
        {
            TestContext.Current.SendDiagnosticMessage($"fuzz {name}: {count} inputs in {clock.Elapsed.TotalSeconds:F0} s, seed {seed}");
            Console.WriteLine($"fuzz {name}: {count} inputs in {clock.Elapsed.TotalSeconds:F0} s, seed {seed}, no failure");
        }
    }
}
