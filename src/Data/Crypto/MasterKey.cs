using System.Security.Cryptography;
using System.Text;

namespace Confide.Data.Crypto;

/// <summary>
/// The key that wraps every client's data key. It lives in a file (configuration
/// <c>Keys:MasterKeyFile</c>), never in the database, so a copy of the database alone reveals no
/// record. The file is one line: the 32-byte key in base64. Losing it loses every record: back it
/// up apart from the database.
/// </summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    private MasterKey(byte[] key, string path)
    {
        _key = key;
        Path = path;
    }

    /// <summary>The file the key was read from.</summary>
    public string Path { get; }

    /// <summary>A key held only in memory (tests).</summary>
    public static MasterKey Create(byte[] key, string path = "(memory)")
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length == Envelope.KeySize ? new MasterKey((byte[])key.Clone(), path) : throw new ArgumentException("a master key is 32 bytes", nameof(key));
    }

    /// <summary>
    /// Reads the key file, or creates it with a new random key (owner read/write only) when it is
    /// absent. A file that exists but does not hold a key fails with a message naming the file.
    /// </summary>
    public static MasterKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var key = KeyFile.ReadOrCreate(
            full,
            Envelope.KeySize,
            $"The master key file '{full}' (Keys:MasterKeyFile) is malformed: expected one line holding a 32-byte key in base64. "
                + "Restore it from your backup; without it no client record can be read."
        );
        return new MasterKey(key, full);
    }

    /// <summary>
    /// A 32-byte key for another purpose, derived from the master key with HKDF-SHA256 and
    /// <paramref name="label"/> as its info (e.g. the web app's cookie key ring). Different labels
    /// give independent keys; the master key itself is never used for two purposes.
    /// </summary>
    public byte[] DeriveKey(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, Envelope.KeySize, salt: [], info: Encoding.UTF8.GetBytes(label));
    }

    /// <summary>Wraps a client's data key, bound to that client and key version.</summary>
    public byte[] Wrap(Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> dataKey) =>
        Envelope.Seal(_key, keyVersion, WrapAad(practiceId, clientId, keyVersion), dataKey);

    /// <exception cref="CryptographicException">Wrong master key, or the wrapped key was altered or moved.</exception>
    public byte[] Unwrap(Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> wrapped) =>
        Envelope.Open(_key, WrapAad(practiceId, clientId, keyVersion), wrapped);

    private static byte[] WrapAad(Guid practiceId, Guid clientId, int keyVersion) =>
        Encoding.UTF8.GetBytes($"confide/client-key/v{Envelope.FormatVersion}|{practiceId:N}|{clientId:N}|{keyVersion}");
}
