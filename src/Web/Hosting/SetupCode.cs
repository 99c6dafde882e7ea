using System.Security.Cryptography;
using System.Text;

namespace Confide.Web.Hosting;

/// <summary>
/// The one-time code that <c>/Setup</c> asks for on a fresh installation, so that whoever reaches the
/// address first cannot make themselves the owner: 100 random bits, printed to the console at start
/// (never to a log) while no practice exists, kept only as its SHA-256 in memory (a restart prints a
/// new one), used up by a completed setup. Not reachable from HTTP.
/// </summary>
public sealed class SetupCode
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read off a terminal and typed
    private readonly Lock _gate = new();
    private byte[]? _hash;

    /// <summary>A new code (the previous one stops working); only its hash is kept.</summary>
    public string Issue()
    {
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        var code = string.Join('-', new string(chars).Chunk(5).Select(c => new string(c)));
        lock (_gate)
        {
            _hash = Hash(code);
        }
        return code;
    }

    /// <summary>True when <paramref name="code"/> is the current code (spaces, dashes and case ignored); compared in constant time.</summary>
    public bool Matches(string? code)
    {
        byte[]? expected;
        lock (_gate)
        {
            expected = _hash;
        }
        return expected is not null && code is not null && CryptographicOperations.FixedTimeEquals(expected, Hash(code));
    }

    /// <summary>Uses the code up (setup is done): it never works again.</summary>
    public void Spend()
    {
        lock (_gate)
        {
            _hash = null;
        }
    }

    private static byte[] Hash(string code) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray())));
}
