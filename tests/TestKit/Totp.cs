using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Confide.TestKit;

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), as authenticator apps compute it (shared by every test project that signs in).</summary>
public static class Totp
{
    public static string Now(string base32Secret) => At(base32Secret, TimeProvider.System.GetUtcNow());

    public static string At(string base32Secret, DateTimeOffset time)
    {
        var counter = time.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        var hash = HMACSHA1.HashData(Base32(base32Secret), message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var output = new List<byte>();
        int buffer = 0,
            bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }
}
