using System.Security.Claims;
using System.Text;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Confide.Web;

internal static class AccountRules
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;
    public const string TwoFactorPolicy = "TwoFactor";
    public const string PracticeClaim = "confide:practice";
    public const string Issuer = "Confide";

    /// <summary>The otpauth:// URI an authenticator app reads (Key Uri Format).</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>The key in groups of four, easier to type.</summary>
    public static string FormatKey(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return sb.ToString().ToLowerInvariant();
    }
}

/// <summary>Adds the practice id to the sign-in cookie so pages scope every query without a lookup.</summary>
internal sealed class ConfideClaimsFactory(UserManager<User> users, RoleManager<Role> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User, Role>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountRules.PracticeClaim, user.PracticeId.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.DisplayName));
        return identity;
    }
}

/// <summary>Who is asking: the signed-in user's id, practice and roles, from the cookie's claims.</summary>
internal sealed record Viewer(Guid UserId, Guid PracticeId, bool IsOwner, bool IsClinician, bool IsStaff)
{
    public static Viewer From(ClaimsPrincipal user) =>
        new(
            Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in")),
            Guid.Parse(user.FindFirstValue(AccountRules.PracticeClaim) ?? throw new InvalidOperationException("no practice claim")),
            user.IsInRole(Roles.Owner),
            user.IsInRole(Roles.Clinician),
            user.IsInRole(Roles.Staff)
        );

    /// <summary>The same person as the authorization point for client content sees them.</summary>
    public Confide.Data.Access.Reader Reader => new(UserId, PracticeId, IsOwner, IsClinician, IsStaff);

    /// <summary>Can write clinical items such as psychotherapy notes.</summary>
    public bool IsClinical => IsOwner || IsClinician;
}
