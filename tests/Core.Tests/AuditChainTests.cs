using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confide.Core.Audit;
using CsCheck;

namespace Confide.Core.Tests;

/// <summary>
/// The audit chain's arithmetic (no database): the canonical hash is byte-for-byte the one stored
/// chains were sealed with, and the verifier finds and names the first entry that was modified,
/// deleted, inserted or reordered, and what a checkpoint adds.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly Guid Practice = Guid.Parse("0196f2a4-5b6c-7d8e-9f01-23456789abcd");
    private static readonly Guid Actor = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly Guid Client = Guid.Parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 29, 12, 34, 56, TimeSpan.Zero).AddTicks(1234560);

    [Fact]
    public void ComputeHash_Format1GoldenVectors_MatchTheHashesStoredChainsWereSealedWith()
    {
        // Computed with the first implementation (IncrementalHash, commit 5e79f60) before the move to Core.
        var e1 = Record(1, At, Actor, "record.view", "record-item", "0123456789abcdef0123456789abcdef", Client, "category=billing", new byte[32]) with { Format = 1 };
        var h1 = AuditChain.ComputeHash(e1);
        var e2 = Record(2, At.AddSeconds(1), null, "client.list", "practice", Practice.ToString("N"), null, null, h1) with { Format = 1 };
        var h2 = AuditChain.ComputeHash(e2);
        var e3 = Record(3, At.AddSeconds(2), Actor, "client.view", "client", "x", Client, "note=ünïcødé ✓ 𝄞", h2) with { Format = 1 };

        Assert.Equal("337c96e7e68ca99966817714f4f1b1de96964504aa46138154e72de3959a347d", Convert.ToHexStringLower(h1));
        Assert.Equal("d9c1f043eb6b6b24b34012656e63a66591bf484630c9be026a69787fcc8646a0", Convert.ToHexStringLower(h2));
        Assert.Equal("81adb46cae3fd540f3ce98371ea18db52777bb7915f7d54213b1d063d6b15cdb", Convert.ToHexStringLower(AuditChain.ComputeHash(e3)));
    }

    [Fact]
    public void ComputeHash_Format2GoldenVectors_LeafAndLinkAreDomainSeparated()
    {
        // Computed outside .NET (Python hashlib): leaf = SHA-256(0x00 || fields), hash = SHA-256(0x01 || prev || leaf).
        var e1 = Record(1, At, Actor, "record.view", "record-item", "0123456789abcdef0123456789abcdef", Client, "category=billing", new byte[32]);
        var h1 = AuditChain.ComputeHash(e1);
        var e2 = Record(2, At.AddSeconds(1), null, "client.list", "practice", Practice.ToString("N"), null, null, h1);

        Assert.Equal(AuditChain.CurrentFormat, e1.Format);
        Assert.Equal("340925fd7924b50b6d49e3ca1159c343a87e99e1b529f3237718b80dc5ad55fa", Convert.ToHexStringLower(h1));
        Assert.Equal("317cf9d59acfd41dc40f1a5b1f6006703fdd283f2f763321510b5a6aea768092", Convert.ToHexStringLower(AuditChain.ComputeHash(e2)));
        // The same fields under format 1 hash differently: a verifier must know which rules apply.
        Assert.NotEqual(h1, AuditChain.ComputeHash(e1 with { Format = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditChain.ComputeHash(e1 with { Format = 3 }));
    }

    private static readonly Gen<Guid?> OptionalId = Gen.Bool.SelectMany(has => Gen.Guid.Select(id => has ? id : (Guid?)null));

    [Fact]
    public void ComputeHash_RandomEntries_EqualsTheReferenceDefinition()
    {
        var text = Gen.OneOf(Gen.String[0, 40], Gen.Char.AlphaNumeric.Array[0, 10].Select(c => new string(c)), Gen.Char.Array[0, 700].Select(c => new string(c)));
        var gen =
            from practice in Gen.Guid
            from sequence in Gen.Long
            from ticks in Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks]
            from actor in OptionalId
            from action in text
            from targetType in text
            from targetId in text
            from client in OptionalId
            from detail in text.Null()
            from prev in Gen.Byte.Array[0, 40]
            from format in Gen.Int[1, 2]
            select new AuditRecord(practice, sequence, new DateTimeOffset(ticks, TimeSpan.Zero), actor, action, targetType, targetId, client, detail, prev, [], format);

        Property.ForAll(
            gen,
            seed: 6,
            iterations: 400,
            r => Assert.Equal(Convert.ToHexStringLower(Reference(r)), Convert.ToHexStringLower(AuditChain.ComputeHash(r))),
            r => $"format {r.Format} {r.Sequence} {r.At.UtcTicks} action={r.Action.Length} chars detail={r.Detail?.Length} prev={r.PrevHash.Length} bytes"
        );
    }

    [Fact]
    public void Verify_IntactChain_ReportsCountAndHead()
    {
        var chain = Chain(12);

        var result = Run(chain);

        Assert.True(result.Intact);
        Assert.Equal(12, result.EntriesChecked);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
        Assert.True(AuditChain.Verify(chain));
        Assert.True(Run([]).Intact);
        Assert.Equal(AuditChain.Genesis.ToArray(), Run([]).HeadHash);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void Verify_FieldChanged_Modified(int sequence)
    {
        var chain = Chain(12);
        chain[sequence - 1] = chain[sequence - 1] with { Detail = "category=billing" };

        AssertBreak(Run(chain), AuditTamper.Modified, sequence);
    }

    [Fact]
    public void Verify_StoredHashOrPrevHashChanged_Modified()
    {
        var chain = Chain(8);
        chain[3] = chain[3] with { Hash = RandomNumberGenerator.GetBytes(32) };
        AssertBreak(Run(chain), AuditTamper.Modified, 4);

        chain = Chain(8);
        chain[3] = chain[3] with { PrevHash = RandomNumberGenerator.GetBytes(32) };
        AssertBreak(Run(chain), AuditTamper.Modified, 4);
    }

    [Fact]
    public void Verify_ChangedWithHashRecomputed_ModifiedAtThatEntry()
    {
        var chain = Chain(8);
        var changed = chain[3] with { Action = "client.list" };
        chain[3] = changed with { Hash = AuditChain.ComputeHash(changed) };

        var b = AssertBreak(Run(chain), AuditTamper.Modified, 4);
        Assert.Contains("hash recomputed", b.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_FirstEntryReplacedWithoutGenesis_ModifiedAt1()
    {
        var chain = Chain(4);
        var forged = chain[0] with { PrevHash = RandomNumberGenerator.GetBytes(32) };
        chain[0] = forged with { Hash = AuditChain.ComputeHash(forged) };

        AssertBreak(Run(chain), AuditTamper.Modified, 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Verify_EntryDeleted_Deleted(int sequence)
    {
        var chain = Chain(10);
        chain.RemoveAt(sequence - 1);

        var b = AssertBreak(Run(chain), AuditTamper.Deleted, sequence);
        Assert.Contains($"entry {sequence} is missing", b.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(6, 3)]
    [InlineData(8, 2)]
    public void Verify_EntriesDeletedAndRestRenumbered_Deleted(int sequence, int count)
    {
        var chain = Chain(10);
        chain.RemoveRange(sequence - 1, count);
        for (var i = sequence - 1; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Sequence = i + 1 };
        }

        var b = AssertBreak(Run(chain), AuditTamper.Deleted, sequence);
        Assert.Contains("renumbered", b.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(5, 1, false)]
    [InlineData(5, 3, false)]
    [InlineData(5, 1, true)]
    [InlineData(5, 2, true)]
    [InlineData(11, 1, true)]
    public void Verify_EntriesInsertedAndRestPushedAlong_Inserted(int at, int count, bool correctHashes)
    {
        var chain = Chain(10);
        var prev = at == 1 ? AuditChain.Genesis.ToArray() : chain[at - 2].Hash;
        var forged = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var f = Record(at + i, At, null, "client.view", "client", "forged", null, null, prev);
            f = f with { Hash = correctHashes ? AuditChain.ComputeHash(f) : RandomNumberGenerator.GetBytes(32) };
            forged.Add(f);
            prev = f.Hash;
        }
        chain.InsertRange(at - 1, forged);
        for (var i = at - 1 + count; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Sequence = i + 1 };
        }

        // Inserted at the very end with correct hashes is indistinguishable from an append (see docs/operations.md).
        var result = Run(chain);
        if (at == 11 && correctHashes)
        {
            Assert.True(result.Intact);
            return;
        }
        AssertBreak(result, AuditTamper.Inserted, at);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(3, 8)]
    [InlineData(1, 10)]
    [InlineData(9, 10)]
    public void Verify_TwoEntriesSwapped_Reordered(int first, int second)
    {
        var chain = Chain(10);
        (chain[first - 1], chain[second - 1]) = (chain[second - 1] with { Sequence = first }, chain[first - 1] with { Sequence = second });

        AssertBreak(Run(chain), AuditTamper.Reordered, first);
    }

    [Fact]
    public void Verify_DuplicateSequenceNumber_Inserted()
    {
        var chain = Chain(5);
        chain.Insert(3, chain[2]);

        AssertBreak(Run(chain), AuditTamper.Inserted, 3);
    }

    [Fact]
    public void Verify_AnySingleEdit_IsCaughtAtThatEntry()
    {
        var gen =
            from length in Gen.Int[1, 30]
            from index in Gen.Int[0, length - 1]
            from field in Gen.Int[0, 9]
            select (length, index, field);

        Property.ForAll(
            gen,
            seed: 11,
            iterations: 300,
            t =>
            {
                var chain = Chain(t.length);
                var e = chain[t.index];
                chain[t.index] = t.field switch
                {
                    0 => e with { PracticeId = Guid.NewGuid() },
                    1 => e with { At = e.At.AddTicks(10) },
                    2 => e with { ActorUserId = e.ActorUserId is null ? Actor : null },
                    3 => e with { Action = e.Action + "x" },
                    4 => e with { TargetType = "x" + e.TargetType },
                    5 => e with { TargetId = e.TargetId.ToUpperInvariant() + "0" },
                    6 => e with { ClientId = Guid.NewGuid() },
                    7 => e with { Detail = (e.Detail ?? "") + "x" },
                    8 => e with { Hash = [.. e.Hash[..31], (byte)(e.Hash[31] ^ 1)] },
                    _ => e with { PrevHash = [.. e.PrevHash[..31], (byte)(e.PrevHash[31] ^ 1)] },
                };
                var b = Run(chain).Break;
                Assert.NotNull(b);
                Assert.Equal(t.index + 1, b.Sequence);
            },
            t => $"chain of {t.length}, entry {t.index + 1}, field {t.field}"
        );
    }

    [Fact]
    public void Verify_AgainstCheckpoint_HoldsOnLongerChain_CatchesCutAndRewrittenTails()
    {
        var chain = Chain(10);
        var head = chain[6].Hash;

        Assert.True(Run(chain, 7, head).Intact);
        Assert.True(Run(chain[..7], 7, head).Intact);

        var cut = AssertBreak(Run(chain[..5], 7, head), AuditTamper.Truncated, 6);
        Assert.Contains("entries 6 to 7 (2) are cut from the end", cut.Description, StringComparison.Ordinal);
        AssertBreak(Run([], 7, head), AuditTamper.Truncated, 1);

        // Entry 3 edited and every later hash recomputed: consistent on its own, not with the checkpoint.
        var rewritten = Chain(10);
        rewritten[2] = rewritten[2] with { Detail = "category=billing" };
        for (var i = 2; i < rewritten.Count; i++)
        {
            var e = rewritten[i] with { PrevHash = i == 0 ? AuditChain.Genesis.ToArray() : rewritten[i - 1].Hash };
            rewritten[i] = e with { Hash = AuditChain.ComputeHash(e) };
        }
        Assert.True(Run(rewritten).Intact);
        AssertBreak(Run(rewritten, 7, head), AuditTamper.Rewritten, 7);

        // A break before the checkpoint's position is reported first.
        var broken = Chain(10);
        broken.RemoveAt(1);
        AssertBreak(Run(broken, 7, head), AuditTamper.Deleted, 2);
    }

    [Fact]
    public void Verify_IntactEntries_AllocateNothingPerEntry()
    {
        var chain = Chain(2000);
        Run(chain); // warm up
        var verifier = new AuditChainVerifier();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in chain)
        {
            verifier.Add(e);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2000, verifier.EntriesChecked);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated verifying 2000 entries");
    }

    [Fact]
    public void Checkpoint_Json_RoundTrips_AndTheSignedBytesCoverEveryField()
    {
        var c = new AuditCheckpoint(Practice, 42, RandomNumberGenerator.GetBytes(32), At, RandomNumberGenerator.GetBytes(64), RandomNumberGenerator.GetBytes(32));

        var json = c.ToJson();
        var parsed = AuditCheckpoint.Parse(json);

        Assert.Empty(parsed.Errors);
        var back = parsed.Checkpoint!;
        Assert.Equal((c.PracticeId, c.EntryCount, c.At), (back.PracticeId, back.EntryCount, back.At));
        Assert.Equal(c.HeadHash, back.HeadHash);
        Assert.Equal(c.Signature, back.Signature);
        Assert.Equal(c.PublicKey, back.PublicKey);
        Assert.Equal(c.SignedBytes(), back.SignedBytes());
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        var signed = c.SignedBytes();
        Assert.NotEqual(signed, (c with { PracticeId = Guid.NewGuid() }).SignedBytes());
        Assert.NotEqual(signed, (c with { EntryCount = 41 }).SignedBytes());
        Assert.NotEqual(signed, (c with { HeadHash = RandomNumberGenerator.GetBytes(32) }).SignedBytes());
        Assert.NotEqual(signed, (c with { At = c.At.AddTicks(1) }).SignedBytes());
        Assert.Equal(AuditCheckpoint.SignaturePrefix, signed[0]);
        Assert.StartsWith("confide-audit-checkpoint-v2", Encoding.ASCII.GetString(signed[5..]), StringComparison.Ordinal);
        Assert.Contains("\"format\": \"confide-audit-checkpoint-v2\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        // A checkpoint file made before format 2 is still read, and its signature covers the old message.
        var v1 = c with { Version = 1 };
        var v1Back = AuditCheckpoint.Parse(v1.ToJson()).Checkpoint!;
        Assert.Equal(1, v1Back.Version);
        Assert.StartsWith("confide-audit-checkpoint-v1", Encoding.ASCII.GetString(v1Back.SignedBytes()[4..]), StringComparison.Ordinal);
        Assert.NotEqual(signed, v1Back.SignedBytes());
    }

    [Fact]
    public void Verify_ChainMovingFromFormat1To2_Intact_ButNeverBack()
    {
        var chain = Chain(6, format: e => e <= 3 ? 1 : 2);
        Assert.Equal([1, 1, 1, 2, 2, 2], chain.Select(e => e.Format));
        Assert.True(Run(chain).Intact);

        // Entry 5 rewritten as a format-1 entry (hash recomputed under the old rules, links intact).
        var back = Chain(6, format: e => e <= 3 ? 1 : 2);
        var old = back[4] with { Format = 1 };
        back[4] = old with { Hash = AuditChain.ComputeHash(old) };
        var b = AssertBreak(Run(back), AuditTamper.Modified, 5);
        Assert.Contains("format 1 after entries in format 2", b.Description, StringComparison.Ordinal);

        // A format-1 row with correct hashes slipped in before entry 5 (the rest pushed along): inserted.
        var inserted = Chain(6, format: e => e <= 3 ? 1 : 2);
        var slipped = Record(5, At, null, "client.view", "client", "forged", null, null, inserted[3].Hash) with { Format = 1 };
        inserted.Insert(4, slipped with { Hash = AuditChain.ComputeHash(slipped) });
        for (var i = 5; i < inserted.Count; i++)
        {
            inserted[i] = inserted[i] with { Sequence = i + 1 };
        }
        AssertBreak(Run(inserted), AuditTamper.Inserted, 5);

        var unknown = Chain(4);
        unknown[1] = unknown[1] with { Format = 9 };
        AssertBreak(Run(unknown), AuditTamper.Modified, 2);
    }

    [Fact]
    public void Verify_AgainstSeveralCheckpoints_TheFirstNotHeldIsReported()
    {
        var chain = Chain(10);
        (long, byte[])[] checkpoints = [(3, chain[2].Hash), (7, chain[6].Hash), (10, chain[9].Hash)];

        Assert.True(RunAll(chain, checkpoints).Intact);
        AssertBreak(RunAll(chain[..8], checkpoints), AuditTamper.Truncated, 9);
        AssertBreak(RunAll(chain[..5], checkpoints), AuditTamper.Truncated, 6);

        // A checkpoint whose head is not the chain's at its count (rewritten chain, or a checkpoint of another chain).
        (long, byte[])[] wrong = [(3, chain[2].Hash), (7, RandomNumberGenerator.GetBytes(32)), (10, chain[9].Hash)];
        var b = AssertBreak(RunAll(chain, wrong), AuditTamper.Rewritten, 7);
        Assert.Contains("checkpoint of 7 entries", b.Description, StringComparison.Ordinal);

        static AuditChainResult RunAll(IEnumerable<AuditRecord> chain, (long, byte[])[] checkpoints)
        {
            var verifier = new AuditChainVerifier(checkpoints);
            foreach (var e in chain)
            {
                if (!verifier.Add(e))
                {
                    break;
                }
            }
            return verifier.Complete();
        }
    }

    [Theory]
    [InlineData("", "$: not valid JSON")]
    [InlineData("{", "$: not valid JSON")]
    [InlineData("[]", "$: expected a checkpoint object")]
    [InlineData("""{"format":"confide-audit-checkpoint-v1"}""", "$.practiceId: missing")]
    [InlineData("""{"extra":1}""", "$.extra: unknown property")]
    public void Checkpoint_Parse_Malformed_NamesThePath(string json, string error)
    {
        var parsed = AuditCheckpoint.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(parsed.Checkpoint);
        Assert.Contains(parsed.Errors, e => e.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Checkpoint_Parse_WrongValues_EachNamed()
    {
        var json = """
            {"format":"v0","practiceId":"nope","entryCount":0,"headHash":"abcd","at":"yesterday","signature":"AA==","publicKey":7}
            """;

        var errors = AuditCheckpoint.Parse(Encoding.UTF8.GetBytes(json)).Errors;

        Assert.Equal(
            [
                "$.format: expected \"confide-audit-checkpoint-v2\" (or \"confide-audit-checkpoint-v1\"), got \"v0\"",
                "$.practiceId: expected a practice identifier (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                "$.entryCount: expected a whole number of at least 1",
                "$.headHash: expected 32 bytes in hex",
                "$.at: expected a time like 2026-11-29T12:00:00.0000000Z",
                "$.signature: expected 64 bytes in base64",
                "$.publicKey: expected a string",
            ],
            errors
        );
    }

    [Fact]
    public void Checkpoint_Parse_DuplicateOrOversized_Refused()
    {
        var c = new AuditCheckpoint(Practice, 1, new byte[32], At, new byte[64], new byte[32]);
        var json = Encoding.UTF8.GetString(c.ToJson());
        var duplicate = json.Replace("\"entryCount\": 1,", "\"entryCount\": 1, \"entryCount\": 2,", StringComparison.Ordinal);

        Assert.Contains("$.entryCount: duplicate property", AuditCheckpoint.Parse(Encoding.UTF8.GetBytes(duplicate)).Errors);
        Assert.StartsWith("$: the file is larger than", AuditCheckpoint.Parse(new byte[AuditCheckpoint.MaxFileBytes + 1]).Errors[0], StringComparison.Ordinal);
        Assert.NotNull(AuditCheckpoint.Parse([0xEF, 0xBB, 0xBF, .. c.ToJson()]).Checkpoint);
    }

    [Fact]
    public void AddMalformed_BreaksTheChainWhereTheRowStands_UnlessAnEarlierEntryFailedFirst()
    {
        var chain = Chain(4);
        var verifier = new AuditChainVerifier();
        Assert.True(verifier.Add(chain[0]));
        Assert.True(verifier.Add(chain[1]));

        Assert.False(verifier.AddMalformed(3, "At is NULL"));
        var result = verifier.Complete();
        var b = AssertBreak(result, AuditTamper.Malformed, 3);
        Assert.Equal(2, result.EntriesChecked);
        Assert.Contains("(numbered 3)", b.Description, StringComparison.Ordinal);
        Assert.Contains("At is NULL", b.Description, StringComparison.Ordinal);

        // An unreadable number still breaks at the next position; an earlier failure keeps its own kind.
        var unnumbered = new AuditChainVerifier();
        Assert.False(unnumbered.AddMalformed(null, "Sequence is NULL"));
        AssertBreak(unnumbered.Complete(), AuditTamper.Malformed, 1);
        var modified = new AuditChainVerifier();
        modified.Add(chain[0]);
        modified.Add(chain[1] with { Action = "record.edit" });
        modified.AddMalformed(3, "Hash is NULL");
        Assert.NotEqual(AuditTamper.Malformed, modified.Complete().Break?.Kind);
    }

    private static AuditChainResult Run(IEnumerable<AuditRecord> chain, long checkpointCount = 0, byte[]? checkpointHead = null)
    {
        var verifier = checkpointHead is null ? new AuditChainVerifier() : new AuditChainVerifier(checkpointCount, checkpointHead);
        foreach (var e in chain)
        {
            if (!verifier.Add(e))
            {
                break;
            }
        }
        return verifier.Complete();
    }

    private static AuditChainBreak AssertBreak(AuditChainResult result, AuditTamper kind, long sequence)
    {
        Assert.NotNull(result.Break);
        Assert.True(result.Break.Kind == kind && result.Break.Sequence == sequence, $"expected {kind} at {sequence}, got {result.Break}");
        return result.Break;
    }

    /// <summary>A sealed chain of <paramref name="n"/> entries, as the data layer seals them.</summary>
    private static List<AuditRecord> Chain(int n, Func<int, int>? format = null)
    {
        var chain = new List<AuditRecord>(n);
        var prev = AuditChain.Genesis.ToArray();
        for (var i = 1; i <= n; i++)
        {
            var e = Record(i, At.AddSeconds(i), i % 3 == 0 ? null : Actor, "record.view", "record-item", Guid.NewGuid().ToString("N"), Client, i % 2 == 0 ? null : "category=progress-notes", prev)
                with { Format = format?.Invoke(i) ?? AuditChain.CurrentFormat };
            e = e with { Hash = AuditChain.ComputeHash(e) };
            chain.Add(e);
            prev = e.Hash;
        }
        return chain;
    }

    private static AuditRecord Record(long sequence, DateTimeOffset at, Guid? actor, string action, string targetType, string targetId, Guid? client, string? detail, byte[] prev) =>
        new(Practice, sequence, at, actor, action, targetType, targetId, client, detail, prev, []);

    /// <summary>
    /// The canonical hash by its definition (IncrementalHash over length-prefixed UTF-8 fields): format 1
    /// as first defined; format 2 the leaf over 0x00 and the format-2 fields, then the link over 0x01,
    /// the previous hash and the leaf. The oracle.
    /// </summary>
    private static byte[] Reference(AuditRecord e)
    {
        if (e.Format == 2)
        {
            using var leaf = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            leaf.AppendData([0x00]);
            Fields(leaf, "confide-audit-v2", e);
            using var link = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            link.AppendData([0x01]);
            link.AppendData(e.PrevHash);
            link.AppendData(leaf.GetHashAndReset());
            return link.GetHashAndReset();
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Fields(hash, "confide-audit-v1", e);
        hash.AppendData(e.PrevHash);
        return hash.GetHashAndReset();
    }

    private static void Fields(IncrementalHash hash, string tag, AuditRecord e)
    {
        Field(hash, tag);
        Field(hash, e.PracticeId.ToString("N"));
        Field(hash, e.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(hash, e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(hash, e.ActorUserId?.ToString("N") ?? "");
        Field(hash, e.Action);
        Field(hash, e.TargetType);
        Field(hash, e.TargetId);
        Field(hash, e.ClientId?.ToString("N") ?? "");
        Field(hash, e.Detail ?? "");

        static void Field(IncrementalHash hash, string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
    }
}
