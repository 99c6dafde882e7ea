using System.Data.Common;
using Confide.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Cli;

/// <summary>
/// The configuration the web app reads, read the same way by the command line:
/// <c>appsettings.json</c> (then <c>appsettings.{environment}.json</c>) in the current directory
/// when present, overridden by environment variables (<c>Database__Provider</c>,
/// <c>ConnectionStrings__Confide</c>, ...).
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Load(string directory)
    {
        var environment =
            Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(directory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(directory, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();
    }
}

/// <summary>
/// The configured database, opened for reading only: the data layer's own provider selection
/// (<see cref="DataServiceCollectionExtensions.AddConfideData"/>), with the owner connection
/// <c>ConnectionStrings:ConfideAdmin</c> when set, else
/// <c>ConnectionStrings:Confide</c>. Never creates or migrates anything: a SQLite file that does not
/// exist is refused before any connection is opened, and an existing one is opened read-only.
/// </summary>
internal sealed class CliDatabase : IDisposable
{
    public const string AdminConnectionName = DataSettings.AdminConnectionStringName;

    private readonly ServiceProvider _services;
    private readonly List<IServiceScope> _scopes = [];

    private CliDatabase(ServiceProvider services, DataSettings settings, IConfiguration configuration, string connectionKey)
    {
        _services = services;
        Settings = settings;
        Configuration = configuration;
        ConnectionKey = connectionKey;
    }

    public DataSettings Settings { get; }

    /// <summary>The configuration the data layer was given (with the connection actually used).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The configuration key of the connection used, e.g. <c>ConnectionStrings:Confide</c>.</summary>
    public string ConnectionKey { get; }

    /// <summary>Where the data is and which settings say so, for messages (never the connection string: it may hold a password).</summary>
    public string Describe()
    {
        var db = NewContext();
        var connection = db.Database.GetDbConnection();
        var where = Settings.Provider == DatabaseProvider.Sqlite
            ? $"the SQLite file '{Path.GetFullPath(connection.DataSource)}'"
            : $"the PostgreSQL database '{connection.Database}' at {connection.DataSource}";
        return $"{where} ({DataSettings.ProviderKey}={(Settings.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres")}, {ConnectionKey})";
    }

    /// <summary>
    /// Opens the configured database for reading (or, with <paramref name="writable"/>, for adding
    /// rows: audit entries of an export, a stored checkpoint, <c>confide keys rotate</c>; a SQLite file
    /// is then opened read-write, still never created nor migrated), or says why it cannot (a message naming the setting).
    /// </summary>
    /// <param name="configuration">The configuration to read.</param>
    /// <param name="writable">Open SQLite read-write; never creates a file either way.</param>
    /// <param name="error">Why it cannot be opened.</param>
    public static CliDatabase? Open(IConfiguration configuration, bool writable, out string error)
    {
        error = "";
        var connectionKey = $"ConnectionStrings:{DataSettings.ConnectionStringName}";
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (configuration.GetConnectionString(AdminConnectionName) is { Length: > 0 } admin && !string.IsNullOrWhiteSpace(admin))
        {
            overrides[connectionKey] = admin;
            connectionKey = $"ConnectionStrings:{AdminConnectionName}";
        }
        var effective = With(configuration, overrides);

        DataSettings settings;
        try
        {
            settings = DataSettings.From(effective);
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return null;
        }
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnectionStringBuilder sqlite;
            try
            {
                sqlite = new SqliteConnectionStringBuilder(settings.ConnectionString);
            }
            catch (ArgumentException e)
            {
                error = $"{connectionKey} is not a SQLite connection string ({e.Message}).";
                return null;
            }
            var file = sqlite.DataSource;
            if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal) || sqlite.Mode == SqliteOpenMode.Memory)
            {
                error = $"{connectionKey} names an in-memory SQLite database ('{file}'): there is nothing stored to read. Name the database file (Data Source=...).";
                return null;
            }
            var full = Path.GetFullPath(file);
            if (!File.Exists(full))
            {
                var how = configuration[connectionKey] is { Length: > 0 }
                    ? connectionKey
                    : $"{connectionKey} not set, so the default {DataSettings.DefaultSqliteConnectionString} relative to the current directory";
                error =
                    $"the SQLite file '{full}' does not exist ({DataSettings.ProviderKey}=sqlite, {how}). "
                    + "Run confide in the directory where the web app runs, or set ConnectionStrings__Confide (and Database__Provider) to its database. "
                    + "Nothing was created.";
                return null;
            }
            sqlite.DataSource = full;
            sqlite.Mode = writable ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly;
            overrides[$"ConnectionStrings:{DataSettings.ConnectionStringName}"] = sqlite.ToString();
            effective = With(configuration, overrides);
            settings = DataSettings.From(effective);
        }

        var services = new ServiceCollection();
        services.AddConfideData(effective);
        return new CliDatabase(services.BuildServiceProvider(), settings, effective, connectionKey);
    }

    /// <summary>A context of its own (disposed with this object).</summary>
    public ConfideDbContext NewContext() => NewScope().GetRequiredService<ConfideDbContext>();

    /// <summary>A scope of the data services (context, encryption, audit trail, disclosure log, KeyRing), disposed with this object.</summary>
    public IServiceProvider NewScope()
    {
        var scope = _services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider;
    }

    /// <summary>The message for a database that could not be read.</summary>
    public string CannotRead(DbException e) =>
        $"cannot read the audit log from {Describe()}: {e.Message}"
        + (e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            ? " (is this Confide's database, and has the web app run on it once to create its tables?)"
            : "");

    public void Dispose()
    {
        foreach (var scope in _scopes)
        {
            scope.Dispose();
        }
        _services.Dispose();
    }

    private static IConfiguration With(IConfiguration configuration, Dictionary<string, string?> overrides) =>
        overrides.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
}
