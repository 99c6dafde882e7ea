using Confide.Data;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Confide.Web;

/// <summary>
/// Identity's EF store, with the authenticator key sealed at rest (<see cref="AuthenticatorSecrets"/>):
/// everything else is the framework's.
/// </summary>
internal sealed class ConfideUserStore(ConfideDbContext context, MasterKey masterKey, IdentityErrorDescriber? describer = null)
    : UserStore<User, Role, ConfideDbContext, Guid>(context, describer)
{
    public override Task SetAuthenticatorKeyAsync(User user, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return base.SetAuthenticatorKeyAsync(user, AuthenticatorSecrets.Seal(masterKey, user.Id, key), cancellationToken);
    }

    public override async Task<string?> GetAuthenticatorKeyAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AuthenticatorSecrets.Open(masterKey, user.Id, await base.GetAuthenticatorKeyAsync(user, cancellationToken));
    }
}
