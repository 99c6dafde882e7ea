using Confide.Data;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web;

/// <summary>
/// Identity's EF store, with the authenticator key sealed at rest (<see cref="AuthenticatorSecrets"/>):
/// everything else is the framework's. A stored key that is not sealed is refused (read as no key):
/// someone who can write the database cannot plant a secret they know. Databases from before sealing
/// are upgraded once at start (<see cref="SealPlaintextKeysAsync"/>). Turning two-factor on marks the
/// sealed key as enrolled, so a two-factor flag switched off in the database does not reopen
/// enrolment (which would show the account's secret): only the owner's reset does.
/// </summary>
internal sealed class ConfideUserStore(ConfideDbContext context, MasterKey masterKey, IdentityErrorDescriber? describer = null)
    : UserStore<User, Role, ConfideDbContext, Guid>(context, describer)
{
    private const string Enrolled = "enrolled|";

    public override async Task<IdentityResult> CreateAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await base.CreateAsync(user, cancellationToken);
        if (result.Succeeded)
        {
            await WriteSealAsync(user, cancellationToken);
            await Context.SaveChangesAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Every change Identity saves re-seals the account (<see cref="AccountSeal"/>), but only when the
    /// account as stored still holds its seal: an account edited in the database is never re-sealed by
    /// the app (not by a failed sign-in either), so it stays refused.
    /// </summary>
    public override async Task<IdentityResult> UpdateAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await AccountSeal.HoldsAsStoredAsync(Context, masterKey, user.Id, cancellationToken))
        {
            await WriteSealAsync(user, cancellationToken);
        }
        return await base.UpdateAsync(user, cancellationToken);
    }

    /// <summary>True when the account as stored holds its seal (checked at sign-in and at every security-stamp validation).</summary>
    public Task<bool> SealHoldsAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AccountSeal.HoldsAsStoredAsync(Context, masterKey, user.Id, cancellationToken);
    }

    /// <summary>Sets the seal of <paramref name="user"/> as it is about to be saved, with the roles being added or removed in this context.</summary>
    private async Task WriteSealAsync(User user, CancellationToken ct)
    {
        var roleIds = await Context.UserRoles.AsNoTracking().Where(ur => ur.UserId == user.Id).Select(ur => ur.RoleId).ToListAsync(ct);
        foreach (var entry in Context.ChangeTracker.Entries<IdentityUserRole<Guid>>().Where(e => e.Entity.UserId == user.Id))
        {
            if (entry.State == EntityState.Added && !roleIds.Contains(entry.Entity.RoleId))
            {
                roleIds.Add(entry.Entity.RoleId);
            }
            else if (entry.State == EntityState.Deleted)
            {
                roleIds.Remove(entry.Entity.RoleId);
            }
        }
        var roles = await Context.Roles.AsNoTracking().Where(r => roleIds.Contains(r.Id)).Select(r => r.NormalizedName!).ToListAsync(ct);
        var seal = AccountSeal.Compute(masterKey, user, roles);
        var token = await Context.UserTokens.FindAsync([user.Id, AccountSeal.LoginProvider, AccountSeal.TokenName], ct);
        if (token is null)
        {
            Context.UserTokens.Add(new IdentityUserToken<Guid> { UserId = user.Id, LoginProvider = AccountSeal.LoginProvider, Name = AccountSeal.TokenName, Value = seal });
        }
        else
        {
            token.Value = seal;
        }
    }

    /// <summary>
    /// Seals every account that has no seal, once: the first start that finds no <paramref name="marker"/>
    /// file (a database from before seals) does it and writes the file, outside the database; after that an
    /// account without a seal is refused. Returns how many were sealed.
    /// </summary>
    public static async Task<int> SealAccountsAsync(ConfideDbContext db, MasterKey masterKey, string marker, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (File.Exists(marker))
        {
            return 0;
        }
        var count = 0;
        foreach (var user in await db.Users.AsNoTracking().ToListAsync(ct))
        {
            if (await AccountSeal.StoredAsync(db, user.Id, ct) is null)
            {
                db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = user.Id, LoginProvider = AccountSeal.LoginProvider, Name = AccountSeal.TokenName, Value = AccountSeal.Compute(masterKey, user, await AccountSeal.StoredRolesAsync(db, user.Id, ct)) });
                count++;
            }
        }
        await db.SaveChangesAsync(ct);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        await File.WriteAllTextAsync(marker, "Accounts sealed; an account without a seal, or whose seal does not hold, is refused from now on.\n", ct);
        return count;
    }

    public override Task SetAuthenticatorKeyAsync(User user, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return base.SetAuthenticatorKeyAsync(user, AuthenticatorSecrets.Seal(masterKey, user.Id, key), cancellationToken);
    }

    public override async Task<string?> GetAuthenticatorKeyAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var opened = await OpenAsync(user, cancellationToken);
        return opened is { } o && o.StartsWith(Enrolled, StringComparison.Ordinal) ? o[Enrolled.Length..] : opened;
    }

    public override async Task SetTwoFactorEnabledAsync(User user, bool enabled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (enabled && await OpenAsync(user, cancellationToken) is { } opened && !opened.StartsWith(Enrolled, StringComparison.Ordinal))
        {
            await base.SetAuthenticatorKeyAsync(user, AuthenticatorSecrets.Seal(masterKey, user.Id, Enrolled + opened), cancellationToken);
        }
        await base.SetTwoFactorEnabledAsync(user, enabled, cancellationToken);
    }

    /// <summary>True when the account's authenticator was once turned on (the mark is inside the sealed value).</summary>
    public async Task<bool> WasEnrolledAsync(User user, CancellationToken cancellationToken) =>
        (await OpenAsync(user, cancellationToken))?.StartsWith(Enrolled, StringComparison.Ordinal) == true;

    private async Task<string?> OpenAsync(User user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return stored is null || !AuthenticatorSecrets.IsSealed(stored) ? null : AuthenticatorSecrets.Open(masterKey, user.Id, stored);
    }

    /// <summary>
    /// Seals every authenticator key stored in plain text (a database from before sealing), once: the
    /// first start that finds no <paramref name="marker"/> file does it and writes the file (kept beside
    /// the cookie key ring, outside the database, so a database writer cannot ask for it again).
    /// Returns how many were sealed.
    /// </summary>
    public static async Task<int> SealPlaintextKeysAsync(ConfideDbContext db, MasterKey masterKey, string marker, CancellationToken ct)
    {
        if (File.Exists(marker))
        {
            return 0;
        }
        var tokens = await db.UserTokens.Where(t => t.LoginProvider == AuthenticatorSecrets.LoginProvider && t.Name == AuthenticatorSecrets.TokenName).ToListAsync(ct);
        var sealedNow = 0;
        foreach (var t in tokens.Where(t => t.Value is not null && !AuthenticatorSecrets.IsSealed(t.Value)))
        {
            var enabled = await db.Users.Where(u => u.Id == t.UserId).Select(u => u.TwoFactorEnabled).SingleAsync(ct);
            t.Value = AuthenticatorSecrets.Seal(masterKey, t.UserId, (enabled ? Enrolled : "") + t.Value);
            sealedNow++;
        }
        await db.SaveChangesAsync(ct);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        await File.WriteAllTextAsync(marker, "Authenticator keys sealed; a plain-text key in the database is refused from now on.\n", ct);
        return sealedNow;
    }
}
