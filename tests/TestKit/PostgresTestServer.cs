using Npgsql;

namespace Confide.TestKit;

/// <summary>
/// The PostgreSQL server the tests use (CONFIDE_TEST_POSTGRES; scripts/test.sh starts a throwaway
/// one whose user is the superuser <c>postgres</c>), and the app's role on it: the app runs as
/// <see cref="AppRole"/>, a login role that owns no table and is neither superuser nor BYPASSRLS,
/// so row-level security holds it; migrations run under the server's own user as
/// ConnectionStrings:ConfideAdmin, which owns the tables and grants the app role at start-up.
/// Without the variable a PostgreSQL test fails, never skips.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "CONFIDE_TEST_POSTGRES";

    /// <summary>The app's role (created once per server, shared by every test database; as docs/operations.md creates it).</summary>
    public const string AppRole = "confide_app";

    private static readonly SemaphoreSlim RoleLock = new(1, 1);
    private static bool _roleReady;

    public static bool Configured => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));

    public static string Connection =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL tests need a server (e.g. {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres\"). Run bash scripts/test.sh, which starts one."
            );

    /// <summary>The owner (admin) connection to <paramref name="database"/>.</summary>
    public static string Admin(string database) => $"{Connection};Database={database}";

    /// <summary>The app's connection to <paramref name="database"/>, as <see cref="AppRole"/>.</summary>
    public static string App(string database) => new NpgsqlConnectionStringBuilder(Admin(database)) { Username = AppRole, Password = null }.ConnectionString;

    /// <summary>Creates the app role once (CREATE ROLE ... LOGIN NOSUPERUSER NOBYPASSRLS).</summary>
    public static async Task EnsureAppRoleAsync()
    {
        await RoleLock.WaitAsync();
        try
        {
            if (_roleReady)
            {
                return;
            }
            await using var connection = new NpgsqlConnection(Admin("postgres"));
            await connection.OpenAsync();
            // Another test process may create it at the same moment: a duplicate is fine.
            await using var create = new NpgsqlCommand(
                $"""
                DO $$ BEGIN
                  CREATE ROLE {AppRole} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """,
                connection
            );
            await create.ExecuteNonQueryAsync();
            _roleReady = true;
        }
        finally
        {
            RoleLock.Release();
        }
    }

    /// <summary>Drops a test database (nothing when no server is configured).</summary>
    public static async Task DropAsync(string database)
    {
        if (!Configured)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
