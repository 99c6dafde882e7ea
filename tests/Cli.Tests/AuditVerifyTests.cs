using Confide.Core.Audit;
using Confide.Data.Audit;
using Microsoft.Extensions.DependencyInjection;
using CoreChain = Confide.Core.Audit.AuditChain;
using DataChain = Confide.Data.Audit.AuditSealer;

namespace Confide.Cli.Tests;

/// <summary>
/// <c>confide audit verify</c> on chains built through the data layer, then tampered with directly
/// in SQL in each way it can be: exit 0 intact, 3 tampered (with the first bad entry and the kind),
/// 2 cannot verify. Each test has a practice of its own in the class's database.
/// </summary>
public abstract class AuditVerifyTests<TStore>(TStore store) : IClassFixture<TStore>
    where TStore : AuditStore
{
    private const int Entries = 10;

    [Fact]
    public async Task Verify_IntactChain_Exit0_PrintsEntriesAndHeadHash()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var head = (await store.EntriesAsync(practice))[^1].Hash;

        var r = store.Cli("audit", "verify", "--practice", practice.ToString());

        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains($"practice {practice:D}: intact, {Entries} entries, head {Convert.ToHexStringLower(head)}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit log intact: 1 practice, 10 entries checked.", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public async Task Verify_ModifiedField_Exit3_Modified()
    {
        var practice = await store.NewPracticeAsync(Entries);

        Assert.Equal(1, await store.SqlAsync($"""UPDATE "AuditEntries" SET "Detail" = 'category=billing' WHERE "PracticeId" = {practice} AND "Sequence" = 4"""));

        AssertTampered(practice, 4, "modified");
    }

    [Fact]
    public async Task Verify_ModifiedWithHashRecomputed_Exit3_Modified()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var entry = (await store.EntriesAsync(practice))[3];
        entry.Action = AuditActions.ClientList;
        var hash = DataChain.ComputeHash(entry);

        Assert.Equal(
            1,
            await store.SqlAsync($"""UPDATE "AuditEntries" SET "Action" = {entry.Action}, "Hash" = {hash} WHERE "PracticeId" = {practice} AND "Sequence" = 4""")
        );

        var r = AssertTampered(practice, 4, "modified");
        Assert.Contains("hash recomputed", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedMiddleRow_Exit3_Deleted()
    {
        var practice = await store.NewPracticeAsync(Entries);

        Assert.Equal(1, await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" = 6"""));

        AssertTampered(practice, 6, "deleted");
    }

    [Fact]
    public async Task Verify_DeletedRowAndRenumbered_Exit3_Deleted()
    {
        var practice = await store.NewPracticeAsync(Entries);

        await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" = 6""");
        await Shift(practice, from: 7, by: -1);

        AssertTampered(practice, 6, "deleted");
    }

    [Fact]
    public async Task Verify_InsertedForgedRow_Exit3_Inserted()
    {
        var practice = await store.NewPracticeAsync(Entries);

        await InsertForged(practice, at: 5);

        AssertTampered(practice, 5, "inserted");
    }

    [Fact]
    public async Task Verify_InsertedForgedRowWithCorrectHashes_Exit3_Inserted()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var forged = await InsertForged(practice, at: 5);
        // The forger knows the algorithm: the row links to entry 4 and hashes right at 5.
        var row = (await store.EntriesAsync(practice)).Single(e => e.Id == forged);
        var hash = DataChain.ComputeHash(row);
        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Hash" = {hash} WHERE "Id" = {forged}""");

        AssertTampered(practice, 5, "inserted");
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(3, 8)]
    [InlineData(1, 10)]
    public async Task Verify_SwappedSequenceNumbers_Exit3_Reordered(int first, int second)
    {
        var practice = await store.NewPracticeAsync(Entries);

        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Sequence" = -1 WHERE "PracticeId" = {practice} AND "Sequence" = {first}""");
        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Sequence" = {first} WHERE "PracticeId" = {practice} AND "Sequence" = {second}""");
        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Sequence" = {second} WHERE "PracticeId" = {practice} AND "Sequence" = -1""");

        AssertTampered(practice, first, "reordered");
    }

    [Fact]
    public async Task Verify_LastRowsCut_Exit0WithoutCheckpoint_Exit3AgainstOne()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var file = Path.Combine(store.Dir.FullName, $"checkpoint-{practice:N}.json");
        var made = store.Cli("audit", "checkpoint", "--out", file, "--practice", practice.ToString());
        Assert.True(made.Code == 0, made.ToString());

        Assert.Equal(2, await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" > 8"""));

        var alone = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(alone.Code == 0, "a chain cut at the end is still a chain: " + alone);
        Assert.Contains("intact, 8 entries", alone.Stdout, StringComparison.Ordinal);
        var against = AssertTampered(practice, 9, "cut from the end", "--checkpoint", file);
        Assert.Contains("entries 9 to 10 (2) are cut from the end", against.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChainRewrittenWithRecomputedHashes_Exit0WithoutCheckpoint_Exit3AgainstOne()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var file = Path.Combine(store.Dir.FullName, $"checkpoint-{practice:N}.json");
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--out", file, "--practice", practice.ToString()).Code);

        // Edit entry 3 and recompute every hash after it: the chain is consistent again.
        var entries = await store.EntriesAsync(practice);
        entries[2].Detail = "category=billing";
        for (var i = 2; i < entries.Count; i++)
        {
            entries[i].PrevHash = entries[i - 1].Hash;
            entries[i].Hash = DataChain.ComputeHash(entries[i]);
            await store.SqlAsync(
                $"""UPDATE "AuditEntries" SET "Detail" = {entries[i].Detail}, "PrevHash" = {entries[i].PrevHash}, "Hash" = {entries[i].Hash} WHERE "Id" = {entries[i].Id}"""
            );
        }

        Assert.Equal(0, store.Cli("audit", "verify", "--practice", practice.ToString()).Code);
        AssertTampered(practice, Entries, "rewritten", "--checkpoint", file);
    }

    [Fact]
    public async Task Checkpoint_WritesSignedFile_KeyCreatedBesideMasterKey_VerifyHoldsAfterMoreEntries()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var file = Path.Combine(store.Dir.FullName, $"checkpoint-{practice:N}.json");

        var made = store.Cli("audit", "checkpoint", "--out", file, "--practice", practice.ToString());

        Assert.True(made.Code == 0, made.ToString());
        Assert.True(File.Exists(store.SigningKeyFile), "the signing key is created beside the master key file");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.SigningKeyFile));
        }
        var checkpoint = AuditCheckpoint.Parse(File.ReadAllBytes(file)).Checkpoint;
        Assert.NotNull(checkpoint);
        Assert.Equal(practice, checkpoint.PracticeId);
        Assert.Equal(Entries, checkpoint.EntryCount);
        Assert.Equal((await store.EntriesAsync(practice))[^1].Hash, checkpoint.HeadHash);
        Assert.Equal(CliRunner.Now, checkpoint.At);
        Assert.True(AuditSigningKey.SignatureValid(checkpoint));

        await store.AppendAsync(practice, 3);
        var r = store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file);

        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("signature valid", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("(this installation's key)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"intact, {Entries + 3} entries", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("holds the checkpoint", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_OfATamperedChain_Exit3_WritesNothing()
    {
        var practice = await store.NewPracticeAsync(Entries);
        await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" = 2""");
        var file = Path.Combine(store.Dir.FullName, $"checkpoint-{practice:N}.json");

        var r = store.Cli("audit", "checkpoint", "--out", file, "--practice", practice.ToString());

        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED at entry 2: deleted", r.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Verify_ForgedCheckpoint_BadSignature_Exit2()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var file = Path.Combine(store.Dir.FullName, $"checkpoint-{practice:N}.json");
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--out", file, "--practice", practice.ToString()).Code);
        // Lower the count so that a cut chain would pass: the signature no longer covers it.
        File.WriteAllText(file, File.ReadAllText(file).Replace($"\"entryCount\": {Entries}", "\"entryCount\": 3", StringComparison.Ordinal));

        var r = store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("the signature does not verify", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Verify_CheckpointSignedByAnotherKey_Exit2()
    {
        var practice = await store.NewPracticeAsync(Entries);
        var ours = Path.Combine(store.Dir.FullName, $"ours-{practice:N}.json");
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--out", ours, "--practice", practice.ToString()).Code);
        // A validly signed checkpoint from someone else's key, for a chain cut to 3 entries.
        using var other = AuditSigningKey.LoadOrCreate(Path.Combine(store.Dir.FullName, $"other-{practice:N}.key"));
        var entries = await store.EntriesAsync(practice);
        var forged = other.Sign(practice, 3, entries[2].Hash, CliRunner.Now);
        var file = Path.Combine(store.Dir.FullName, $"forged-{practice:N}.json");
        File.WriteAllBytes(file, forged.ToJson());

        var r = store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("not by this installation's key", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"format":"confide-audit-checkpoint-v1"}""")]
    [InlineData(
        """{"format":"confide-audit-checkpoint-v1","practiceId":"0196f2a4-5b6c-7d8e-9f01-23456789abcd","entryCount":3,"headHash":"zz","at":"2026-11-29T12:00:00Z","signature":"AA==","publicKey":"AA=="}"""
    )]
    public async Task Verify_MalformedCheckpointFile_Exit2_NamesTheProblem(string content)
    {
        var practice = await store.NewPracticeAsync(2);
        var file = Path.Combine(store.Dir.FullName, $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, content);

        var r = store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("is not a well-formed checkpoint", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}: $", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Verify_CheckpointFileMissing_Exit2()
    {
        var r = store.Cli("audit", "verify", "--checkpoint", Path.Combine(store.Dir.FullName, "absent.json"));

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("no such file", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-guid", "expected a practice id")]
    [InlineData("0196f2a4-5b6c-7d8e-9f01-23456789abcd", "no practice 0196f2a4-5b6c-7d8e-9f01-23456789abcd in the database")]
    public void Verify_BadPractice_Exit2(string practice, string message)
    {
        var r = store.Cli("audit", "verify", "--practice", practice);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ConcurrentWriters_NeverForkOrGap()
    {
        const int Writers = 24;
        var practice = await store.NewPracticeAsync(0);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable
            .Range(0, Writers)
            .Select(i =>
                Task.Run(
                    async () =>
                    {
                        await start.Task;
                        await store.AppendAsync(practice, count: i % 4 == 0 ? 2 : 1, inTransaction: i % 3 == 0);
                    },
                    TestContext.Current.CancellationToken
                )
            )
            .ToList();
        // The web app's checkpoint service signs the chain while writers append: each checkpoint is of a committed prefix.
        tasks.AddRange(
            Enumerable
                .Range(0, 4)
                .Select(_ =>
                    Task.Run(
                        async () =>
                        {
                            await start.Task;
                            await using var scope = store.Services.CreateAsyncScope();
                            var db = scope.ServiceProvider.GetRequiredService<Confide.Data.ConfideDbContext>();
                            var key = scope.ServiceProvider.GetRequiredService<AuditSigningKey>();
                            var (verification, _) = await AuditCheckpoints.WriteAsync(db, key, practice, store.Time.GetUtcNow(), TestContext.Current.CancellationToken);
                            Assert.True(verification.Intact, verification.Chain.Break?.ToString());
                        },
                        TestContext.Current.CancellationToken
                    )
                )
        );
        start.SetResult();
        await Task.WhenAll(tasks);

        var expected = Enumerable.Range(0, Writers).Sum(i => i % 4 == 0 ? 2 : 1);
        var entries = await store.EntriesAsync(practice);
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.True(CoreChain.Verify(entries.Select(e => e.ToRecord())));
        var r = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains($"intact, {expected} entries", r.Stdout, StringComparison.Ordinal);
    }

    private CliResult AssertTampered(Guid practice, long sequence, string kind, params string[] more)
    {
        var r = store.Cli(["audit", "verify", "--practice", practice.ToString(), .. more]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED at entry {sequence}: {kind}: ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit log TAMPERED: 1 of 1 practice.", r.Stdout, StringComparison.Ordinal);
        return r;
    }

    /// <summary>Renumbers the practice's entries from <paramref name="from"/> on (through a range no entry uses, so the unique index never sees two alike).</summary>
    private async Task Shift(Guid practice, long from, long by)
    {
        const long Aside = 1_000_000;
        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Sequence" = "Sequence" + {Aside} WHERE "PracticeId" = {practice} AND "Sequence" >= {from}""");
        await store.SqlAsync($"""UPDATE "AuditEntries" SET "Sequence" = "Sequence" - {Aside - by} WHERE "PracticeId" = {practice} AND "Sequence" >= {Aside}""");
    }

    /// <summary>Pushes entries from <paramref name="at"/> on one place along and inserts a forged copy of the original entry there (linked to the entry before it, a made-up hash).</summary>
    private async Task<Guid> InsertForged(Guid practice, long at)
    {
        await Shift(practice, from: at, by: 1);
        var id = Guid.NewGuid();
        var fakeHash = new byte[32];
        fakeHash.AsSpan().Fill(0xAB);
        Assert.Equal(
            1,
            await store.SqlAsync(
                $"""
                INSERT INTO "AuditEntries" ("Id", "PracticeId", "Sequence", "At", "ActorUserId", "Action", "TargetType", "TargetId", "ClientId", "Detail", "PrevHash", "Hash")
                SELECT {id}, "PracticeId", {at}, "At", "ActorUserId", "Action", "TargetType", "TargetId", "ClientId", 'category=billing', "PrevHash", {fakeHash}
                FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" = {at + 1}
                """
            )
        );
        return id;
    }
}

public sealed class SqliteAuditVerifyTests(SqliteStore store) : AuditVerifyTests<SqliteStore>(store);

public sealed class PostgresAuditVerifyTests(PostgresStore store) : AuditVerifyTests<PostgresStore>(store);
