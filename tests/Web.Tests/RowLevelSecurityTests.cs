using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Entities;
using Confide.Data.Isolation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Confide.Web.Tests;

/// <summary>
/// PostgreSQL row-level security, the second wall between practices, seen from below the app: raw
/// SQL under the app's role (<see cref="PostgresApp.AppRole"/>, as the app runs in every PostgreSQL
/// test) on a database where practice A has one row in every protected table and practice B two.
/// Without the setting the role sees nothing; with a practice's setting exactly that practice's rows;
/// it cannot turn the protection off, take the owner's role or write another practice's rows. And
/// every table of the EF model is either protected or on the allowlist with a reason, so a table
/// added later fails here until it is protected.
/// </summary>
public sealed class RowLevelSecurityTests(RowLevelSecurityTests.App app) : IClassFixture<RowLevelSecurityTests.App>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A PostgreSQL app with two practices seeded straight into the tables (ciphertext is dummy bytes: nothing decrypts here).</summary>
    public sealed class App : PostgresApp
    {
        public Guid PracticeA { get; } = Guid.CreateVersion7();
        public Guid PracticeB { get; } = Guid.CreateVersion7();

        /// <summary>The calendar token hash of B's first user.</summary>
        public byte[] FeedHashOfB { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            _ = Services; // start the app: migrations and grants under the admin connection
            await using var db = NewDbContext();
            await SeedAsync(db, PracticeA, 1, null);
            await SeedAsync(db, PracticeB, 2, FeedHashOfB);
        }

        /// <summary>
        /// <paramref name="count"/> rows of the practice in every protected table. A new table of practice
        /// data gets a line here (the test that counts rows says which table has none).
        /// </summary>
        private static async Task SeedAsync(ConfideDbContext db, Guid practiceId, int count, byte[]? firstFeedHash)
        {
            var now = TimeProvider.System.GetUtcNow();
            byte[] Bytes() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
            db.Practices.Add(new Practice { Id = practiceId, Name = $"RLS practice {practiceId:N}", Address = "1 Test St", Jurisdiction = "US-CA", CreatedAt = now });
            for (var i = 0; i < count; i++)
            {
                var name = $"rls-{practiceId:N}-{i}@test";
                var user = new User { Id = Guid.CreateVersion7(), PracticeId = practiceId, UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = name, DisplayName = name };
                db.Users.Add(user);
                db.CalendarFeeds.Add(new CalendarFeed { UserId = user.Id, TokenHash = i == 0 && firstFeedHash is not null ? firstFeedHash : Bytes(), CreatedAt = now });
                var client = new Client { PracticeId = practiceId, NameCipher = Bytes(), DateOfBirth = new DateOnly(1990, 1, 1), CreatedAt = now };
                db.Clients.Add(client);
                db.Guardians.Add(new Guardian { ClientId = client.Id, NameCipher = Bytes() });
                db.ClientAssignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = user.Id, AssignedAt = now });
                db.ClientKeys.Add(new ClientKey { PracticeId = practiceId, ClientId = client.Id, KeyVersion = 1, WrappedKey = Bytes(), CreatedAt = now });
                var item = new RecordItem { ClientId = client.Id, Category = Category.ProgressNotes, Date = new DateOnly(2026, 1, 1), AuthorId = user.Id, ContentCipher = Bytes(), CreatedAt = now };
                db.RecordItems.Add(item);
                db.Attachments.Add(new Attachment { RecordItemId = item.Id, ClientId = client.Id, FileNameCipher = Bytes(), ContentType = "application/pdf", Size = 1, Sha256 = Bytes(), ContentCipher = Bytes(), CreatedAt = now });
                var request = new RecordRequest { PracticeId = practiceId, ClientId = client.Id, ClinicianId = user.Id, CreatedById = user.Id, ReceivedOn = new DateOnly(2026, 1, 2), DocumentCipher = Bytes(), CreatedAt = now, UpdatedAt = now };
                db.Requests.Add(request);
                var determination = new RequestDetermination
                {
                    RequestId = request.Id,
                    ClientId = client.Id,
                    Sequence = 1,
                    Outcome = Outcome.AssertPrivilege,
                    EvaluatedOn = new DateOnly(2026, 1, 2),
                    ProfileJurisdiction = "US-CA",
                    ProfileVersion = "1",
                    ProfileReviewedOn = new DateOnly(2026, 1, 1),
                    DeterminationCipher = Bytes(),
                    DocumentCipher = Bytes(),
                    CreatedById = user.Id,
                    CreatedAt = now,
                };
                db.RequestDeterminations.Add(determination);
                db.RequestStepTicks.Add(new RequestStepTick { RequestId = request.Id, DeterminationId = determination.Id, StepIndex = 0, TickedById = user.Id, TickedAt = now });
                db.RequestNotes.Add(new RequestNote { RequestId = request.Id, ClientId = client.Id, AuthorId = user.Id, TextCipher = Bytes(), CreatedAt = now });
                db.RequestStatusChanges.Add(new RequestStatusChange { RequestId = request.Id, To = RequestStatus.Received, ById = user.Id, At = now });
                db.RequestFiles.Add(new RequestFile { RequestId = request.Id, ClientId = client.Id, FileNameCipher = Bytes(), ContentType = "application/pdf", Size = 1, Sha256 = Bytes(), ContentCipher = Bytes(), CreatedById = user.Id, CreatedAt = now });
                db.AuditEntries.Add(new AuditEntry { PracticeId = practiceId, At = now, Action = "test.seed", TargetType = "client", TargetId = client.Id.ToString("N"), ClientId = client.Id });
                db.PracticeKeys.Add(new PracticeKey { PracticeId = practiceId, KeyVersion = i + 1, WrappedKey = Bytes(), MasterKeyId = "0000000000000000", CreatedAt = now });
                db.BreakGlasses.Add(new BreakGlass { PracticeId = practiceId, ClientId = client.Id, UserId = user.Id, ReasonCode = "test", ReasonCipher = Bytes(), OpenedAt = now, ExpiresAt = now });
                db.AuditCheckpoints.Add(new StoredCheckpoint { PracticeId = practiceId, EntryCount = 1, HeadHash = new byte[32], At = now, Signature = new byte[64], PublicKey = new byte[32], KeyId = "0000000000000000" });
                var release = new Release { PracticeId = practiceId, ClientId = client.Id, Kind = "test", Categories = "", ContentCipher = Bytes(), CreatedById = user.Id, CreatedAt = now, UpdatedAt = now };
                db.Releases.Add(release);
                db.DeterminationReleases.Add(new DeterminationRelease { DeterminationId = determination.Id, ReleaseId = release.Id });
                db.PortalTokens.Add(new PortalToken { PracticeId = practiceId, ClientId = client.Id, ReleaseId = release.Id, TokenHash = Bytes(), CreatedAt = now });
                db.PortalFailures.Add(new PortalFailure { At = now, Reason = "unknown", HashPrefix = "00000000", PracticeId = practiceId });
                db.Disclosures.Add(new Disclosure { PracticeId = practiceId, ClientId = client.Id, RequestId = request.Id, DisclosedOn = new DateOnly(2026, 1, 3), ContentCipher = Bytes(), DisclosedById = user.Id, RecordedAt = now });
                db.Packets.Add(new Packet { PracticeId = practiceId, ClientId = client.Id, RequestId = request.Id, DeterminationId = determination.Id, ReviewCipher = Bytes(), CreatedById = user.Id, CreatedAt = now });
                db.FinalizedDocuments.Add(
                    new FinalizedDocument
                    {
                        PracticeId = practiceId,
                        ClientId = client.Id,
                        RequestId = request.Id,
                        DeterminationId = determination.Id,
                        Version = 1,
                        TextCipher = Bytes(),
                        PdfCipher = Bytes(),
                        DocxCipher = Bytes(),
                        TextSha256 = Bytes(),
                        PdfSha256 = Bytes(),
                        DocxSha256 = Bytes(),
                        FinalizedById = user.Id,
                        FinalizedAt = now,
                    }
                );
            }
            await db.SaveChangesAsync(Ct);
        }
    }

    private sealed record TableState(bool Enabled, bool Forced, bool HasPolicy);

    /// <summary>Every table of the model: ENABLEd, FORCEd, with the practice_isolation policy; or allowlisted with a reason (and then not half-protected).</summary>
    [Fact]
    public async Task EveryModelTable_IsProtectedOrAllowlisted()
    {
        await using var db = app.NewDbContext();
        var modelTables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order().ToList();
        var states = await TableStatesAsync();
        var problems = new List<string>();
        foreach (var table in modelTables)
        {
            if (!states.TryGetValue(table, out var state))
            {
                problems.Add($"{table}: in the model but not in the database");
                continue;
            }
            var protectedFully = state is { Enabled: true, Forced: true, HasPolicy: true };
            if (RowLevelSecurity.Unprotected.TryGetValue(table, out var reason))
            {
                if (string.IsNullOrWhiteSpace(reason))
                {
                    problems.Add($"{table}: allowlisted without a reason");
                }
                if (protectedFully)
                {
                    problems.Add($"{table}: allowlisted in RowLevelSecurity.Unprotected but protected too; take it off the list");
                }
            }
            else if (!protectedFully)
            {
                problems.Add(
                    $"{table}: row-level security enabled={state.Enabled}, forced={state.Forced}, policy {RowLevelSecurity.PolicyName}={state.HasPolicy}. "
                        + "Protect it in a hand-written migration (its SQL written out like the RowLevelSecurity migration's) or allowlist it with the reason in RowLevelSecurity.Unprotected"
                );
            }
        }
        foreach (var stale in RowLevelSecurity.Unprotected.Keys.Except(modelTables))
        {
            problems.Add($"{stale}: on the allowlist but not a table of the model");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains("Clients", modelTables); // the model was read
    }

    /// <summary>Raw SQL as the app's role: nothing without the setting, exactly one practice's rows with it, in every protected table.</summary>
    [Fact]
    public async Task RawSql_AsTheAppRole_SeesOnlyThePracticeSet()
    {
        var tables = await ProtectedTablesAsync();
        Assert.True(tables.Count >= 24, $"only {tables.Count} protected tables found");
        await using (var owner = await OpenAsync(app.AdminConnectionString!))
        {
            foreach (var table in tables)
            {
                // A: one row, B: two, so a count tells which practice was seen. A table without them is a seed to add.
                Assert.True(await CountAsync(owner, table) == 3, $"{table}: seed one row of practice A and two of B in RowLevelSecurityTests.App.SeedAsync");
            }
        }

        await using var connection = await OpenAsync(app.ConnectionString);
        Assert.Equal(PostgresApp.AppRole, await ScalarAsync<string>(connection, "SELECT current_user"));
        var seen = new List<string>();
        foreach (var table in tables)
        {
            seen.Add($"{table}: none={await CountAsync(connection, table)}");
        }
        await SetAsync(connection, app.PracticeA);
        foreach (var table in tables)
        {
            seen.Add($"{table}: A={await CountAsync(connection, table)}");
        }
        await SetAsync(connection, app.PracticeB);
        foreach (var table in tables)
        {
            seen.Add($"{table}: B={await CountAsync(connection, table)}");
        }
        var expected = tables.Select(t => $"{t}: none=0").Concat(tables.Select(t => $"{t}: A=1")).Concat(tables.Select(t => $"{t}: B=2"));
        Assert.Equal(expected, seen);
    }

    /// <summary>The app's role cannot switch row-level security off, take the owner's role, read past it, or write another practice's rows.</summary>
    [Fact]
    public async Task AppRole_CannotEscapeOrWriteAcross()
    {
        await using var connection = await OpenAsync(app.ConnectionString);
        await SetAsync(connection, app.PracticeA);
        string[] refused =
        [
            "ALTER TABLE \"Clients\" DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE \"Clients\" NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY practice_isolation ON \"Clients\"",
            "CREATE POLICY everything ON \"Clients\" USING (true)",
            "SET ROLE postgres",
            "SET SESSION AUTHORIZATION postgres",
            "ALTER ROLE confide_app BYPASSRLS",
            $"INSERT INTO \"Clients\" (\"Id\", \"PracticeId\", \"NameCipher\", \"DateOfBirth\", \"CreatedAt\", \"Version\") VALUES (gen_random_uuid(), '{app.PracticeB}', '\\x00', '2000-01-01', now(), gen_random_uuid())",
            $"UPDATE \"Clients\" SET \"PracticeId\" = '{app.PracticeB}'",
            "UPDATE \"AuditEntries\" SET \"Detail\" = 'changed'",
            "DELETE FROM \"AuditEntries\"",
            "UPDATE \"AuditCheckpoints\" SET \"EntryCount\" = 2",
            "DELETE FROM \"Disclosures\"",
            "UPDATE \"Disclosures\" SET \"DisclosedOn\" = '2026-01-04'",
            "DELETE FROM \"PortalFailures\"",
            "DELETE FROM \"__EFMigrationsHistory\"",
            .. RowLevelSecurity.AppendOnly.SelectMany(t => new[] { $"UPDATE \"{t}\" SET \"PracticeId\" = \"PracticeId\"", $"DELETE FROM \"{t}\"" }),
        ];
        foreach (var sql in refused)
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
            Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
        }
        // With row_security off, a query that the policy would filter is an error, never every row.
        await ExecuteAsync(connection, "SET row_security = off");
        var off = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(connection, "Clients"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, off.SqlState);
        await ExecuteAsync(connection, "SET row_security = on");

        // Nothing changed: A still has its one client, B its two (seen as the owner).
        await using var owner = await OpenAsync(app.AdminConnectionString!);
        Assert.Equal(3, await CountAsync(owner, "Clients"));
        Assert.Equal(1L, await ScalarAsync<long>(owner, $"SELECT count(*) FROM \"Clients\" WHERE \"PracticeId\" = '{app.PracticeA}'"));
        Assert.Equal(3, await CountAsync(owner, "AuditEntries"));
        // The role is what the docs say: no superuser, no BYPASSRLS, owns nothing.
        Assert.Equal("f f 0", await ScalarAsync<string>(connection, "SELECT r.rolsuper::text::char || ' ' || r.rolbypassrls::text::char || ' ' || (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) FROM pg_roles r WHERE r.rolname = current_user"));
    }

    /// <summary>A bearer token's hash opens its one row of the token table and nothing else, without any practice.</summary>
    [Fact]
    public async Task TokenHash_OpensOnlyItsOwnRow()
    {
        await using var connection = await OpenAsync(app.ConnectionString);
        await using (var set = new NpgsqlCommand("SELECT set_config('confide.token_hash', @h, false)", connection))
        {
            set.Parameters.AddWithValue("h", Convert.ToHexStringLower(app.FeedHashOfB));
            await set.ExecuteNonQueryAsync(Ct);
        }
        Assert.Equal(1, await CountAsync(connection, "CalendarFeeds"));
        Assert.Equal(0, await CountAsync(connection, "Clients"));
        Assert.Equal(0, await CountAsync(connection, "AuditEntries"));
        // It reads; it does not write (the token policy is FOR SELECT): the row is not there to update or delete.
        Assert.Equal(0, await ExecuteAsync(connection, "UPDATE \"CalendarFeeds\" SET \"CreatedAt\" = now()"));
        Assert.Equal(0, await ExecuteAsync(connection, "DELETE FROM \"CalendarFeeds\""));
    }

    /// <summary>A portal failure of no practice is written without any setting, and then seen by no one but the owner; a failure of a practice needs that practice's setting.</summary>
    [Fact]
    public async Task PortalFailure_OfNoPractice_IsInsertOnly()
    {
        await using var connection = await OpenAsync(app.ConnectionString);
        const string Insert = "INSERT INTO \"PortalFailures\" (\"Id\", \"At\", \"Reason\", \"HashPrefix\", \"PracticeId\") VALUES (gen_random_uuid(), now(), 'unknown', 'ffffffff', {0})";
        Assert.Equal(1, await ExecuteAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "NULL")));
        var across = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, $"'{app.PracticeA}'")));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, across.SqlState);
        Assert.Equal(0, await CountAsync(connection, "PortalFailures"));
        await SetAsync(connection, app.PracticeA);
        Assert.Equal(1, await CountAsync(connection, "PortalFailures")); // the seeded one; the anonymous one is not A's
        await using var owner = await OpenAsync(app.AdminConnectionString!);
        Assert.Equal(1L, await ScalarAsync<long>(owner, "SELECT count(*) FROM \"PortalFailures\" WHERE \"HashPrefix\" = 'ffffffff' AND \"PracticeId\" IS NULL"));
        Assert.Equal(1, await ExecuteAsync(owner, "DELETE FROM \"PortalFailures\" WHERE \"HashPrefix\" = 'ffffffff'")); // leave the counts of the other tests as seeded
    }

    /// <summary>Through the app's own context: its scope sets the practice for each command, also after a change mid-way and after a rollback.</summary>
    [Fact]
    public async Task AppContext_ScopeDecidesWhatIsSeen()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        Assert.Equal(0, await db.Clients.CountAsync(Ct));
        db.Scope.Use(app.PracticeA);
        Assert.Equal(1, await db.Clients.CountAsync(Ct));
        Assert.All(await db.Requests.Select(r => r.PracticeId).ToListAsync(Ct), p => Assert.Equal(app.PracticeA, p));
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            db.Scope.Use(app.PracticeB);
            Assert.Equal(2, await db.Clients.CountAsync(Ct));
            await transaction.RollbackAsync(Ct); // undoes the setting made inside the transaction
        }
        Assert.Equal(2, await db.Clients.CountAsync(Ct)); // set again after the rollback: still B
        db.Scope.Clear();
        Assert.Equal(0, await db.RecordItems.CountAsync(Ct));

        // A row of B cannot be added while working for A (WITH CHECK), through EF as through SQL.
        db.Scope.Use(app.PracticeA);
        db.ClientKeys.Add(new ClientKey { PracticeId = app.PracticeB, ClientId = Guid.CreateVersion7(), KeyVersion = 1, WrappedKey = [1], CreatedAt = TimeProvider.System.GetUtcNow() });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
    }

    private async Task<Dictionary<string, TableState>> TableStatesAsync()
    {
        await using var owner = await OpenAsync(app.AdminConnectionString!);
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.policyname = @policy AND p.cmd = 'ALL')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """,
            owner
        );
        command.Parameters.AddWithValue("policy", RowLevelSecurity.PolicyName);
        var states = new Dictionary<string, TableState>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            states[reader.GetString(0)] = new TableState(reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3));
        }
        return states;
    }

    private async Task<List<string>> ProtectedTablesAsync() =>
        (await TableStatesAsync()).Where(kv => kv.Value is { Enabled: true, Forced: true, HasPolicy: true }).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task SetAsync(NpgsqlConnection connection, Guid practiceId)
    {
        await using var set = new NpgsqlCommand("SELECT set_config('confide.practice_id', @p, false)", connection);
        set.Parameters.AddWithValue("p", practiceId.ToString("D"));
        await set.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string table) =>
        (int)await ScalarAsync<long>(connection, $"SELECT count(*) FROM \"{table}\"");

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Ct);
    }
}
