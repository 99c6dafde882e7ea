using System.Security.Cryptography;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Data.Tests;

public sealed class RecordCipherTests
{
    private readonly MasterKey _master = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EncryptAsync_FirstUse_CreatesOneWrappedKey_SavedWithTheData_ThenDecryptsInANewScope()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var field = new FieldRef(store.PracticeId, client.Id, "Clients", client.Id, "name");
        await using (var db = store.NewContext())
        {
            var cipher = new RecordCipher(db, _master, _time);
            client.NameCipher = await cipher.EncryptAsync(field, "Ana Ferreira", ct);
            var second = await cipher.EncryptAsync(field with { Field = "other" }, "x", ct);
            Assert.Equal(1, Envelope.KeyVersionOf(second));
            db.Clients.Add(client);
            await db.SaveChangesAsync(ct);
        }

        await using var fresh = store.NewContext();
        var keys = await fresh.ClientKeys.Where(k => k.ClientId == client.Id).ToListAsync(ct);
        var key = Assert.Single(keys);
        Assert.Equal(1, key.KeyVersion);
        Assert.Equal(_time.GetUtcNow(), key.CreatedAt);
        var stored = await fresh.Clients.SingleAsync(c => c.Id == client.Id, ct);
        Assert.Equal("Ana Ferreira", await new RecordCipher(fresh, _master, _time).DecryptStringAsync(field, stored.NameCipher, ct));
    }

    [Fact]
    public async Task DecryptAsync_WrongMasterKey_Fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var field = new FieldRef(store.PracticeId, client.Id, "Clients", client.Id, "name");
        await using (var db = store.NewContext())
        {
            client.NameCipher = await new RecordCipher(db, _master, _time).EncryptAsync(field, "Ana Ferreira", ct);
            db.Clients.Add(client);
            await db.SaveChangesAsync(ct);
        }

        await using var fresh = store.NewContext();
        var other = new RecordCipher(fresh, MasterKey.Create(RandomNumberGenerator.GetBytes(32)), _time);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => other.DecryptAsync(field, client.NameCipher, ct));
    }

    [Fact]
    public async Task DecryptAsync_CiphertextMovedToAnotherClient_Fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        await using var db = store.NewContext();
        var cipher = new RecordCipher(db, _master, _time);
        var a = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var b = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1991, 1, 1) };
        a.NameCipher = await cipher.EncryptAsync(new FieldRef(store.PracticeId, a.Id, "Clients", a.Id, "name"), "Ana", ct);
        b.NameCipher = await cipher.EncryptAsync(new FieldRef(store.PracticeId, b.Id, "Clients", b.Id, "name"), "Ben", ct);
        db.Clients.AddRange(a, b);
        await db.SaveChangesAsync(ct);

        // a's ciphertext copied into b's row: different data key and different associated data.
        await Assert.ThrowsAnyAsync<CryptographicException>(() => cipher.DecryptAsync(new FieldRef(store.PracticeId, b.Id, "Clients", b.Id, "name"), a.NameCipher, ct));
    }

    [Fact]
    public async Task DecryptAsync_DestroyedKey_Fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var field = new FieldRef(store.PracticeId, client.Id, "Clients", client.Id, "name");
        await using (var db = store.NewContext())
        {
            client.NameCipher = await new RecordCipher(db, _master, _time).EncryptAsync(field, "Ana", ct);
            db.Clients.Add(client);
            await db.SaveChangesAsync(ct);
            var key = await db.ClientKeys.SingleAsync(k => k.ClientId == client.Id, ct);
            key.WrappedKey = [];
            key.DestroyedAt = _time.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }

        await using var fresh = store.NewContext();
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new RecordCipher(fresh, _master, _time).DecryptAsync(field, client.NameCipher, ct));
    }
}
