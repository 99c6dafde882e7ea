using System.Security.Cryptography;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Data.Tests;

/// <summary>The key hierarchy master key → practice key → client data key: legacy upgrade, rotation, retiring, shredding.</summary>
public sealed class KeyRingTests
{
    private readonly MasterKey _master = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private static FieldRef Name(Guid practice, Guid client) => new(practice, client, "Clients", client, "name");

    private KeyRing Ring(ConfideDbContext db, MasterKey? master = null) => new(db, master ?? _master, new AuditTrail(db, _time), _time);

    private async Task<Client> ClientAsync(SqliteDb store, string name, CancellationToken ct)
    {
        await using var db = store.NewContext();
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        client.NameCipher = await new RecordCipher(db, _master, _time).EncryptAsync(Name(store.PracticeId, client.Id), name, ct);
        db.Clients.Add(client);
        await db.SaveChangesAsync(ct);
        return client;
    }

    private async Task<string> ReadAsync(SqliteDb store, Client client, MasterKey? master, CancellationToken ct)
    {
        await using var db = store.NewContext();
        return await new RecordCipher(db, master ?? _master, _time).DecryptStringAsync(Name(store.PracticeId, client.Id), client.NameCipher, ct);
    }

    [Fact]
    public async Task NewClientKey_IsWrappedByThePracticeKey_WhichTheMasterKeyWraps()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var client = await ClientAsync(store, "Ana", ct);

