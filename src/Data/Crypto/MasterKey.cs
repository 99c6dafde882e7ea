using System.Security.Cryptography;
using System.Text;

namespace Confide.Data.Crypto;

/// <summary>
/// The key at the top of the hierarchy: it wraps each practice's keys, which wrap the clients' data
/// keys. It lives in a file (configuration <c>Keys:MasterKeyFile</c>) or in the configuration itself
/// (<c>Keys:MasterKey</c>, e.g. the environment variable <c>Keys__MasterKey</c>, base64), never in
/// the database, so a copy of the database alone reveals no record. The file is one line: the
/// 32-byte key in base64. Losing it loses every record: back it up apart from the database.
/// </summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    private MasterKey(byte[] key, string path)
    {
        _key = key;
        Path = path;
        // A fingerprint, not the key: HMAC-SHA-256 of a fixed label, first 8 bytes, so a stored id names the key without revealing it.
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, "confide/master-key-id/v1"u8)[..8]);
    }

    /// <summary>Where the key was read from: a file's full path, or the configuration key.</summary>
    public string Path { get; }

    /// <summary>The key's fingerprint (16 hex digits), stored beside what it wraps; reveals nothing of the key.</summary>
    public string Id { get; }

    /// <summary>The configuration key holding a master key in base64 instead of a file (environment: <c>Keys__MasterKey</c>).</summary>
    public const string ConfigurationKey = "Keys:MasterKey";

    /// <summary>A key given in base64 in the configuration (<see cref="ConfigurationKey"/>); a bad value fails naming the key.</summary>
    public static MasterKey FromBase64(string base64, string source = ConfigurationKey)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            key = [];
        }
        return key.Length == Envelope.KeySize
            ? new MasterKey(key, source)
            : throw new InvalidOperationException($"The master key in {source} is malformed: expected a 32-byte key in base64.");
    }

    /// <summary>Reads an existing key file (a new master key for rotation is created by <see cref="LoadOrCreate"/>).</summary>

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
    private byte[] DeriveKey(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, Envelope.KeySize, salt: [], info: Encoding.UTF8.GetBytes(label));
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> under the key derived for <paramref name="label"/> (see
    /// <see cref="DeriveKey"/>): for what is not client content (the web app's cookie key ring), so
    /// opening it again stays inside the crypto layer (an architecture test holds Envelope.Open here).
    /// </summary>
    public byte[] SealDerived(string label, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext) =>
        Envelope.Seal(DeriveKey(label), 1, associatedData, plaintext);

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under the key derived for <paramref name="label"/> (see <see cref="DeriveKey"/>).</summary>
    public byte[] MacDerived(string label, ReadOnlySpan<byte> message) => HMACSHA256.HashData(DeriveKey(label), message);

    /// <summary>The reverse of <see cref="SealDerived"/>; a key derived for a label never opens client content.</summary>
    /// <exception cref="CryptographicException">Another master key or label, or the bytes were altered.</exception>
    public byte[] OpenDerived(string label, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedBytes) =>
        Envelope.Open(DeriveKey(label), associatedData, sealedBytes);

    /// <summary>Wraps a version of a practice's key, bound to that practice and version.</summary>
    public byte[] WrapPracticeKey(Guid practiceId, int keyVersion, ReadOnlySpan<byte> practiceKey) =>
        Envelope.Seal(_key, keyVersion, PracticeKeyAad(practiceId, keyVersion), practiceKey);

    /// <exception cref="CryptographicException">Wrong master key, or the wrapped key was altered or moved.</exception>
    public byte[] UnwrapPracticeKey(Guid practiceId, int keyVersion, ReadOnlySpan<byte> wrapped) =>
        Envelope.Open(_key, PracticeKeyAad(practiceId, keyVersion), wrapped);

    /// <summary>
    /// Wraps a client's data key directly under the master key: the format before practice keys.
    /// Kept to read (and re-wrap at start-up) existing databases, and for tests that build one.
    /// </summary>
    public byte[] WrapLegacy(Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> dataKey) =>
        Envelope.Seal(_key, keyVersion, LegacyAad(practiceId, clientId, keyVersion), dataKey);

    /// <exception cref="CryptographicException">Wrong master key, or the wrapped key was altered or moved.</exception>
    public byte[] UnwrapLegacy(Guid practiceId, Guid clientId, int keyVersion, ReadOnlySpan<byte> wrapped) =>
        Envelope.Open(_key, LegacyAad(practiceId, clientId, keyVersion), wrapped);

    private static byte[] PracticeKeyAad(Guid practiceId, int keyVersion) =>
        Encoding.UTF8.GetBytes($"confide/practice-key/v{Envelope.FormatVersion}|{practiceId:N}|{keyVersion}");

    private static byte[] LegacyAad(Guid practiceId, Guid clientId, int keyVersion) =>
        Encoding.UTF8.GetBytes($"confide/client-key/v{Envelope.FormatVersion}|{practiceId:N}|{clientId:N}|{keyVersion}");
}
