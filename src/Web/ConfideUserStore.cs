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
