using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Confide.Data.Isolation;

/// <summary>
/// PostgreSQL row-level security, the second wall between practices (ADR 2611-practice-isolation).
/// Every table of practice data is ENABLEd and FORCEd (so the table owner is held too; only a
/// superuser or a BYPASSRLS role is not) with the policy <c>practice_isolation</c>: a row is seen,
/// inserted or updated only when it belongs to the practice in <c>confide.practice_id</c>, which
/// <see cref="PracticeSessionInterceptor"/> sets from <see cref="PracticeScope"/>. Without the
/// setting a protected table shows nothing.
/// <para>
/// Protecting a table is one line in a hand-written migration (never in a model migration):
/// <c>migrationBuilder.Sql(RowLevelSecurity.ByPractice("Releases"));</c> for a table with a
/// PracticeId column, <see cref="ByClient"/> / <see cref="ByRequest"/> / <see cref="ByUser"/> for a
/// table reached through its client, request or user, and <see cref="TokenLookup"/> for a table an
/// anonymous bearer token is looked up in (e.g. portal tokens). A table deliberately left out goes
/// in <see cref="Unprotected"/> with the reason; a test fails for any model table that is neither.
/// </para>
/// </summary>
public static class RowLevelSecurity
{
    /// <summary>The policy every protected table has.</summary>
    public const string PolicyName = "practice_isolation";

    /// <summary>The extra read-only policy of a table looked up by a bearer token's hash.</summary>
    public const string TokenPolicyName = "token_lookup";

    /// <summary>The extra insert-only policy of a table that anonymous requests write rows of no practice to.</summary>
    public const string AnonymousInsertPolicyName = "anonymous_insert";

    /// <summary>
    /// The tables the app's role may only read and add to, never change or remove from (each is
    /// append-only by design; a correction is a new row): <see cref="GrantAppRoleAsync"/> revokes
    /// UPDATE and DELETE on them.
    /// </summary>
    public static IReadOnlyList<string> AppendOnly { get; } = ["AuditEntries", "AuditCheckpoints", "Disclosures", "PortalFailures", "FinalizedDocuments"];

