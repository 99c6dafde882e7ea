using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Isolation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Confide.Data;

/// <summary>The database providers Confide runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the data is, from configuration: <c>Database:Provider</c> (<c>sqlite</c>, the default, or
/// <c>postgres</c>), <c>ConnectionStrings:Confide</c> (default for SQLite:
/// <c>Data Source=./data/confide.db</c>) and <c>Keys:MasterKeyFile</c> (default: beside the data
/// directory, <c>./confide-master.key</c> for the default SQLite file). On PostgreSQL,
/// <c>ConnectionStrings:ConfideAdmin</c> is the owner connection that migrations run under (default:
/// <c>ConnectionStrings:Confide</c>); the app itself connects with <c>ConnectionStrings:Confide</c>,
/// as a role that owns no table (ADR 2611-practice-isolation).
/// </summary>
public sealed record DataSettings(DatabaseProvider Provider, string ConnectionString, string MasterKeyFile)
{
    public const string AdminConnectionStringName = "ConfideAdmin";

    /// <summary>The owner connection (migrations, grants): <c>ConnectionStrings:ConfideAdmin</c>, else the app's.</summary>
    public string AdminConnectionString { get; init; } = ConnectionString;

    /// <summary>The data directory: the SQLite file's folder, else <c>./data</c> (scratch files of PDF reading go under it).</summary>
    public string DataDirectory { get; init; } = Path.GetFullPath("data");

    /// <summary>True when migrations run under another connection than the app's.</summary>
    public bool HasSeparateAdmin => !string.Equals(AdminConnectionString, ConnectionString, StringComparison.Ordinal);

    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "Confide";
    public const string MasterKeyFileKey = "Keys:MasterKeyFile";
    public const string DefaultSqliteConnectionString = "Data Source=./data/confide.db";
    public const string MasterKeyFileName = "confide-master.key";
    public const string SqliteMigrationsAssembly = "Confide.Data.Sqlite";
    public const string PostgresMigrationsAssembly = "Confide.Data.Postgres";

