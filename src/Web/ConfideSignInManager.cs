using System.Security.Claims;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Confide.Web;

/// <summary>
/// Identity's sign-in manager, with the account seal (<see cref="Confide.Data.Crypto.AccountSeal"/>)
/// checked at every sign-in step (password and code: <see cref="CanSignInAsync"/>) and at every
/// security-stamp validation (each minute of every session), so an account edited in the database
/// cannot sign in and its existing sessions end.
/// </summary>
internal sealed class ConfideSignInManager(
    UserManager<User> users,
    IHttpContextAccessor context,
    IUserClaimsPrincipalFactory<User> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<User>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<User> confirmation,
    IUserStore<User> store
) : SignInManager<User>(users, context, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await ((ConfideUserStore)store).SealHoldsAsync(user, Context.RequestAborted))
        {
            Logger.LogWarning("Sign-in refused for user {UserId}: the account's seal does not hold (edited in the database?)", user.Id);
            return false;
        }
        return await base.CanSignInAsync(user);
    }

    public override async Task<User?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        if (user is not null && !await ((ConfideUserStore)store).SealHoldsAsync(user, Context.RequestAborted))
        {
            Logger.LogWarning("Session of user {UserId} ended: the account's seal does not hold (edited in the database?)", user.Id);
            return null;
        }
        return user;
    }
}