    /// <summary>
    /// The tables of the model that row-level security does not cover, each with the reason. Nothing
    /// of a client is in any of them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Unprotected { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Practices"] =
            "the practice directory (name, address, jurisdiction; no client data): first-run setup asks whether any practice exists and `confide audit verify` lists the chains before a practice is known; pages read only the signed-in user's row by id",
        ["AspNetUsers"] =
            "accounts: sign-in finds a user by name, and the cookie is revalidated by user id, before the practice is known (the user row carries the practice); no client data; pages filter by PracticeId",
        ["AspNetUserRoles"] = "a user's roles, read by Identity at sign-in with the user",
        ["AspNetUserClaims"] = "a user's claims, read by Identity at sign-in with the user",
        ["AspNetUserLogins"] = "external logins (unused), read by Identity at sign-in",
        ["AspNetUserTokens"] = "the authenticator key, read by Identity at the sign-in code step, before the practice is known",
        ["AspNetRoles"] = "the three role names, shared by every practice",
        ["AspNetRoleClaims"] = "claims of the shared roles",
    };

    /// <summary>The functions the policies call; created by the RowLevelSecurity migration.</summary>
    public const string Functions = """
        CREATE OR REPLACE FUNCTION confide_practice_id() RETURNS uuid
            LANGUAGE sql STABLE PARALLEL SAFE
            AS $$ SELECT NULLIF(current_setting('confide.practice_id', true), '')::uuid $$;
        CREATE OR REPLACE FUNCTION confide_token_hash() RETURNS bytea
            LANGUAGE sql STABLE PARALLEL SAFE
            AS $$ SELECT decode(NULLIF(current_setting('confide.token_hash', true), ''), 'hex') $$;
        """;

    /// <summary>Drops the functions (the RowLevelSecurity migration's Down, after every policy).</summary>
    public const string DropFunctions = """
        DROP FUNCTION IF EXISTS confide_practice_id();
        DROP FUNCTION IF EXISTS confide_token_hash();
        """;

    /// <summary>A table with its own <c>PracticeId</c> column.</summary>
    public static string ByPractice(string table) => Protect(table, $"""{Q(table)}."PracticeId" = confide_practice_id()""");

    /// <summary>A table with a <c>ClientId</c>: its rows belong to the client's practice.</summary>
    public static string ByClient(string table, string column = "ClientId") => Through(table, column, "Clients", "PracticeId");

    /// <summary>A table with a <c>RequestId</c>: its rows belong to the request's practice.</summary>
    public static string ByRequest(string table, string column = "RequestId") => Through(table, column, "Requests", "PracticeId");

    /// <summary>A table with a <c>UserId</c>: its rows belong to the user's practice.</summary>
    public static string ByUser(string table, string column = "UserId") => Through(table, column, "AspNetUsers", "PracticeId");

    /// <summary>
    /// A second, read-only policy on a protected table: the row whose <paramref name="hashColumn"/>
    /// equals <c>confide.token_hash</c> (set by <see cref="PracticeScope.UseToken"/>) is readable
    /// without a practice, so an anonymous bearer-token URL can find its one row, and from it the
    /// practice to use. Knowing a row's token is the only way to see it.
    /// </summary>
    public static string TokenLookup(string table, string hashColumn = "TokenHash") =>
        $"""
        DROP POLICY IF EXISTS {TokenPolicyName} ON {Q(table)};
        CREATE POLICY {TokenPolicyName} ON {Q(table)} FOR SELECT USING ({Q(table)}.{Q(hashColumn)} = confide_token_hash());
        """;

    /// <summary>A table with a <c>ReleaseId</c>: its rows belong to the release's practice.</summary>
    public static string ByRelease(string table, string column = "ReleaseId") => Through(table, column, "Releases", "PracticeId");

    /// <summary>
    /// A second, insert-only policy on a table protected <see cref="ByPractice"/>: a row of no practice
    /// (<c>PracticeId</c> null) may be added without any setting, e.g. a portal failure for a token
    /// that names no practice. Such rows are never readable by the app's role; rows of a practice
    /// stay under <see cref="PolicyName"/>.
    /// </summary>
    public static string AnonymousInsert(string table) =>
        $"""
        DROP POLICY IF EXISTS {AnonymousInsertPolicyName} ON {Q(table)};
        CREATE POLICY {AnonymousInsertPolicyName} ON {Q(table)} FOR INSERT WITH CHECK ({Q(table)}."PracticeId" IS NULL);
        """;

    /// <summary>Takes the protection off a table again (a migration's Down).</summary>
    public static string Unprotect(string table) =>
        $"""
        DROP POLICY IF EXISTS {TokenPolicyName} ON {Q(table)};
        DROP POLICY IF EXISTS {AnonymousInsertPolicyName} ON {Q(table)};
        DROP POLICY IF EXISTS {PolicyName} ON {Q(table)};
        ALTER TABLE {Q(table)} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {Q(table)} DISABLE ROW LEVEL SECURITY;
        """;

    private static string Through(string table, string column, string parent, string parentPractice) =>
        Protect(
            table,
            $"""EXISTS (SELECT 1 FROM {Q(parent)} p WHERE p."Id" = {Q(table)}.{Q(column)} AND p.{Q(parentPractice)} = confide_practice_id())"""
        );

    private static string Protect(string table, string condition) =>
        $"""
        ALTER TABLE {Q(table)} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {Q(table)} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS {PolicyName} ON {Q(table)};
        CREATE POLICY {PolicyName} ON {Q(table)} USING ({condition}) WITH CHECK ({condition});
        """;

    private static string Q(string identifier) =>
        identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"\"{identifier}\""
            : throw new ArgumentException($"'{identifier}' is not a plain table or column name", nameof(identifier));

    /// <summary>
    /// Gives the app's role what it needs on the tables the owner's migrations made, run under the
    /// owner connection after migrating when the app connects as another role: read and write on
    /// every table, append-only on the tables in <see cref="AppendOnly"/> (no UPDATE or DELETE: the
    /// audit log, its checkpoints, the disclosure log, portal failures and finalized documents (a new version is a new row) are never changed),
    /// read-only on the migrations history, and the sequences. Repeated at every start, so tables
    /// added by later migrations are covered.
    /// </summary>
    public static async Task GrantAppRoleAsync(ConfideDbContext owner, string appRole, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var role = new NpgsqlCommandBuilder().QuoteIdentifier(appRole);
        var sql = $"""
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM {role};
            {string.Concat(AppendOnly.Select(t => $"REVOKE UPDATE, DELETE ON {Q(t)} FROM {role};\n"))}
            """;
        await owner.Database.ExecuteSqlRawAsync(sql, ct).ConfigureAwait(false);
    }

    /// <summary>What makes the connected role escape row-level security, if anything (superuser, BYPASSRLS, owner of a table); empty when it is held by it.</summary>
    public static async Task<IReadOnlyList<string>> EscapesAsync(ConfideDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        try
        {
            var found = new List<string>();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT r.rolsuper, r.rolbypassrls,
                       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relowner = r.oid)
                FROM pg_roles r WHERE r.rolname = current_user
                """;
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (reader.GetBoolean(0))
                {
                    found.Add("is a superuser (row-level security does not apply to it)");
                }
                if (reader.GetBoolean(1))
                {
                    found.Add("has BYPASSRLS");
                }
                if (reader.GetInt64(2) > 0)
                {
                    found.Add($"owns {reader.GetInt64(2)} tables (it could turn row-level security off)");
                }
            }
            return found;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }
}
