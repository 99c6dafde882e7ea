using Confide.Data;
using Microsoft.Extensions.Configuration;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Cli.Tests;

/// <summary><c>confide keys status</c> and <c>confide keys rotate</c> on a database built through the data layer, SQLite and PostgreSQL.</summary>
public abstract class KeysCommandTests<TStore>(TStore store) : IClassFixture<TStore>
    where TStore : AuditStore
{
    private async Task<(Guid Practice, Client Client)> ClientAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var practice = await store.NewPracticeAsync(1);
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var client = new Client { PracticeId = practice, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        client.NameCipher = await scope.ServiceProvider.GetRequiredService<RecordCipher>().EncryptAsync(Name(client), name, ct);
        db.Clients.Add(client);
        await db.SaveChangesAsync(ct);
        return (practice, client);
    }

    private static FieldRef Name(Client c) => new(c.PracticeId, c.Id, "Clients", c.Id, "name");

    private async Task<string> ReadAsync(Client client, MasterKey master)
    {
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        return await new RecordCipher(db, master, store.Time).DecryptStringAsync(Name(client), client.NameCipher, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Status_ThenRotate_ToANewMasterKey_RewrapsAndRetires_RecordsUnchanged_Audited_NeverPrintsKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        var (practice, client) = await ClientAsync("Ana zq9");
        var master = store.Services.GetRequiredService<MasterKey>();
        var masterText = (await File.ReadAllTextAsync(store.MasterKeyFile, ct)).Trim();

        var before = store.Cli("keys", "status");
        Assert.Equal(0, before.Code);
        Assert.Contains($"practice {practice:D}:", before.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice key v1: active, wrapped by master key {master.Id}", before.Stdout, StringComparison.Ordinal);
        Assert.Contains("wraps 1 client data key(s)", before.Stdout, StringComparison.Ordinal);

        var newKeyFile = Path.Combine(store.Dir.FullName, "keys", "confide-master-2.key");
        var rotated = store.Cli("keys", "rotate", "--new-master-key", newKeyFile);
        Assert.True(rotated.Code == 0, rotated.ToString());
        Assert.Contains($"practice {practice:D}: practice key v2, 1 client data key(s) re-wrapped, retired v1", rotated.Stdout, StringComparison.Ordinal);
        var newMaster = MasterKey.LoadOrCreate(newKeyFile);
        Assert.Contains(newMaster.Id, rotated.Stdout, StringComparison.Ordinal);

        Assert.Equal("Ana zq9", await ReadAsync(client, newMaster));
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => ReadAsync(client, master));
        var after = store.Cli("keys", "status");
        Assert.Contains("practice key v1: retired", after.Stdout, StringComparison.Ordinal);
        Assert.Contains($"practice key v2: active, wrapped by master key {newMaster.Id}", after.Stdout, StringComparison.Ordinal);
        foreach (var output in new[] { before, rotated, after })
        {
            Assert.DoesNotContain(masterText, output.Stdout + output.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain((await File.ReadAllTextAsync(newKeyFile, ct)).Trim(), output.Stdout + output.Stderr, StringComparison.Ordinal);
        }
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        Assert.Equal(client.NameCipher, (await db.Clients.SingleAsync(c => c.Id == client.Id, ct)).NameCipher);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.PracticeId == practice && e.Action == AuditActions.KeyRotate, ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.PracticeId == practice && e.Action == AuditActions.KeyRetire, ct));
        // The chain is still intact after the key operations were appended to it.
        Assert.Equal(0, store.Cli("audit", "verify", "--practice", practice.ToString()).Code);
    }

    [Fact]
    public void Rotate_WithoutTheMasterKeyFile_IsBadInput_NothingCreated()
    {
        var missing = Path.Combine(store.Dir.FullName, "nowhere", "confide-master.key");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = store.Provider, ["ConnectionStrings:Confide"] = store.ConnectionString, ["Keys:MasterKeyFile"] = missing })
            .Build();
        var result = CliRunner.Run(["keys", "rotate"], configuration);
        Assert.Equal(2, result.Code);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void Rotate_ANewMasterKeyForOnePracticeOnly_IsBadInput()
    {
        var result = store.Cli("keys", "rotate", "--practice", Guid.NewGuid().ToString(), "--new-master-key", Path.Combine(store.Dir.FullName, "other.key"));
        Assert.Equal(2, result.Code);
        Assert.Contains("every practice", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(store.Dir.FullName, "other.key")));
    }

    [Fact]
    public void Rotate_WithTheConfiguredKeyFileAsTheNewOne_IsBadInput()
    {
        _ = store.Services.GetRequiredService<MasterKey>(); // the web app's first run creates the file
        var result = store.Cli("keys", "rotate", "--new-master-key", store.MasterKeyFile);
        Assert.Equal(2, result.Code);
        Assert.Contains("--new-master-key", result.Stderr, StringComparison.Ordinal);
    }
}

public sealed class SqliteKeysCommandTests(SqliteStore store) : KeysCommandTests<SqliteStore>(store);

public sealed class PostgresKeysCommandTests(PostgresStore store) : KeysCommandTests<PostgresStore>(store);