    /// <exception cref="InvalidOperationException">A bad <c>Database:Provider</c>, or postgres without a connection string.</exception>
    public static DataSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration[ProviderKey];
        var provider = name?.Trim().ToUpperInvariant() switch
        {
            null or "" or "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Configuration key {ProviderKey} is '{name}': expected sqlite or postgres."),
        };
        var connection = configuration.GetConnectionString(ConnectionStringName);
        string dataDirectory;
        if (provider == DatabaseProvider.Sqlite)
        {
            connection = string.IsNullOrWhiteSpace(connection) ? DefaultSqliteConnectionString : connection;
            var file = new SqliteConnectionStringBuilder(connection).DataSource;
            var inMemory = string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file::memory:", StringComparison.Ordinal);
            dataDirectory = inMemory ? Path.GetFullPath("data") : Path.GetDirectoryName(Path.GetFullPath(file))!;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException(
                    $"{ProviderKey} is postgres but ConnectionStrings:{ConnectionStringName} is not set (e.g. Host=...;Database=confide)."
                );
            }
            dataDirectory = Path.GetFullPath("data");
        }
        var keyFile = configuration[MasterKeyFileKey];
        if (string.IsNullOrWhiteSpace(keyFile))
        {
            // Beside the data directory, not inside it: a copy of the data directory alone reads nothing.
            keyFile = Path.Combine(Path.GetDirectoryName(dataDirectory) ?? dataDirectory, MasterKeyFileName);
        }
        var admin = configuration.GetConnectionString(AdminConnectionStringName);
        return new DataSettings(provider, connection, Path.GetFullPath(keyFile))
        {
            AdminConnectionString = provider == DatabaseProvider.Postgres && !string.IsNullOrWhiteSpace(admin) ? admin : connection,
            DataDirectory = dataDirectory,
        };
    }

    /// <summary>
    /// The master key: from the configuration (<c>Keys:MasterKey</c>, base64, e.g. the environment
    /// variable <c>Keys__MasterKey</c>) when set, else the file <see cref="MasterKeyFile"/>, created
    /// when absent.
    /// </summary>
    public MasterKey LoadMasterKey(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var inline = configuration[MasterKey.ConfigurationKey];
        return string.IsNullOrWhiteSpace(inline) ? MasterKey.LoadOrCreate(MasterKeyFile) : MasterKey.FromBase64(inline);
    }

    /// <summary>
    /// Points <paramref name="options"/> at the database (the app's connection), with the provider's
    /// migrations assembly; on PostgreSQL with the interceptor that sets the practice for row-level security.
    /// </summary>
    public void Configure(DbContextOptionsBuilder options) => Configure(options, ConnectionString);

    /// <summary>As <see cref="Configure(DbContextOptionsBuilder)"/>, on the owner connection.</summary>
    public void ConfigureAdmin(DbContextOptionsBuilder options) => Configure(options, AdminConnectionString);

    /// <summary>A context on the owner connection, for migrations and grants (dispose it).</summary>
    public ConfideDbContext NewAdminContext()
    {
        var options = new DbContextOptionsBuilder<ConfideDbContext>();
        ConfigureAdmin(options);
        return new ConfideDbContext(options.Options);
    }

    private void Configure(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
                options.AddInterceptors(PracticeSessionInterceptor.Instance);
                break;
        }
    }

    /// <summary>
    /// Applies the migrations under the owner connection and, when the app connects as another role,
    /// grants that role what it needs (<see cref="RowLevelSecurity.GrantAppRoleAsync"/>).
    /// </summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        var admin = NewAdminContext();
        await using (admin.ConfigureAwait(false))
        {
            await RefuseUnsquashedAsync(admin, ct).ConfigureAwait(false);
            await admin.Database.MigrateAsync(ct).ConfigureAwait(false);
            if (Provider == DatabaseProvider.Postgres && HasSeparateAdmin)
            {
                var appRole = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Username;
                var ownerRole = new Npgsql.NpgsqlConnectionStringBuilder(AdminConnectionString).Username;
                if (!string.IsNullOrEmpty(appRole) && !string.Equals(appRole, ownerRole, StringComparison.Ordinal))
                {
                    await RowLevelSecurity.GrantAppRoleAsync(admin, appRole, ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Stops with a clear message on a database made before the migrations were squashed into one
    /// InitialCreate (ADR 2612-squashed-migrations): it has migrations applied but not this
    /// InitialCreate, which would otherwise fail on its first CREATE TABLE.
    /// </summary>
    private static async Task RefuseUnsquashedAsync(ConfideDbContext admin, CancellationToken ct)
    {
        var applied = (await admin.Database.GetAppliedMigrationsAsync(ct).ConfigureAwait(false)).ToList();
        var first = admin.Database.GetMigrations().First();
        if (applied.Count > 0 && !applied.Contains(first, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"The database was made by migrations this version no longer has (it has {applied[0]}, not {first}): "
                    + "the migrations were squashed before the first release (docs/adr/2612-squashed-migrations.md). Recreate this development database."
            );
        }
    }

    /// <summary>Creates the SQLite file's directory (the data directory) when it is missing.</summary>
    public void EnsureDataDirectory()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }
        }
    }
}

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the DbContext on the configured provider, the master key (read or created on first
    /// resolution), the encryption service and the audit trail. Fails at once on a bad
    /// <c>Database:Provider</c>, naming the key.
    /// </summary>
    public static IServiceCollection AddConfideData(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DataSettings.From(configuration);
        settings.EnsureDataDirectory();
        services.AddSingleton(settings);
        services.AddDbContext<ConfideDbContext>(settings.Configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => settings.LoadMasterKey(configuration));
        services.AddScoped<RecordCipher>();
        services.AddScoped<ClientContent>();
        services.AddScoped<KeyRing>();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<Disclosures.DisclosureLog>();
        // Read or created on first use only (the web app's checkpoint service); verification never resolves it.
        services.AddSingleton(_ => AuditSigningKey.LoadOrCreate(AuditSigningKey.FileFrom(configuration, settings)));
        return services;
    }
}