        await using var db = store.NewContext();
        var practiceKey = await db.PracticeKeys.SingleAsync(ct);
        var clientKey = await db.ClientKeys.SingleAsync(ct);
        Assert.Equal(1, practiceKey.KeyVersion);
        Assert.Equal(_master.Id, practiceKey.MasterKeyId);
        Assert.Equal(1, clientKey.PracticeKeyVersion);
        // Not the legacy format: the master key alone does not unwrap the client key.
        Assert.ThrowsAny<CryptographicException>(() => _master.UnwrapLegacy(store.PracticeId, client.Id, 1, clientKey.WrappedKey));
        Assert.Equal("Ana", await ReadAsync(store, client, null, ct));
    }

    [Fact]
    public async Task LegacyDatabase_ClientKeysWrappedByTheMasterKey_StillRead_AndAreRewrappedOnce_Audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        // A database as the first release wrote it: the client key wrapped directly by the master key.
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var dataKey = RandomNumberGenerator.GetBytes(32);
        await using (var db = store.NewContext())
        {
            db.ClientKeys.Add(new ClientKey { PracticeId = store.PracticeId, ClientId = client.Id, KeyVersion = 1, WrappedKey = _master.WrapLegacy(store.PracticeId, client.Id, 1, dataKey) });
            client.NameCipher = Envelope.Seal(dataKey, 1, System.Text.Encoding.UTF8.GetBytes($"confide/field/v1|{store.PracticeId:N}|{client.Id:N}|Clients|{client.Id:N}|name|1"), "Ana"u8);
            db.Clients.Add(client);
            await db.SaveChangesAsync(ct);
        }
        Assert.Equal("Ana", await ReadAsync(store, client, null, ct));

        await using (var db = store.NewContext())
        {
            Assert.Equal(1, await Ring(db).UpgradeLegacyAsync(ct));
        }
        await using (var db = store.NewContext())
        {
            Assert.Equal(0, await Ring(db).UpgradeLegacyAsync(ct));
            var key = await db.ClientKeys.SingleAsync(ct);
            Assert.Equal(1, key.PracticeKeyVersion);
            var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.KeyUpgrade, ct);
            Assert.Contains("rewrapped=1", entry.Detail, StringComparison.Ordinal);
        }
        Assert.Equal("Ana", await ReadAsync(store, client, null, ct));
    }

    [Fact]
    public async Task Rotate_RewrapsDataKeys_WithoutTouchingRecords_RetiresTheOldVersion_Audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var ana = await ClientAsync(store, "Ana", ct);
        var ben = await ClientAsync(store, "Ben", ct);

        IReadOnlyList<RotationResult> results;
        await using (var db = store.NewContext())
        {
            results = await Ring(db).RotateAsync(null, null, ct);
        }

        var r = Assert.Single(results);
        Assert.Equal(2, r.NewVersion);
        Assert.Equal(2, r.Rewrapped);
        Assert.Equal([1], r.Retired);
        await using (var db = store.NewContext())
        {
            Assert.All(await db.ClientKeys.ToListAsync(ct), k => Assert.Equal(2, k.PracticeKeyVersion));
            var v1 = await db.PracticeKeys.SingleAsync(k => k.KeyVersion == 1, ct);
            Assert.NotNull(v1.RetiredAt);
            Assert.Empty(v1.WrappedKey);
            // The record ciphertexts are the very bytes written before the rotation.
            Assert.Equal(ana.NameCipher, (await db.Clients.SingleAsync(c => c.Id == ana.Id, ct)).NameCipher);
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.KeyRotate && e.Detail!.Contains("version=2;rewrapped=2"), ct));
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.KeyRetire && e.Detail == "version=1", ct));
        }
        Assert.Equal("Ana", await ReadAsync(store, ana, null, ct));
        Assert.Equal("Ben", await ReadAsync(store, ben, null, ct));
        await using (var db = store.NewContext())
        {
            var status = Assert.Single(await Ring(db).StatusAsync(ct));
            Assert.Equal([(1, 0, true), (2, 2, false)], status.Versions.Select(v => (v.Version, v.ClientKeys, v.RetiredAt is not null)).ToList());
        }
    }

    [Fact]
    public async Task Rotate_ToANewMasterKey_TheOldOneNoLongerReads_TheNewOneDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var ana = await ClientAsync(store, "Ana", ct);
        var newMaster = MasterKey.Create(RandomNumberGenerator.GetBytes(32));

        await using (var db = store.NewContext())
        {
            await Ring(db).RotateAsync(newMaster, null, ct);
        }

        Assert.Equal("Ana", await ReadAsync(store, ana, newMaster, ct));
        var e = await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(store, ana, _master, ct));
        Assert.Contains(newMaster.Id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_ToANewMasterKey_ResealsAuthenticatorKeys_SealedAndLegacy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var sealedUser = new User { PracticeId = store.PracticeId, UserName = "a@test", Email = "a@test", DisplayName = "A" };
        var legacyUser = new User { PracticeId = store.PracticeId, UserName = "b@test", Email = "b@test", DisplayName = "B" };
        await using (var db = store.NewContext())
        {
            db.Users.AddRange(sealedUser, legacyUser);
            db.UserTokens.Add(new() { UserId = sealedUser.Id, LoginProvider = AuthenticatorSecrets.LoginProvider, Name = AuthenticatorSecrets.TokenName, Value = AuthenticatorSecrets.Seal(_master, sealedUser.Id, "SEALEDSECRETAAAA") });
            db.UserTokens.Add(new() { UserId = legacyUser.Id, LoginProvider = AuthenticatorSecrets.LoginProvider, Name = AuthenticatorSecrets.TokenName, Value = "LEGACYSECRETBBBB" });
            await db.SaveChangesAsync(ct);
        }
        var newMaster = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
        await using (var db = store.NewContext())
        {
            await Ring(db).RotateAsync(newMaster, null, ct);
        }
        await using (var db = store.NewContext())
        {
            var tokens = await db.UserTokens.AsNoTracking().ToDictionaryAsync(t => t.UserId, t => t.Value!, ct);
            Assert.All(tokens.Values, v => Assert.True(AuthenticatorSecrets.IsSealed(v)));
            Assert.Equal("SEALEDSECRETAAAA", AuthenticatorSecrets.Open(newMaster, sealedUser.Id, tokens[sealedUser.Id]));
            Assert.Equal("LEGACYSECRETBBBB", AuthenticatorSecrets.Open(newMaster, legacyUser.Id, tokens[legacyUser.Id]));
            Assert.ThrowsAny<CryptographicException>(() => AuthenticatorSecrets.Open(_master, sealedUser.Id, tokens[sealedUser.Id]));
            Assert.Contains("authenticators=2", (await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == AuditActions.KeyRotate, ct)).Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AuthenticatorSecret_SealedValue_HidesTheSecret_AndIsBoundToItsUser()
    {
        var user = Guid.NewGuid();
        var stored = AuthenticatorSecrets.Seal(_master, user, "JBSWY3DPEHPK3PXP");
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", stored, StringComparison.Ordinal);
        Assert.Equal("JBSWY3DPEHPK3PXP", AuthenticatorSecrets.Open(_master, user, stored));
        Assert.ThrowsAny<CryptographicException>(() => AuthenticatorSecrets.Open(_master, Guid.NewGuid(), stored)); // moved to another user's row
        Assert.Null(AuthenticatorSecrets.Open(_master, user, null));
    }

    [Fact]
    public async Task Retire_RefusedWhileAClientKeyUsesIt_OrWhileItIsTheCurrentKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var ana = await ClientAsync(store, "Ana", ct);
        await using (var db = store.NewContext())
        {
            // A second version that wraps nothing yet: version 1 still wraps Ana's key.
            db.PracticeKeys.Add(PracticeKeys.New(_master, store.PracticeId, 2, RandomNumberGenerator.GetBytes(32), _time));
            await db.SaveChangesAsync(ct);
        }

        await using (var db = store.NewContext())
        {
            var inUse = await Assert.ThrowsAsync<KeyInUseException>(() => Ring(db).RetireAsync(store.PracticeId, 1, ct));
            Assert.Contains("still wraps 1 client data key", inUse.Message, StringComparison.Ordinal);
            var current = await Assert.ThrowsAsync<KeyInUseException>(() => Ring(db).RetireAsync(store.PracticeId, 2, ct));
            Assert.Contains("current key", current.Message, StringComparison.Ordinal);
        }
        await using (var db = store.NewContext())
        {
            Assert.Equal(0, await db.PracticeKeys.CountAsync(k => k.RetiredAt != null, ct));
        }
        Assert.Equal("Ana", await ReadAsync(store, ana, null, ct));
    }

    [Fact]
    public async Task DestroyClientKeys_LeavesTheCiphertext_ButNothingDecryptsIt_AndNothingNewIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var ana = await ClientAsync(store, "Ana", ct);
        var ben = await ClientAsync(store, "Ben", ct);

        await using (var db = store.NewContext())
        {
            Assert.Equal(1, await Ring(db).DestroyClientKeysAsync(store.PracticeId, ana.Id, ct));
            await db.SaveChangesAsync(ct);
        }

        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(store, ana, null, ct));
        Assert.Equal("Ben", await ReadAsync(store, ben, null, ct));
        await using (var db = store.NewContext())
        {
            Assert.NotEmpty((await db.Clients.SingleAsync(c => c.Id == ana.Id, ct)).NameCipher);
            // No new key is made for a shredded client.
            await Assert.ThrowsAnyAsync<CryptographicException>(() => new RecordCipher(db, _master, _time).EncryptAsync(Name(store.PracticeId, ana.Id), "again", ct));
            // Rotation leaves destroyed keys alone.
            var r = Assert.Single(await Ring(db).RotateAsync(null, null, ct));
            Assert.Equal(1, r.Rewrapped);
        }
    }
}
