using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Confide.Cli.Tests;

/// <summary>
/// A migrated database on one provider, with audit chains built through the data layer the web app
/// uses (<c>AddConfideData</c>, <c>IAuditTrail</c>, <c>SaveChangesAsync</c>): a temp SQLite file, or a
/// fresh database on the PostgreSQL server named by CONFIDE_TEST_POSTGRES (scripts/test.sh starts
/// one). Without that variable the PostgreSQL tests fail, never skip.
/// </summary>
public abstract class AuditStore : IAsyncLifetime
{
    private ServiceProvider? _services;

    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("confide-cli-");

    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    public string MasterKeyFile => Path.Combine(Dir.FullName, "keys", "confide-master.key");

    /// <summary>Where the checkpoint signing key goes by default: beside the master key file.</summary>
    public string SigningKeyFile => Path.Combine(Dir.FullName, "keys", AuditSigningKey.DefaultFileName);

    /// <summary>The configuration the web app and the CLI read (as environment variables or appsettings.json would give it).</summary>
    public IConfiguration Configuration =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Database:Provider"] = Provider,
                    ["ConnectionStrings:Confide"] = ConnectionString,
                    ["Keys:MasterKeyFile"] = MasterKeyFile,
                }
            )
            .Build();

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("not initialised");

    public virtual async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddConfideData(Configuration);
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConfideDbContext>().Database.MigrateAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A new practice with <paramref name="entries"/> audit entries, appended a few per save.</summary>
    public async Task<Guid> NewPracticeAsync(int entries)
    {
        var ct = TestContext.Current.CancellationToken;
        var practice = new Practice { Name = "Test practice", Address = "1 Test St", Jurisdiction = "US-CA" };
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Practices.Add(practice);
            await db.SaveChangesAsync(ct);
        }
        var left = entries;
        while (left > 0)
        {
            var n = Math.Min(left, 3);
            await AppendAsync(practice.Id, n);
            left -= n;
        }
        return practice.Id;
    }

    /// <summary>
    /// Appends <paramref name="count"/> entries in one save, as a page of the web app does; with
    /// <paramref name="inTransaction"/>, inside a transaction the caller opened first (as the setup page does).
    /// </summary>
    public async Task AppendAsync(Guid practiceId, int count = 1, bool inTransaction = false)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        await using var transaction = inTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
        for (var i = 0; i < count; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            audit.Add(practiceId, Guid.NewGuid(), AuditEvent.DemoRecordCreated(new RecordItem { ClientId = Guid.NewGuid(), Category = Category.ProgressNotes, ContentCipher = [] }));
        }
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>The practice's stored entries in sequence order, as they are now.</summary>
    public async Task<List<AuditEntry>> EntriesAsync(Guid practiceId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.PracticeId == practiceId).OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Raw SQL straight at the database, as someone with the database's password would tamper with it.</summary>
    public async Task<int> SqlAsync(FormattableString sql)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        return await db.Database.ExecuteSqlAsync(sql, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs the confide command line in-process on this database's configuration.</summary>
    public CliResult Cli(params string[] args) => CliRunner.Run(args, Configuration);

    public virtual async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await DropAsync();
        SqliteConnection.ClearAllPools();
        Dir.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    protected virtual Task DropAsync() => Task.CompletedTask;
}

public sealed class SqliteStore : AuditStore
{
    public override string Provider => "sqlite";

    public override string ConnectionString => $"Data Source={Path.Combine(Dir.FullName, "data", "confide.db")}";
}

public sealed class PostgresStore : AuditStore
{
    public const string Variable = "CONFIDE_TEST_POSTGRES";

    private readonly string _database = $"confide_cli_{Guid.NewGuid():N}";

    public override string Provider => "postgres";

    public override string ConnectionString => $"{Server};Database={_database}";

    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL tests need a server (e.g. {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres\"). Run bash scripts/test.sh, which starts one."
            );

    public override ValueTask InitializeAsync()
    {
        _ = Server; // fail at once, with the message above, when no server is configured
        return base.InitializeAsync();
    }

    protected override async Task DropAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return; // nothing was created; the tests already failed with the reason
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{Server};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
