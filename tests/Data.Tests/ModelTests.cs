using Confide.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace Confide.Data.Tests;

/// <summary>The two providers' migrations are kept in step with the model and with each other.</summary>
public sealed class ModelTests
{
    private static ConfideDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<ConfideDbContext>().UseSqlite("Data Source=:memory:", o => o.MigrationsAssembly(DataSettings.SqliteMigrationsAssembly)).Options);

    // No server is needed: nothing here opens a connection.
    private static ConfideDbContext Postgres() =>
        new(new DbContextOptionsBuilder<ConfideDbContext>().UseNpgsql("Host=localhost;Database=unused", o => o.MigrationsAssembly(DataSettings.PostgresMigrationsAssembly)).Options);

    [Fact]
    public void HasPendingModelChanges_Sqlite_IsFalse()
    {
        using var db = Sqlite();
        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for src/Data.Sqlite");
    }

    [Fact]
    public void HasPendingModelChanges_Postgres_IsFalse()
    {
        using var db = Postgres();
        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for src/Data.Postgres");
    }

    [Fact]
    public void Snapshots_BothProviders_HaveTheSameTablesColumnsAndIndexes()
    {
        using var sqlite = Sqlite();
        using var postgres = Postgres();

        var a = Shape(sqlite);
        var b = Shape(postgres);

        Assert.Contains("AuditEntries.PrevHash", a);
        Assert.Equal(a.Order(StringComparer.Ordinal), b.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Migrations_BothProviders_HaveTheSameIds()
    {
        using var sqlite = Sqlite();
        using var postgres = Postgres();

        Assert.Equal(Names(sqlite), Names(postgres));

        static IEnumerable<string> Names(ConfideDbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]);
    }

    [Fact]
    public async Task Migrate_ADatabaseFromBeforeTheSquash_FailsSayingToRecreateIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var old = Path.Combine(Path.GetTempPath(), $"confide-presquash-{Guid.NewGuid():N}.db");
        var fresh = Path.Combine(Path.GetTempPath(), $"confide-fresh-{Guid.NewGuid():N}.db");
        try
        {
            await using (var connection = new SqliteConnection($"Data Source={old};Pooling=False"))
            {
                await connection.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                    INSERT INTO "__EFMigrationsHistory" VALUES ('20261129051840_InitialCreate', '10.0.0'), ('20261129061635_Requests', '10.0.0');
                    """;
                await command.ExecuteNonQueryAsync(ct);
            }

            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Settings(old).MigrateAsync(ct));
            Assert.Contains("20261129051840_InitialCreate", e.Message, StringComparison.Ordinal);
            Assert.Contains("Recreate", e.Message, StringComparison.Ordinal);

            await Settings(fresh).MigrateAsync(ct);
            await using var db = Settings(fresh).NewAdminContext();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(ct));
        }
        finally
        {
            File.Delete(old);
            File.Delete(fresh);
        }

        static DataSettings Settings(string file) =>
            DataSettings.From(
                new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("ConnectionStrings:Confide", $"Data Source={file};Pooling=False")]).Build()
            );
    }

    [Fact]
    public void Model_Sqlite_StoresTimestampsAsUtcTicks()
    {
        using var db = Sqlite();
        var column = db.Model.FindEntityType(typeof(AuditEntry))!.FindProperty(nameof(AuditEntry.At))!;
        Assert.Equal("INTEGER", column.GetColumnType());
    }

    private static HashSet<string> Shape(ConfideDbContext db)
    {
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model ?? throw new InvalidOperationException("no model snapshot");
        if (snapshot is IMutableModel mutable)
        {
            snapshot = mutable.FinalizeModel();
        }
        var model = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot, designTime: true);
        var shape = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in model.GetRelationalModel().Tables)
        {
            shape.Add(table.Name);
            foreach (var column in table.Columns)
            {
                shape.Add($"{table.Name}.{column.Name}{(column.IsNullable ? "?" : "")}");
            }
            foreach (var index in table.Indexes)
            {
                shape.Add($"{table.Name} index {index.Name}{(index.IsUnique ? " unique" : "")}");
            }
            foreach (var key in table.ForeignKeyConstraints)
            {
                shape.Add($"{table.Name} fk {key.Name}");
            }
        }
        return shape;
    }
}

public sealed class DataSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void From_Nothing_IsSqliteUnderDataWithTheKeyBesideIt()
    {
        var settings = DataSettings.From(Config());

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("Data Source=./data/confide.db", settings.ConnectionString);
        Assert.Equal(Path.GetFullPath("confide-master.key"), settings.MasterKeyFile);
    }

    [Fact]
    public void From_SqliteFileElsewhere_PutsTheKeyBesideItsDirectory()
    {
        var settings = DataSettings.From(Config(("ConnectionStrings:Confide", "Data Source=/srv/confide/data/c.db")));

        Assert.Equal("/srv/confide/confide-master.key", settings.MasterKeyFile);
    }

    [Fact]
    public void From_Postgres_UsesTheConnectionStringAndConfiguredKeyFile()
    {
        var settings = DataSettings.From(
            Config(("Database:Provider", "postgres"), ("ConnectionStrings:Confide", "Host=db;Database=confide"), ("Keys:MasterKeyFile", "/etc/confide/master.key"))
        );

        Assert.Equal(DatabaseProvider.Postgres, settings.Provider);
        Assert.Equal("Host=db;Database=confide", settings.ConnectionString);
        Assert.Equal("/etc/confide/master.key", settings.MasterKeyFile);
    }

    [Fact]
    public void From_BadProvider_FailsNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DataSettings.From(Config(("Database:Provider", "mysql"))));

        Assert.Contains("Database:Provider", e.Message, StringComparison.Ordinal);
        Assert.Contains("mysql", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_PostgresWithoutConnectionString_FailsNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DataSettings.From(Config(("Database:Provider", "postgres"))));

        Assert.Contains("ConnectionStrings:Confide", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_PostgresAdmin_IsConfideAdmin_ElseTheAppConnection()
    {
        var single = DataSettings.From(Config(("Database:Provider", "postgres"), ("ConnectionStrings:Confide", "Host=db;Database=confide;Username=app")));
        var both = DataSettings.From(
            Config(("Database:Provider", "postgres"), ("ConnectionStrings:Confide", "Host=db;Database=confide;Username=app"), ("ConnectionStrings:ConfideAdmin", "Host=db;Database=confide;Username=owner"))
        );

        Assert.Equal("Host=db;Database=confide;Username=app", single.AdminConnectionString);
        Assert.False(single.HasSeparateAdmin);
        Assert.Equal("Host=db;Database=confide;Username=app", both.ConnectionString);
        Assert.Equal("Host=db;Database=confide;Username=owner", both.AdminConnectionString);
        Assert.True(both.HasSeparateAdmin);
    }

    [Fact]
    public void From_SqliteWithConfideAdmin_KeepsTheOneFile()
    {
        var settings = DataSettings.From(Config(("ConnectionStrings:Confide", "Data Source=a.db"), ("ConnectionStrings:ConfideAdmin", "Data Source=b.db")));

        Assert.Equal("Data Source=a.db", settings.AdminConnectionString);
    }
}
