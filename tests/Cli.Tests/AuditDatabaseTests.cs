using Microsoft.Extensions.Configuration;

namespace Confide.Cli.Tests;

/// <summary>The audit commands over a whole database (every practice), each test with a database of its own; and databases that cannot be read.</summary>
public abstract class AuditDatabaseTests<TStore>
    where TStore : AuditStore, new()
{
    [Fact]
    public async Task Verify_EveryPractice_Exit0_ThenOneTampered_Exit3_NamingOnlyThatOne()
    {
        await using var store = new TStore();
        await store.InitializeAsync();
        var first = await store.NewPracticeAsync(5);
        var second = await store.NewPracticeAsync(7);

        var intact = store.Cli("audit", "verify");

        Assert.True(intact.Code == 0, intact.ToString());
        Assert.Contains($"practice {first:D}: intact, 5 entries", intact.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice {second:D}: intact, 7 entries", intact.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit log intact: 2 practices, 12 entries checked.", intact.Stdout, StringComparison.Ordinal);

        await store.SqlAsync($"""UPDATE "AuditEntries" SET "TargetType" = 'client' WHERE "PracticeId" = {second} AND "Sequence" = 7""");
        var tampered = store.Cli("audit", "verify");

        Assert.True(tampered.Code == 3, tampered.ToString());
        Assert.Contains($"practice {first:D}: intact, 5 entries", tampered.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice {second:D}: TAMPERED at entry 7: modified: ", tampered.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit log TAMPERED: 1 of 2 practices.", tampered.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_SeveralPracticesWithoutPractice_Exit2_ListsThem()
    {
        await using var store = new TStore();
        await store.InitializeAsync();
        var first = await store.NewPracticeAsync(1);
        var second = await store.NewPracticeAsync(1);

        var r = store.Cli("audit", "checkpoint", "--out", Path.Combine(store.Dir.FullName, "c.json"));

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("name one with --practice", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(first.ToString("D"), r.Stderr, StringComparison.Ordinal);
        Assert.Contains(second.ToString("D"), r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EveryEntryOfAPracticeDeleted_CaughtOnlyAgainstItsCheckpoint()
    {
        await using var store = new TStore();
        await store.InitializeAsync();
        var practice = await store.NewPracticeAsync(4);
        var file = Path.Combine(store.Dir.FullName, "c.json");
        Assert.Equal(0, store.Cli("audit", "checkpoint", "--out", file).Code);

        await store.SqlAsync($"""DELETE FROM "AuditEntries" WHERE "PracticeId" = {practice}""");

        Assert.Equal(0, store.Cli("audit", "verify").Code);
        var r = store.Cli("audit", "verify", "--checkpoint", file);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED at entry 1: cut from the end", r.Stdout, StringComparison.Ordinal);
    }
}

public sealed class SqliteAuditDatabaseTests : AuditDatabaseTests<SqliteStore>
{
    [Fact]
    public async Task Verify_AnEntrysPracticeIdNotAnId_Exit3_NamesTheRows_NotACrash()
    {
        await using var store = new SqliteStore();
        await store.InitializeAsync();
        var practice = await store.NewPracticeAsync(4);

        // As someone with the database file would: foreign keys are a setting of their own connection.
        await store.SqlAsync($"""PRAGMA foreign_keys = OFF; UPDATE "AuditEntries" SET "PracticeId" = 'not-a-practice' WHERE "Sequence" = 4""");
        var r = store.Cli("audit", "verify");

        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("TAMPERED: 1 row of AuditEntries stored under practice id 'not-a-practice'", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice {practice:D}: intact, 3 entries", r.Stdout, StringComparison.Ordinal); // the rest of its chain holds
        Assert.Contains("Audit log TAMPERED: 0 of 1 practice, and 1 row under no valid practice id.", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnEntryMovedToAnotherPracticeSpelledInLowerCase_Exit3()
    {
        await using var store = new SqliteStore();
        await store.InitializeAsync();
        var first = await store.NewPracticeAsync(3);
        var second = await store.NewPracticeAsync(3);

        await store.SqlAsync($"""PRAGMA foreign_keys = OFF; UPDATE "AuditEntries" SET "PracticeId" = {second.ToString("D")} WHERE "PracticeId" = {first.ToString("D").ToUpperInvariant()} AND "Sequence" = 2""");
        var r = store.Cli("audit", "verify");

        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"TAMPERED: 1 row of AuditEntries stored under practice id '{second:D}'", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice {first:D}: TAMPERED at entry 2: deleted", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ATimeThatIsText_Exit3_Malformed_NamingTheColumn()
    {
        await using var store = new SqliteStore();
        await store.InitializeAsync();
        var practice = await store.NewPracticeAsync(3);

        await store.SqlAsync($"""UPDATE "AuditEntries" SET "At" = 'yesterday' WHERE "Sequence" = 2""");
        var r = store.Cli("audit", "verify");

        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains($"practice {practice:D}: TAMPERED at entry 2: malformed: ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("At is not a time as the app stores it", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SqliteFileMissing_Exit2_NamesTheSetting_CreatesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("confide-cli-");
        try
        {
            var file = Path.Combine(dir.FullName, "data", "confide.db");
            var config = Configuration(("Database:Provider", "sqlite"), ("ConnectionStrings:Confide", $"Data Source={file}"));

            var r = CliRunner.Run(["audit", "verify"], config);

            Assert.True(r.Code == 2, r.ToString());
            Assert.Contains($"the SQLite file '{file}' does not exist", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings:Confide", r.Stderr, StringComparison.Ordinal);
            Assert.Equal("", r.Stdout);
            Assert.False(Directory.Exists(Path.Combine(dir.FullName, "data")), "verification must not create the data directory");
            Assert.Empty(dir.EnumerateFileSystemInfos());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Verify_DefaultSettingsWithNoDatabaseHere_Exit2_NamesTheDefault()
    {
        // No configuration at all: the web app's default, ./data/confide.db, relative to the current
        // directory (the test's directory has none).
        var r = CliRunner.Run(["audit", "verify"], Configuration());

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("ConnectionStrings:Confide not set, so the default Data Source=./data/confide.db", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_BadProvider_Exit2_NamesTheKey()
    {
        var r = CliRunner.Run(["audit", "verify"], Configuration(("Database:Provider", "oracle")));

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("Database:Provider is 'oracle': expected sqlite or postgres", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SqliteFileThatIsNotConfides_Exit2()
    {
        var dir = Directory.CreateTempSubdirectory("confide-cli-");
        try
        {
            var file = Path.Combine(dir.FullName, "other.db");
            await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken); // an empty file is an empty SQLite database

            var r = CliRunner.Run(["audit", "verify"], Configuration(("Database:Provider", "sqlite"), ("ConnectionStrings:Confide", $"Data Source={file}")));

            Assert.True(r.Code == 2, r.ToString());
            Assert.Contains("cannot read the audit log from the SQLite file", r.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, new FileInfo(file).Length);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    internal static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

public sealed class PostgresAuditDatabaseTests : AuditDatabaseTests<PostgresStore>
{
    [Fact]
    public void Verify_ServerUnreachable_Exit2_NamesTheSetting()
    {
        var config = SqliteAuditDatabaseTests.Configuration(
            ("Database:Provider", "postgres"),
            ("ConnectionStrings:Confide", "Host=127.0.0.1;Port=1;Database=confide;Username=postgres;Timeout=5")
        );

        var r = CliRunner.Run(["audit", "verify"], config);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("cannot read the audit log from the PostgreSQL database 'confide'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Database:Provider=postgres, ConnectionStrings:Confide", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Verify_DatabaseThatDoesNotExist_Exit2_CreatesNothing()
    {
        var name = $"confide_absent_{Guid.NewGuid():N}";
        var config = SqliteAuditDatabaseTests.Configuration(("Database:Provider", "postgres"), ("ConnectionStrings:Confide", $"{PostgresStore.Server};Database={name}"));

        var r = CliRunner.Run(["audit", "verify"], config);

        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains($"the PostgreSQL database '{name}'", r.Stderr, StringComparison.Ordinal);
        await using var connection = new Npgsql.NpgsqlConnection($"{PostgresStore.Server};Database=postgres");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var exists = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, await exists.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Verify_AdminConnectionString_IsUsedWhenSet()
    {
        await using var store = new PostgresStore();
        await store.InitializeAsync();
        var practice = await store.NewPracticeAsync(2);
        // The app's connection points nowhere; the owner connection reaches the database.
        var config = SqliteAuditDatabaseTests.Configuration(
            ("Database:Provider", "postgres"),
            ("ConnectionStrings:Confide", "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres;Timeout=5"),
            ("ConnectionStrings:ConfideAdmin", store.ConnectionString)
        );

        var r = CliRunner.Run(["audit", "verify"], config);

        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains($"practice {practice:D}: intact, 2 entries", r.Stdout, StringComparison.Ordinal);
    }
}
