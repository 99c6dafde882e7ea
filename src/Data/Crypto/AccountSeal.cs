using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Crypto;

/// <summary>
/// An HMAC-SHA256, under a key derived from the master key, over what decides who an account is and
/// what it may do: its id, practice, password hash, two-factor flag, security stamp and roles. Kept in
/// <c>AspNetUserTokens</c> (<see cref="LoginProvider"/>, <see cref="TokenName"/>). Someone who can write
/// the database but has no master key cannot change any of these (a password hash they know, two-factor
/// off, another practice, the owner role) without the seal failing, and the web app then refuses the
/// sign-in and ends the account's sessions. Only the web app's user store (which checks the old seal
/// before writing a new one) and a master-key rotation (which re-seals only seals that hold) write it.
/// </summary>
public static class AccountSeal
{
    public const string LoginProvider = "[Confide]";
    public const string TokenName = "AccountSeal";
    private const string Label = "confide/account-seal/v1";

    /// <summary>The seal of these facts (roles by normalized name, in any order).</summary>
    public static string Compute(MasterKey masterKey, User user, IEnumerable<string> normalizedRoles)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(user);
        var text = new StringBuilder("confide-account-seal|1");
        void Field(string? value) => text.Append('|').Append((value ?? "").Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        Field(user.Id.ToString("N"));
        Field(user.PracticeId.ToString("N"));
        Field(user.PasswordHash);
        Field(user.TwoFactorEnabled ? "2fa" : "no-2fa");
        Field(user.SecurityStamp);
        Field(string.Join(',', normalizedRoles.Order(StringComparer.Ordinal)));
        return Convert.ToBase64String(masterKey.MacDerived(Label, Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>True when <paramref name="stored"/> is the seal of these facts (constant-time comparison).</summary>
    public static bool Holds(MasterKey masterKey, User user, IEnumerable<string> normalizedRoles, string? stored) =>
        stored is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(masterKey, user, normalizedRoles)), Encoding.ASCII.GetBytes(stored));

    /// <summary>The user's roles as stored (normalized names).</summary>
    public static Task<List<string>> StoredRolesAsync(ConfideDbContext db, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.NormalizedName!).ToListAsync(ct);
    }

    /// <summary>The seal as stored (null when there is none).</summary>
    public static Task<string?> StoredAsync(ConfideDbContext db, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UserTokens.AsNoTracking().Where(t => t.UserId == userId && t.LoginProvider == LoginProvider && t.Name == TokenName).Select(t => t.Value).FirstOrDefaultAsync(ct);
    }

    /// <summary>True when the account as stored in the database holds its stored seal.</summary>
    public static async Task<bool> HoldsAsStoredAsync(ConfideDbContext db, MasterKey masterKey, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct).ConfigureAwait(false);
        return user is not null && Holds(masterKey, user, await StoredRolesAsync(db, userId, ct).ConfigureAwait(false), await StoredAsync(db, userId, ct).ConfigureAwait(false));
    }
}
