using System.Security.Cryptography;
using System.Text;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Crypto;

/// <summary>
/// The one encryption service for client data (scoped, like the DbContext). Each client has a
/// data key, generated on first need and stored in <c>ClientKeys</c> wrapped by the practice's
/// current key (<c>PracticeKeys</c>), itself wrapped by the <see cref="MasterKey"/>; new key rows
/// are added to the context and saved with the data they encrypt. Unwrapped keys are cached for the
/// scope (one request) only. Decrypting is for <see cref="Access.ClientContent"/> alone, the one
/// place that authorizes reading client content (an architecture test holds every other caller out).
/// </summary>
public sealed class RecordCipher(ConfideDbContext db, MasterKey masterKey, TimeProvider time)
{
    private readonly Dictionary<(Guid Client, int Version), byte[]> _keys = [];
    private readonly Dictionary<Guid, int> _current = [];
    private readonly Dictionary<(Guid Practice, int Version), byte[]> _practiceKeys = [];

    public async Task<byte[]> EncryptAsync(FieldRef field, ReadOnlyMemory<byte> plaintext, CancellationToken ct)
    {
        var (version, key) = await CurrentKeyAsync(field.PracticeId, field.ClientId, ct).ConfigureAwait(false);
        return Envelope.Seal(key, version, field.AssociatedData(version), plaintext.Span);
    }

    public Task<byte[]> EncryptAsync(FieldRef field, string plaintext, CancellationToken ct) =>
        EncryptAsync(field, Encoding.UTF8.GetBytes(plaintext), ct);

    /// <exception cref="CryptographicException">Tampered with, moved to another row, field or client, or the key is gone.</exception>
    public async Task<byte[]> DecryptAsync(FieldRef field, byte[] ciphertext, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var version = Envelope.KeyVersionOf(ciphertext);
        var key = await KeyAsync(field.PracticeId, field.ClientId, version, ct).ConfigureAwait(false);
        return Envelope.Open(key, field.AssociatedData(version), ciphertext);
    }

    public async Task<string> DecryptStringAsync(FieldRef field, byte[] ciphertext, CancellationToken ct) =>
        Encoding.UTF8.GetString(await DecryptAsync(field, ciphertext, ct).ConfigureAwait(false));

    private async Task<(int Version, byte[] Key)> CurrentKeyAsync(Guid practiceId, Guid clientId, CancellationToken ct)
    {
        if (_current.TryGetValue(clientId, out var cached))
        {
            return (cached, _keys[(clientId, cached)]);
        }
        var row =
            db.ClientKeys.Local.Where(k => k.ClientId == clientId && k.DestroyedAt == null).MaxBy(k => k.KeyVersion)
            ?? await db.ClientKeys.Where(k => k.ClientId == clientId && k.DestroyedAt == null)
                .OrderByDescending(k => k.KeyVersion)
                .FirstOrDefaultAsync(ct)
                .ConfigureAwait(false);
        byte[] key;
        if (row is null)
        {
            if (await db.ClientKeys.AnyAsync(k => k.ClientId == clientId && k.DestroyedAt != null, ct).ConfigureAwait(false))
            {
                throw new CryptographicException($"client {clientId:N}'s data key was destroyed: nothing more is written for them");
            }
            key = RandomNumberGenerator.GetBytes(Envelope.KeySize);
            var (practiceVersion, practiceKey) = await PracticeKeys.CurrentAsync(db, masterKey, practiceId, time, ct).ConfigureAwait(false);
            _practiceKeys[(practiceId, practiceVersion)] = practiceKey;
            row = new ClientKey
            {
                PracticeId = practiceId,
                ClientId = clientId,
                KeyVersion = 1,
                PracticeKeyVersion = practiceVersion,
                WrappedKey = PracticeKeys.WrapClientKey(practiceKey, practiceVersion, practiceId, clientId, 1, key),
                CreatedAt = time.GetUtcNow(),
            };
            db.ClientKeys.Add(row);
        }
        else
        {
            key = await UnwrapAsync(row, ct).ConfigureAwait(false);
        }
        _keys[(clientId, row.KeyVersion)] = key;
        _current[clientId] = row.KeyVersion;
        return (row.KeyVersion, key);
    }

    private async Task<byte[]> KeyAsync(Guid practiceId, Guid clientId, int version, CancellationToken ct)
    {
        if (_keys.TryGetValue((clientId, version), out var cached))
        {
            return cached;
        }
        var row =
            db.ClientKeys.Local.FirstOrDefault(k => k.ClientId == clientId && k.KeyVersion == version)
            ?? await db.ClientKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ClientId == clientId && k.KeyVersion == version, ct).ConfigureAwait(false)
            ?? throw new CryptographicException($"client {clientId:N} has no data key version {version}");
        if (row.DestroyedAt is not null)
        {
            throw new CryptographicException($"client {clientId:N}'s data key version {version} was destroyed");
        }
        if (row.PracticeId != practiceId)
        {
            throw new CryptographicException($"client {clientId:N}'s data key belongs to another practice");
        }
        var key = await UnwrapAsync(row, ct).ConfigureAwait(false);
        _keys[(clientId, version)] = key;
        return key;
    }

    /// <summary>A client's data key: under its practice key version, or (a database from before practice keys) the master key.</summary>
    private async Task<byte[]> UnwrapAsync(ClientKey row, CancellationToken ct)
    {
        if (row.PracticeKeyVersion is not { } pv)
        {
            return masterKey.UnwrapLegacy(row.PracticeId, row.ClientId, row.KeyVersion, row.WrappedKey);
        }
        if (!_practiceKeys.TryGetValue((row.PracticeId, pv), out var practiceKey))
        {
            var practiceRow =
                db.PracticeKeys.Local.FirstOrDefault(k => k.PracticeId == row.PracticeId && k.KeyVersion == pv)
                ?? await db.PracticeKeys.AsNoTracking().FirstOrDefaultAsync(k => k.PracticeId == row.PracticeId && k.KeyVersion == pv, ct).ConfigureAwait(false)
                ?? throw new CryptographicException($"practice {row.PracticeId:N} has no key version {pv}");
            practiceKey = PracticeKeys.Unwrap(masterKey, practiceRow);
            _practiceKeys[(row.PracticeId, pv)] = practiceKey;
        }
        return PracticeKeys.UnwrapClientKey(practiceKey, pv, row.PracticeId, row.ClientId, row.KeyVersion, row.WrappedKey);
    }
}
