using System.Security.Cryptography;
using System.Text;

namespace Confide.Data.Crypto;

/// <summary>
/// Each user's TOTP secret (the authenticator key Identity keeps in <c>AspNetUserTokens</c>) sealed
/// with AES-256-GCM under a key derived from the master key and bound to the user, so that someone
/// who reads the database does not get every account's second factor. Stored as
/// <c>confide-sealed:1:</c> and base64; a value without that prefix is a secret stored before
/// sealing and is read as it is (it is sealed the next time it is set, or at a master-key rotation).
/// </summary>
public static class AuthenticatorSecrets
{
    /// <summary>Where Identity's EF store keeps the authenticator key in <c>AspNetUserTokens</c>.</summary>
    public const string LoginProvider = "[AspNetUserStore]";

    public const string TokenName = "AuthenticatorKey";

    private const string Label = "confide/authenticator-key/v1";
    private const string Prefix = "confide-sealed:1:";

    public static string Seal(MasterKey masterKey, Guid userId, string secret)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToBase64String(masterKey.SealDerived(Label, Aad(userId), Encoding.UTF8.GetBytes(secret)));
    }

    /// <exception cref="CryptographicException">Sealed under another master key, for another user, or altered.</exception>
    public static string? Open(MasterKey masterKey, Guid userId, string? stored)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (stored is null || !IsSealed(stored))
        {
            return stored;
        }
        return Encoding.UTF8.GetString(masterKey.OpenDerived(Label, Aad(userId), Convert.FromBase64String(stored[Prefix.Length..])));
    }

    public static bool IsSealed(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    private static byte[] Aad(Guid userId) => Encoding.UTF8.GetBytes($"confide/authenticator-key|{userId:N}");
}
