using System.Security.Cryptography;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Crypto;

/// <summary>A key that cannot be retired because something still uses it (or it is the practice's current key).</summary>
public sealed class KeyInUseException(string message) : InvalidOperationException(message);

/// <summary>One practice key version as <c>confide keys status</c> shows it: never key material.</summary>
public sealed record PracticeKeyStatus(int Version, string MasterKeyId, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, int ClientKeys);

/// <summary>A practice's key hierarchy: its practice key versions, and client keys still wrapped directly by the master key or destroyed.</summary>
public sealed record PracticeKeyRingStatus(Guid PracticeId, IReadOnlyList<PracticeKeyStatus> Versions, int LegacyClientKeys, int DestroyedClientKeys);

/// <summary>What a rotation did in one practice.</summary>
public sealed record RotationResult(Guid PracticeId, int NewVersion, int Rewrapped, IReadOnlyList<int> Retired, IReadOnlyList<int> StillInUse);

/// <summary>
/// Key operations on the hierarchy master key → practice key → client data key: upgrading client keys
/// wrapped directly by the master key (databases from before practice keys), rotation (a new practice
/// key version, under the same or a new master key, and every client data key re-wrapped under it:
/// no record is re-encrypted), retiring a version nothing uses, status, and destroying a client's
/// data keys (crypto-shredding). Each operation is audited (identifiers and counts only) in the
/// same transaction as the change. Work goes a page of keys at a time.
/// </summary>
public sealed class KeyRing(ConfideDbContext db, MasterKey master, IAuditTrail audit, TimeProvider time)
{
    private const int Page = 500;

