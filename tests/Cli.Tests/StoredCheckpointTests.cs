using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Cli.Tests;

/// <summary>
/// Signed checkpoints stored in the database: written when due (the web app's checkpoint service
/// runs exactly <see cref="AuditCheckpoints.DueAsync"/> then <see cref="AuditCheckpoints.WriteAsync"/>)
/// and on demand (<c>confide audit checkpoint --store</c>); <c>confide audit verify</c> checks every
/// chain against every one, so entries cut from the end are caught without an exported file, and a
/// forged stored checkpoint is reported as tampering (exit 3).
/// </summary>
public abstract class StoredCheckpointTests<TStore>(TStore store) : IClassFixture<TStore>
    where TStore : AuditStore
{
    [Fact]
    public async Task Store_OnDemand_ThenEntriesCutFromTheEnd_Exit3_Truncated()
    {
        var practice = await store.NewPracticeAsync(10);

        var stored = store.Cli("audit", "checkpoint", "--store", "--practice", practice.ToString());
        Assert.True(stored.Code == 0, stored.ToString());
        Assert.Contains($"Checkpoint stored in the database: practice {practice:D}, 10 entries", stored.Stdout, StringComparison.Ordinal);
        var rows = await Checkpoints(practice);
        Assert.Equal(10, Assert.Single(rows).EntryCount);
        Assert.Equal((await store.EntriesAsync(practice))[^1].Hash, rows[0].HeadHash);

        var intact = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(intact.Code == 0, intact.ToString());
        Assert.Contains("intact, 10 entries", intact.Stdout, StringComparison.Ordinal);
        Assert.Contains("holds 1 stored checkpoint", intact.Stdout, StringComparison.Ordinal);
        Assert.Contains("against 1 stored checkpoint.", intact.Stdout, StringComparison.Ordinal);

        // The last three entries removed: every remaining link is intact, only the checkpoint knows.
        Assert.Equal(3, await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice} AND "Sequence" > 7"""));

        var r = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED at entry 8: cut from the end: the chain ends at entry 7, but a checkpoint counted 10", r.Stdout, StringComparison.Ordinal);
        // And no new checkpoint is signed over the cut chain.
        var again = store.Cli("audit", "checkpoint", "--store", "--practice", practice.ToString());
        Assert.True(again.Code == 3, again.ToString());
        Assert.Single(await Checkpoints(practice));
    }

    [Fact]
    public async Task StoredCheckpoint_Forged_Exit3_NamesIt()
    {
        var practice = await store.NewPracticeAsync(6);
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--store", "--practice", practice.ToString()).Code);
        var id = Assert.Single(await Checkpoints(practice)).Id;

        // Lowered to 3 so that a chain cut to 3 would pass: the signature no longer covers it.
        Assert.Equal(1, await store.SqlAsync($"""UPDATE "AuditCheckpoints" SET "EntryCount" = 3 WHERE "Id" = {id}"""));

        var r = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED: stored checkpoint {id:D} (of 3 entries) is forged: its signature does not verify", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit log TAMPERED: 1 of 1 practice.", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredCheckpoint_SignedByAnotherKey_Exit3()
    {
        var practice = await store.NewPracticeAsync(6);
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--store", "--practice", practice.ToString()).Code);
        var entries = await store.EntriesAsync(practice);
        // Someone with the database but not the key signs a checkpoint of a chain cut to 4 with a key of their own.
        using var other = AuditSigningKey.LoadOrCreate(Path.Combine(store.Dir.FullName, $"other-{practice:N}.key"));
        var forged = other.Sign(practice, 4, entries[3].Hash, store.Time.GetUtcNow());
        var row = new StoredCheckpoint
        {
            PracticeId = practice,
            EntryCount = 4,
            HeadHash = forged.HeadHash,
            At = forged.At,
            Signature = forged.Signature,
            PublicKey = forged.PublicKey,
            KeyId = other.Id,
        };
        await using (var scope = store.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.AuditCheckpoints.Add(row);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var r = store.Cli("audit", "verify", "--practice", practice.ToString());
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"stored checkpoint {row.Id:D} (of 4 entries) is forged: signed by key {other.Id}, not by this installation's key", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Due_AfterEveryNEntriesOrTheInterval_AndWriteVerifiesFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        var interval = TimeSpan.FromHours(1);
        var practice = await store.NewPracticeAsync(5);
        // A time with ticks below the microsecond, which PostgreSQL does not keep: the signatures must still verify after the round trip.
        store.Time.Advance(TimeSpan.FromTicks(1_234_567));
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var key = scope.ServiceProvider.GetRequiredService<AuditSigningKey>();
        async Task<bool> Due() => (await AuditCheckpoints.DueAsync(db, store.Time.GetUtcNow(), interval, 3, ct)).Contains(practice);
        async Task<StoredCheckpoint?> Write() => (await AuditCheckpoints.WriteAsync(db, key, practice, store.Time.GetUtcNow(), ct)).Written;

        Assert.True(await Due()); // entries and no checkpoint yet
        Assert.Equal(5, (await Write())!.EntryCount);
        Assert.False(await Due());
        Assert.Null(await Write()); // the head already has one

        await store.AppendAsync(practice, 2);
        Assert.False(await Due()); // 2 of 3 entries, well within the hour
        await store.AppendAsync(practice, 1);
        Assert.True(await Due()); // 3 entries since
        Assert.Equal(8, (await Write())!.EntryCount);

        await store.AppendAsync(practice, 1);
        Assert.False(await Due());
        store.Time.Advance(interval);
        Assert.True(await Due()); // the interval passed
        Assert.Equal(9, (await Write())!.EntryCount);

        // A tampered chain is never signed.
        Assert.Equal(1, await store.SqlAsync($"""UPDATE "AuditEntries" SET "Detail" = 'category=billing' WHERE "PracticeId" = {practice} AND "Sequence" = 2"""));
        await store.AppendAsync(practice, 3);
        var (verification, written) = await AuditCheckpoints.WriteAsync(db, key, practice, store.Time.GetUtcNow(), ct);
        Assert.Null(written);
        Assert.Equal(2, verification.Chain.Break?.Sequence);
        Assert.Equal([5L, 8L, 9L], (await Checkpoints(practice)).Select(c => c.EntryCount));
        Assert.All(await Checkpoints(practice), c => Assert.Null(AuditCheckpoints.Problem(c, key.PublicKey)));
    }

    [Fact]
    public async Task CliOutput_NamesNumbersAndHashesOnly_NeverAnEntrysContent()
    {
        var practice = await store.NewPracticeAsync(5);
        var marker = $"clientmark{Guid.NewGuid():N}";
        var file = Path.Combine(store.Dir.FullName, $"out-{practice:N}.json");
        var outputs = new List<CliResult>
        {
            store.Cli("audit", "checkpoint", "--store", "--out", file, "--practice", practice.ToString()),
            store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file),
        };
        // Someone writes client content into an entry (and into a forged checkpoint's key id): the reports name the entry, not what it holds.
        Assert.Equal(1, await store.SqlAsync($"""UPDATE "AuditEntries" SET "Detail" = {marker}, "TargetId" = {marker[..32]} WHERE "PracticeId" = {practice} AND "Sequence" = 3"""));
        Assert.Equal(1, await store.SqlAsync($"""UPDATE "AuditCheckpoints" SET "KeyId" = {marker[..16]} WHERE "PracticeId" = {practice}"""));
        outputs.Add(store.Cli("audit", "verify", "--practice", practice.ToString()));
        outputs.Add(store.Cli("audit", "verify", "--practice", practice.ToString(), "--checkpoint", file));
        outputs.Add(store.Cli("audit", "checkpoint", "--store", "--out", file + ".2", "--practice", practice.ToString()));

        Assert.Equal([0, 0, 3, 3, 3], outputs.Select(r => r.Code));
        Assert.Contains("TAMPERED at entry 3: modified", outputs[2].Stdout, StringComparison.Ordinal);
        Assert.Contains("is forged: its key id is not its public key's", outputs[2].Stdout, StringComparison.Ordinal);
        Assert.All(outputs, r => Assert.DoesNotContain(marker[..16], r.Stdout + r.Stderr, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<List<StoredCheckpoint>> Checkpoints(Guid practice)
    {
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        return await db.AuditCheckpoints.AsNoTracking()
            .Where(c => c.PracticeId == practice)
            .OrderBy(c => c.EntryCount)
            .ToListAsync(TestContext.Current.CancellationToken);
    }
}

public sealed class SqliteStoredCheckpointTests(SqliteStore store) : StoredCheckpointTests<SqliteStore>(store);

public sealed class PostgresStoredCheckpointTests(PostgresStore store) : StoredCheckpointTests<PostgresStore>(store);
