using System.Text;

namespace Confide.Web;

internal static class AccountRules
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;
    public const string TwoFactorPolicy = "TwoFactor";
    public const string PracticeClaim = "confide:practice";
    public const string Issuer = "Confide";

    /// <summary>The one message for every failed password step: a wrong password, an unknown email, a locked account, too many attempts.</summary>
    public const string SignInFailed = "The email or password is not right, or sign-in is locked for a while after too many failed attempts. Try again in 15 minutes.";

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