    /// <summary>
    /// Re-wraps every client data key still wrapped directly by the master key under its practice's
    /// current key (creating version 1 when the practice has none). The web app runs it at start-up,
    /// after the migrations; running it again finds nothing to do. Returns how many keys moved.
    /// </summary>
    public async Task<int> UpgradeLegacyAsync(CancellationToken ct)
    {
        // Practice by practice, each under its own setting: row-level security shows no client key across practices.
        var practices = await db.Practices.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
        var total = 0;
        foreach (var practiceId in practices)
        {
            db.Scope.Use(practiceId);
            if (!await db.ClientKeys.AnyAsync(k => k.PracticeId == practiceId && k.PracticeKeyVersion == null && k.DestroyedAt == null, ct).ConfigureAwait(false))
            {
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            var (version, practiceKey) = await PracticeKeys.CurrentAsync(db, master, practiceId, time, ct).ConfigureAwait(false);
            var moved = 0;
            while (true)
            {
                var keys = await db.ClientKeys.Where(k => k.PracticeId == practiceId && k.PracticeKeyVersion == null && k.DestroyedAt == null).OrderBy(k => k.Id).Take(Page).ToListAsync(ct).ConfigureAwait(false);
                if (keys.Count == 0)
                {
                    break;
                }
                foreach (var k in keys)
                {
                    var dataKey = master.UnwrapLegacy(k.PracticeId, k.ClientId, k.KeyVersion, k.WrappedKey);
                    k.WrappedKey = PracticeKeys.WrapClientKey(practiceKey, version, k.PracticeId, k.ClientId, k.KeyVersion, dataKey);
                    k.PracticeKeyVersion = version;
                }
                moved += keys.Count;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            audit.Add(practiceId, null, AuditEvent.PracticeKeyUpgraded(practiceId, version, moved, master.Id));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            total += moved;
        }
        return total;
    }

    /// <summary>
    /// In each practice (or only <paramref name="practiceId"/>): a new practice key version wrapped by
    /// <paramref name="newMaster"/> (default: the configured master key), every live client data key
    /// re-wrapped under it, then each older version retired once nothing uses it. One transaction per
    /// practice: a failure leaves that practice as it was.
    /// </summary>
    public async Task<IReadOnlyList<RotationResult>> RotateAsync(MasterKey? newMaster, Guid? practiceId, CancellationToken ct)
    {
        var target = newMaster ?? master;
        var practices = await db.Practices.Where(p => practiceId == null || p.Id == practiceId).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
        var results = new List<RotationResult>();
        foreach (var pid in practices)
        {
            db.Scope.Use(pid); // row-level security: each practice's keys under its own setting
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            var live = await db.PracticeKeys.Where(k => k.PracticeId == pid && k.RetiredAt == null).ToListAsync(ct).ConfigureAwait(false);
            var old = live.ToDictionary(k => k.KeyVersion, k => PracticeKeys.Unwrap(master, k));
            var next = (await db.PracticeKeys.Where(k => k.PracticeId == pid).MaxAsync(k => (int?)k.KeyVersion, ct).ConfigureAwait(false) ?? 0) + 1;
            var newKey = RandomNumberGenerator.GetBytes(Envelope.KeySize);
            var row = PracticeKeys.New(target, pid, next, newKey, time);
            db.PracticeKeys.Add(row);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            var rewrapped = 0;
            while (true)
            {
                var keys = await db.ClientKeys.Where(k => k.PracticeId == pid && k.DestroyedAt == null && (k.PracticeKeyVersion == null || k.PracticeKeyVersion != next))
                    .OrderBy(k => k.Id)
                    .Take(Page)
                    .ToListAsync(ct)
                    .ConfigureAwait(false);
                if (keys.Count == 0)
                {
                    break;
                }
                foreach (var k in keys)
                {
                    var dataKey = k.PracticeKeyVersion is { } pv
                        ? PracticeKeys.UnwrapClientKey(
                            old.TryGetValue(pv, out var pk) ? pk : throw new CryptographicException($"practice {pid:N}: client key {k.Id:N} is wrapped by practice key version {pv}, which is retired or missing"),
                            pv, k.PracticeId, k.ClientId, k.KeyVersion, k.WrappedKey)
                        : master.UnwrapLegacy(k.PracticeId, k.ClientId, k.KeyVersion, k.WrappedKey);
                    k.WrappedKey = PracticeKeys.WrapClientKey(newKey, next, k.PracticeId, k.ClientId, k.KeyVersion, dataKey);
                    k.PracticeKeyVersion = next;
                }
                rewrapped += keys.Count;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            // A new master key also re-seals the practice's users' authenticator keys (derived from the master key).
            var resealed = 0;
            if (target.Id != master.Id)
            {
                var userIds = await db.Users.Where(u => u.PracticeId == pid).Select(u => u.Id).ToListAsync(ct).ConfigureAwait(false);
                var tokens = await db.UserTokens.Where(t => userIds.Contains(t.UserId) && t.LoginProvider == AuthenticatorSecrets.LoginProvider && t.Name == AuthenticatorSecrets.TokenName)
                    .ToListAsync(ct)
                    .ConfigureAwait(false);
                foreach (var t in tokens.Where(t => t.Value is not null))
                {
                    t.Value = AuthenticatorSecrets.Seal(target, t.UserId, AuthenticatorSecrets.Open(master, t.UserId, t.Value)!);
                    resealed++;
                }
                // Account seals (an HMAC under a key derived from the master key) move to the new key, but
                // only those that hold: an account edited in the database stays refused.
                foreach (var user in await db.Users.Where(u => u.PracticeId == pid).ToListAsync(ct).ConfigureAwait(false))
                {
                    var roles = await AccountSeal.StoredRolesAsync(db, user.Id, ct).ConfigureAwait(false);
                    var seal = await db.UserTokens.FirstOrDefaultAsync(t => t.UserId == user.Id && t.LoginProvider == AccountSeal.LoginProvider && t.Name == AccountSeal.TokenName, ct).ConfigureAwait(false);
                    if (seal is not null && AccountSeal.Holds(master, user, roles, seal.Value))
                    {
                        seal.Value = AccountSeal.Compute(target, user, roles);
                    }
                }
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            audit.Add(pid, null, AuditEvent.PracticeKeyRotated(row.Id, next, rewrapped, target.Id, resealed));
            var retired = new List<int>();
            var inUse = new List<int>();
            foreach (var k in live.OrderBy(k => k.KeyVersion))
            {
                if (await UsersAsync(pid, k.KeyVersion, ct).ConfigureAwait(false) > 0)
                {
                    inUse.Add(k.KeyVersion);
                    continue;
                }
                Retire(k);
                retired.Add(k.KeyVersion);
            }
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            results.Add(new RotationResult(pid, next, rewrapped, retired, inUse));
        }
        return results;
    }

    /// <summary>Retires a practice key version: refused while any client key is wrapped by it, or while it is the practice's current key.</summary>
    /// <exception cref="KeyInUseException">Something still uses it.</exception>
    /// <exception cref="InvalidOperationException">No such version, or already retired.</exception>
    public async Task RetireAsync(Guid practiceId, int version, CancellationToken ct)
    {
        db.Scope.Use(practiceId); // an operator's command: row-level security shows the practice's keys under its setting
        var row = await db.PracticeKeys.FirstOrDefaultAsync(k => k.PracticeId == practiceId && k.KeyVersion == version, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"practice {practiceId:N} has no key version {version}");
        if (row.RetiredAt is not null)
        {
            throw new InvalidOperationException($"practice {practiceId:N}'s key version {version} is already retired");
        }
        var users = await UsersAsync(practiceId, version, ct).ConfigureAwait(false);
        if (users > 0)
        {
            throw new KeyInUseException($"practice {practiceId:N}'s key version {version} still wraps {users} client data key(s): rotate first (confide keys rotate), then retire");
        }
        var newest = await db.PracticeKeys.Where(k => k.PracticeId == practiceId && k.RetiredAt == null).MaxAsync(k => k.KeyVersion, ct).ConfigureAwait(false);
        if (newest == version)
        {
            throw new KeyInUseException($"practice {practiceId:N}'s key version {version} is its current key (new client keys are wrapped by it): rotate first");
        }
        Retire(row);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Every practice's key versions with what each wraps and whether it is retired.</summary>
    public async Task<IReadOnlyList<PracticeKeyRingStatus>> StatusAsync(CancellationToken ct)
    {
        var practices = await db.Practices.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
        var result = new List<PracticeKeyRingStatus>();
        foreach (var pid in practices)
        {
            db.Scope.Use(pid);
            var versions = await db.PracticeKeys.AsNoTracking().Where(k => k.PracticeId == pid).OrderBy(k => k.KeyVersion).Select(k => new { k.KeyVersion, k.MasterKeyId, k.CreatedAt, k.RetiredAt }).ToListAsync(ct).ConfigureAwait(false);
            var counts = await db.ClientKeys.AsNoTracking()
                .Where(k => k.PracticeId == pid && k.DestroyedAt == null)
                .GroupBy(k => k.PracticeKeyVersion)
                .Select(g => new { Version = g.Key, Count = g.Count() })
                .ToListAsync(ct)
                .ConfigureAwait(false);
            var destroyed = await db.ClientKeys.AsNoTracking().CountAsync(k => k.PracticeId == pid && k.DestroyedAt != null, ct).ConfigureAwait(false);
            result.Add(
                new PracticeKeyRingStatus(
                    pid,
                    versions.Select(v => new PracticeKeyStatus(v.KeyVersion, v.MasterKeyId, v.CreatedAt, v.RetiredAt, counts.Where(c => c.Version == v.KeyVersion).Sum(c => c.Count))).ToList(),
                    counts.Where(c => c.Version == null).Sum(c => c.Count),
                    destroyed
                )
            );
        }
        return result;
    }

    /// <summary>
    /// Destroys every data key of a client (crypto-shredding): the wrapped bytes are emptied and the
    /// time set, in the context; the caller saves it with its audit entry. Their ciphertexts stay
    /// where they are and can never be read again.
    /// </summary>
    public async Task<int> DestroyClientKeysAsync(Guid practiceId, Guid clientId, CancellationToken ct)
    {
        var keys = await db.ClientKeys.Where(k => k.PracticeId == practiceId && k.ClientId == clientId && k.DestroyedAt == null).ToListAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var k in keys)
        {
            CryptographicOperations.ZeroMemory(k.WrappedKey);
            k.WrappedKey = [];
            k.DestroyedAt = now;
        }
        return keys.Count;
    }

    private Task<int> UsersAsync(Guid practiceId, int version, CancellationToken ct) =>
        db.ClientKeys.CountAsync(k => k.PracticeId == practiceId && k.PracticeKeyVersion == version && k.DestroyedAt == null, ct);

    private void Retire(PracticeKey row)
    {
        row.RetiredAt = time.GetUtcNow();
        row.WrappedKey = [];
        audit.Add(row.PracticeId, null, AuditEvent.PracticeKeyRetired(row.Id, row.KeyVersion));
    }
}
