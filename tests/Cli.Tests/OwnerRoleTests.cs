using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Confide.Cli.Tests;

/// <summary>
/// PostgreSQL with a table owner that is not a superuser, as a production server has it: the tables
/// are FORCEd, so row-level security holds their owner too. Without a practice set the owner sees no
/// audit entry at all; <c>confide audit verify</c> under the owner connection still checks every
/// practice's whole chain, because it sets each practice in turn.
/// </summary>
public sealed class OwnerRoleTests : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private string Owner => $"confide_owner_{_suffix}";
    private string Database => $"confide_owner_test_{_suffix}";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("confide-owner-");

    private string OwnerConnection => new NpgsqlConnectionStringBuilder($"{PostgresStore.Server};Database={Database}") { Username = Owner, Password = null }.ConnectionString;

    private IConfiguration Configuration =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "postgres",
                    ["ConnectionStrings:Confide"] = OwnerConnection, // one role for all: ConfideAdmin defaults to it
                    ["Keys:MasterKeyFile"] = Path.Combine(_dir.FullName, "confide-master.key"),
                }
            )
            .Build();

    public async ValueTask InitializeAsync()
    {
        await using var server = new NpgsqlConnection($"{PostgresStore.Server};Database=postgres");
        await server.OpenAsync(Ct);
        foreach (var sql in new[] { $"CREATE ROLE {Owner} LOGIN NOSUPERUSER NOBYPASSRLS", $"CREATE DATABASE {Database} OWNER {Owner}" })
        {
            await using var command = new NpgsqlCommand(sql, server);
            await command.ExecuteNonQueryAsync(Ct);
        }
    }

    [Fact]
    public async Task AuditVerify_UnderANonSuperuserOwner_ChecksEveryChain_ThatTheOwnerCannotSeeUnscoped()
    {
        var settings = DataSettings.From(Configuration);
        await settings.MigrateAsync(Ct);
        var services = new ServiceCollection().AddConfideData(Configuration).BuildServiceProvider();
        await using (services)
        {
            var a = await PracticeWithEntriesAsync(services, 5);
            var b = await PracticeWithEntriesAsync(services, 3);

            await using var raw = new NpgsqlConnection(OwnerConnection);
            await raw.OpenAsync(Ct);
            Assert.Equal(0L, await CountAsync(raw)); // FORCEd: the owner sees nothing without a practice
            await using (var set = new NpgsqlCommand($"SELECT set_config('confide.practice_id', '{a}', false)", raw))
            {
                await set.ExecuteNonQueryAsync(Ct);
            }
            Assert.Equal(5L, await CountAsync(raw));

            var result = CliRunner.Run(["audit", "verify"], Configuration);
            Assert.True(result.Code == 0, result.ToString());
            Assert.Contains("2 practices, 8 entries checked", result.Stdout, StringComparison.Ordinal);
            var only = CliRunner.Run(["audit", "verify", "--practice", b.ToString()], Configuration);
            Assert.True(only.Code == 0, only.ToString());
            Assert.Contains("3 entries checked", only.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// <c>confide keys status</c> and <c>rotate</c> see each practice's keys, <c>confide accounting</c>
    /// finds a client of the second practice (looking in each practice in turn: unscoped, the owner
    /// sees no client) and <c>confide audit checkpoint --store</c> writes the
    /// checkpoint as the practice, so it is seen under that practice's setting and no other.
    /// </summary>
    [Fact]
    public async Task KeysAccountingAndStoredCheckpoint_UnderANonSuperuserOwner_WorkAsThePractice()
    {
        var settings = DataSettings.From(Configuration);
        await settings.MigrateAsync(Ct);
        var services = new ServiceCollection().AddConfideData(Configuration).BuildServiceProvider();
        await using (services)
        {
            var a = await PracticeWithEntriesAsync(services, 2);
            var b = await PracticeWithEntriesAsync(services, 1); // made after a: looked in second
            Guid clientId;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
                db.Scope.Use(b);
                var cipher = scope.ServiceProvider.GetRequiredService<Confide.Data.Crypto.RecordCipher>();
                var user = new User { PracticeId = b, UserName = $"c{Guid.NewGuid():N}@test", Email = $"c{Guid.NewGuid():N}@test", DisplayName = "Dr. Owner Test" };
                var client = new Client { PracticeId = b, NameCipher = [], DateOfBirth = new DateOnly(1980, 1, 1) };
                client.NameCipher = await cipher.EncryptAsync(new Confide.Data.Crypto.FieldRef(b, client.Id, "Clients", client.Id, "name"), "Owner Client (fictional)", Ct);
                db.Users.Add(user);
                db.Clients.Add(client);
                await db.SaveChangesAsync(Ct);
                await scope.ServiceProvider.GetRequiredService<Confide.Data.Disclosures.DisclosureLog>().RecordAsync(
                    new Confide.Data.Disclosures.NewDisclosure(b, client.Id, Confide.Core.Disclosure.DisclosureBasis.CourtOrder, new DateOnly(2026, 3, 1), "Superior Court", "1 Court St", "billing records", "order", user.Id),
                    Ct
                );
                await db.SaveChangesAsync(Ct);
                clientId = client.Id;
            }

            // The key ring, practice by practice: b's practice key wraps b's one client key.
            var status = CliRunner.Run(["keys", "status"], Configuration);
            Assert.True(status.Code == 0, status.ToString());
            Assert.Contains($"practice {b:D}:", status.Stdout, StringComparison.Ordinal);
            Assert.Contains("wraps 1 client data key(s)", status.Stdout, StringComparison.Ordinal);
            var rotated = CliRunner.Run(["keys", "rotate", "--practice", b.ToString()], Configuration);
            Assert.True(rotated.Code == 0, rotated.ToString());
            Assert.Contains($"practice {b:D}: practice key v2, 1 client data key(s) re-wrapped", rotated.Stdout, StringComparison.Ordinal);

            var accounting = CliRunner.Run(["accounting", "--client", clientId.ToString(), "--as-of", "2026-11-29"], Configuration);
            Assert.True(accounting.Code == 0, accounting.ToString());
            Assert.Contains("Superior Court", accounting.Stdout, StringComparison.Ordinal);

            var stored = CliRunner.Run(["audit", "checkpoint", "--store", "--practice", b.ToString()], Configuration);
            Assert.True(stored.Code == 0, stored.ToString());
            Assert.Contains("Checkpoint stored in the database", stored.Stdout, StringComparison.Ordinal);
            await using var raw = new NpgsqlConnection(OwnerConnection);
            await raw.OpenAsync(Ct);
            var seen = new List<long>();
            foreach (var practice in new[] { "", a.ToString(), b.ToString() })
            {
                await using (var set = new NpgsqlCommand("SELECT set_config('confide.practice_id', @p, false)", raw))
                {
                    set.Parameters.AddWithValue("p", practice);
                    await set.ExecuteNonQueryAsync(Ct);
                }
                await using var count = new NpgsqlCommand("SELECT count(*) FROM \"AuditCheckpoints\"", raw);
                seen.Add((long)(await count.ExecuteScalarAsync(Ct))!);
            }
            Assert.Equal([0L, 0L, 1L], seen); // none unscoped, none of a, b's one
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM \"AuditEntries\"", connection);
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<Guid> PracticeWithEntriesAsync(IServiceProvider services, int entries)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        var practice = new Practice { Name = "Owner test practice", Address = "1 Test St", Jurisdiction = "US-CA" };
        db.Scope.Use(practice.Id); // the owner writes a practice's entries only as that practice
        db.Practices.Add(practice);
        for (var i = 0; i < entries; i++)
        {
            audit.Add(practice.Id, null, AuditEvent.DemoRecordCreated(new RecordItem { ClientId = Guid.NewGuid(), Category = Category.ProgressNotes, ContentCipher = [] }));
            await db.SaveChangesAsync(Ct);
        }
        return practice.Id;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection($"{PostgresStore.Server};Database=postgres");
        await server.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", $"DROP ROLE IF EXISTS {Owner}" })
        {
            await using var command = new NpgsqlCommand(sql, server);
            await command.ExecuteNonQueryAsync();
        }
        _dir.Delete(recursive: true);
    }
}
