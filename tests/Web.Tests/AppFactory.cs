using Confide.Data;
using Confide.Data.Crypto;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Web.Tests;

/// <summary>
/// The app on one provider with a database of its own (one per test class): a temp SQLite file,
/// or a fresh database on the PostgreSQL server named by CONFIDE_TEST_POSTGRES (scripts/test.sh
/// starts one). Without that variable the PostgreSQL tests fail, never skip.
/// </summary>
public abstract class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    protected DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("confide-web-");

    public abstract string Provider { get; }

    /// <summary>The app's own directory (its data directory and key files are inside).</summary>
    public string DataDirectory => Dir.FullName;

    /// <summary>The master key file the app uses.</summary>
    public string MasterKeyFile => Path.Combine(Dir.FullName, "confide-master.key");

    public abstract string ConnectionString { get; }

    /// <summary>The owner connection (ConnectionStrings:ConfideAdmin) when the app connects as another role.</summary>
    public virtual string? AdminConnectionString => null;

    /// <summary>Skip migrations at start-up (for a database that cannot be reached).</summary>
    protected virtual bool RunStartupTasks => true;

    /// <summary>Seed the demo practice (its accounts have known passwords and TOTP secrets) before the tests.</summary>
    protected virtual bool SeedDemo => false;

    /// <summary>The app's clock, when a test controls "today" (TOTP codes still follow the real clock, as Identity does).</summary>
    public virtual FakeTimeProvider? Clock => null;

    public virtual async ValueTask InitializeAsync()
    {
        CheckServer();
        await PrepareServerAsync();
        if (SeedDemo)
        {
            await DemoAccess.SeedAsync(this, TextWriter.Null);
        }
    }

    protected virtual void CheckServer()
    {
    }

    protected virtual Task PrepareServerAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Confide", ConnectionString);
        if (AdminConnectionString is { } admin)
        {
            builder.UseSetting("ConnectionStrings:ConfideAdmin", admin);
        }
        builder.UseSetting("Keys:MasterKeyFile", MasterKeyFile);
        builder.ConfigureLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Warning);
            // The test server has no request-body-size feature, so upload pages' size limits warn on every request.
            l.AddFilter("Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", LogLevel.Error);
            l.AddFilter("Microsoft.AspNetCore.Mvc.Filters.RequestSizeLimitFilter", LogLevel.Error);
        });
        if (!RunStartupTasks)
        {
            builder.ConfigureTestServices(s => s.RemoveAll<IHostedService>());
        }
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(s =>
            {
                s.RemoveAll<TimeProvider>();
                s.AddSingleton<TimeProvider>(clock);
            });
        }
    }

    /// <summary>
    /// A context for a test to look at or arrange stored data directly, as the database's owner: on
    /// PostgreSQL the admin connection (the server's superuser, which row-level security does not
    /// hold), so it sees every practice. The app itself runs as the app role (<see cref="PostgresApp.AppRole"/>).
    /// </summary>
    public ConfideDbContext NewDbContext() =>
        AdminConnectionString is null
            ? Services.CreateScope().ServiceProvider.GetRequiredService<ConfideDbContext>()
            : Services.GetRequiredService<DataSettings>().NewAdminContext();

    /// <summary>A browser signed in as <paramref name="account"/> (password, then the TOTP code; each step's redirect asserted).</summary>
    internal async Task<Browser> SignedInAsync(DemoSeeder.DemoAccount account)
    {
        var browser = new Browser(this);
        await browser.SignInAsync(account.Email, DemoSeeder.Password, account.TotpSecret);
        return browser;
    }

    /// <summary>The user id of <paramref name="account"/>.</summary>
    internal async Task<Guid> UserIdAsync(DemoSeeder.DemoAccount account)
    {
        await using var db = NewDbContext();
        return await db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A context as the app has it (the app's connection and role; on PostgreSQL no practice until its Scope is set).</summary>
    public ConfideDbContext NewAppDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<ConfideDbContext>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await DropAsync();
        SqliteConnection.ClearAllPools();
        Dir.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    protected virtual Task DropAsync() => Task.CompletedTask;
}

public class SqliteApp : AppFactory
{
    public override string Provider => "sqlite";

    public override string ConnectionString => $"Data Source={Path.Combine(Dir.FullName, "data", "confide.db")}";
}

/// <summary>
/// The app on PostgreSQL as it is meant to be deployed: it connects as
/// <see cref="PostgresTestServer.AppRole"/> (no superuser, no BYPASSRLS, owns no table), so
/// row-level security holds every test of the suite; migrations run under
/// ConnectionStrings:ConfideAdmin, the server's own user, which owns the tables.
/// </summary>
public class PostgresApp : AppFactory
{
    public const string Variable = PostgresTestServer.Variable;

    /// <summary>The app's role on the test server.</summary>
    public const string AppRole = PostgresTestServer.AppRole;

    private readonly string _database = $"confide_test_{Guid.NewGuid():N}";

    public override string Provider => "postgres";

    public override string ConnectionString => PostgresTestServer.App(_database);

    public override string? AdminConnectionString => PostgresTestServer.Admin(_database);

    /// <summary>This app's database on the test server.</summary>
    protected string Database => _database;

    // Fail the class at once, with the message naming the variable, when no server is configured.
    protected override void CheckServer() => _ = PostgresTestServer.Connection;

    protected override Task PrepareServerAsync() => PostgresTestServer.EnsureAppRoleAsync();

    protected override Task DropAsync() => PostgresTestServer.DropAsync(_database);
}

public sealed class SqliteDemoApp : SqliteApp
{
    protected override bool SeedDemo => true;
}

public sealed class PostgresDemoApp : PostgresApp
{
    protected override bool SeedDemo => true;
}

/// <summary>The demo practice on a fixed "today" (<see cref="DemoClock.Today"/>), so deadlines and marks are known.</summary>
public sealed class SqliteClockedDemoApp : SqliteApp
{
    protected override bool SeedDemo => true;

    public override FakeTimeProvider Clock { get; } = DemoClock.New();
}

public sealed class PostgresClockedDemoApp : PostgresApp
{
    protected override bool SeedDemo => true;

    public override FakeTimeProvider Clock { get; } = DemoClock.New();
}

public static class DemoClock
{
    /// <summary>A Monday: the demo's deadlines fall around it (one overdue, two within 3 days).</summary>
    public static readonly DateOnly Today = new(2026, 6, 15);

    public static FakeTimeProvider New() => new(new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
}

/// <summary>Configured for a database that does not answer; start-up tasks (migrations) are skipped.</summary>
public sealed class UnreachableSqliteApp : SqliteApp
{
    // The file does not exist and Mode=ReadWrite forbids creating it: every open fails.
    public override string ConnectionString => $"Data Source={Path.Combine(Dir.FullName, "absent.db")};Mode=ReadWrite";

    protected override bool RunStartupTasks => false;
}

public sealed class UnreachablePostgresApp : PostgresApp
{
    // Nothing listens on port 1.
    public override string ConnectionString => "Host=127.0.0.1;Port=1;Database=confide;Username=postgres;Timeout=5";

    public override string? AdminConnectionString => null;

    protected override bool RunStartupTasks => false;

    protected override void CheckServer()
    {
    }

    protected override Task PrepareServerAsync() => Task.CompletedTask;

    protected override Task DropAsync() => Task.CompletedTask;
}

internal static class DemoAccess
{
    public static async Task SeedAsync(AppFactory app, TextWriter console)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(console, TestContext.Current.CancellationToken);
    }

    /// <summary>The id of the client with this (decrypted) name.</summary>
    public static async Task<Guid> ClientIdAsync(AppFactory app, string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId); // the demo practice's clients (the app's role sees no other)
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        foreach (var c in await db.Clients.AsNoTracking().Where(c => c.ShreddedAt == null).ToListAsync(TestContext.Current.CancellationToken))
        {
            if (await cipher.DecryptStringAsync(new FieldRef(c.PracticeId, c.Id, "Clients", c.Id, "name"), c.NameCipher, TestContext.Current.CancellationToken) == name)
            {
                return c.Id;
            }
        }
        throw new InvalidOperationException($"no client named {name}");
    }

    public static async Task<int> CountRowsAsync(AppFactory app)
    {
        await using var db = app.NewDbContext();
        var ct = TestContext.Current.CancellationToken;
        return await db.Practices.CountAsync(ct)
            + await db.Users.CountAsync(ct)
            + await db.UserRoles.CountAsync(ct)
            + await db.UserTokens.CountAsync(ct)
            + await db.Clients.CountAsync(ct)
            + await db.Guardians.CountAsync(ct)
            + await db.ClientAssignments.CountAsync(ct)
            + await db.RecordItems.CountAsync(ct)
            + await db.ClientKeys.CountAsync(ct)
            + await db.Requests.CountAsync(ct)
            + await db.RequestDeterminations.CountAsync(ct)
            + await db.RequestStatusChanges.CountAsync(ct)
            + await db.AuditEntries.CountAsync(ct);
    }
}
