using System.Security.Cryptography;
using System.Text;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Crypto;

/// <summary>
/// The middle of the key hierarchy (master key → practice key → client data key → field): finding,
/// creating and unwrapping a practice's current key, and wrapping a client's data key under it.
/// Shared by <see cref="RecordCipher"/> and <see cref="KeyRing"/> so both wrap the same way.
/// </summary>
internal static class PracticeKeys
{
    /// <summary>
    /// The practice's newest key version not retired, unwrapped, to wrap a client key with; created
    /// (version 1, added to the context) when the practice has none. An existing row is marked
    /// modified, so the save that stores the new client key also checks the row's concurrency token:
    /// if a rotation retired this version meanwhile, that save fails instead of storing a client key
    /// under a retired (emptied) practice key; and a rotation whose retire comes after it fails instead.
    /// </summary>
    public static async Task<(int Version, byte[] Key)> CurrentAsync(ConfideDbContext db, MasterKey master, Guid practiceId, TimeProvider time, CancellationToken ct)
    {
        var row =
            db.PracticeKeys.Local.Where(k => k.PracticeId == practiceId && k.RetiredAt == null).MaxBy(k => k.KeyVersion)
            ?? await db.PracticeKeys.Where(k => k.PracticeId == practiceId && k.RetiredAt == null).OrderByDescending(k => k.KeyVersion).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (row is not null)
        {
            var entry = db.Entry(row);
            if (entry.State == EntityState.Unchanged)
            {
                entry.State = EntityState.Modified;
            }
            return (row.KeyVersion, Unwrap(master, row));
        }
        var key = RandomNumberGenerator.GetBytes(Envelope.KeySize);
        db.PracticeKeys.Add(New(master, practiceId, 1, key, time));
        return (1, key);
    }

    public static PracticeKey New(MasterKey master, Guid practiceId, int version, byte[] key, TimeProvider time) =>
        new()
        {
            PracticeId = practiceId,
            KeyVersion = version,
            WrappedKey = master.WrapPracticeKey(practiceId, version, key),
            MasterKeyId = master.Id,
            CreatedAt = time.GetUtcNow(),
        };

    /// <exception cref="CryptographicException">Retired, or wrapped by another master key than the configured one (named by fingerprint), or altered.</exception>
    public static byte[] Unwrap(MasterKey master, PracticeKey row)
    {
        if (row.RetiredAt is not null)
        {
            throw new CryptographicException($"practice {row.PracticeId:N}'s key version {row.KeyVersion} is retired");
        }
        if (row.MasterKeyId != master.Id)
        {
            throw new CryptographicException(
                $"practice {row.PracticeId:N}'s key version {row.KeyVersion} is wrapped by master key {row.MasterKeyId}, but the configured master key ({master.Path}) is {master.Id}"
            );
        }
        return master.UnwrapPracticeKey(row.PracticeId, row.KeyVersion, row.WrappedKey);
    }

    /// <summary>Wraps a client's data key under a practice key version, bound to practice, client, data key version and practice key version.</summary>
    public static byte[] WrapClientKey(ReadOnlySpan<byte> practiceKey, int practiceKeyVersion, Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> dataKey) =>
        Envelope.Seal(practiceKey, practiceKeyVersion, ClientKeyAad(practiceId, clientId, keyVersion, practiceKeyVersion), dataKey);

    public static byte[] UnwrapClientKey(ReadOnlySpan<byte> practiceKey, int practiceKeyVersion, Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> wrapped) =>
        Envelope.Open(practiceKey, ClientKeyAad(practiceId, clientId, keyVersion, practiceKeyVersion), wrapped);

    private static byte[] ClientKeyAad(Guid practiceId, Guid clientId, int keyVersion, int practiceKeyVersion) =>
        Encoding.UTF8.GetBytes($"confide/client-key/v{Envelope.FormatVersion}|{practiceId:N}|{clientId:N}|{keyVersion}|practice-key={practiceKeyVersion}");
}
