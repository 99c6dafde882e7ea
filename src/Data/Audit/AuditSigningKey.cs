using Confide.Core.Audit;
using Confide.Data.Crypto;
using Microsoft.Extensions.Configuration;
using NSec.Cryptography;

namespace Confide.Data.Audit;

/// <summary>
/// The Ed25519 key that signs audit checkpoints. It lives in a file (configuration
/// <c>Keys:AuditSigningKeyFile</c>, default <c>confide-audit-signing.key</c> beside the master key
/// file), never in the database, so someone who can edit the database cannot sign a checkpoint for
/// a rewritten chain. The file is one line: the 32-byte private key (seed) in base64, created with
/// mode 0600 on first use. Checkpoints carry the public key, so they verify anywhere.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    /// <summary>The configuration key naming the file.</summary>
    public const string FileKey = "Keys:AuditSigningKeyFile";

    /// <summary>The file's name when not configured (beside the master key file).</summary>
    public const string DefaultFileName = "confide-audit-signing.key";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    private AuditSigningKey(Key key, string path)
    {
        _key = key;
        Path = path;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The file the key was read from.</summary>
    public string Path { get; }

    /// <summary>The raw Ed25519 public key (32 bytes).</summary>
    public byte[] PublicKey { get; }

    /// <summary>The key file's full path: <c>Keys:AuditSigningKeyFile</c>, else beside the master key file.</summary>
    public static string FileFrom(IConfiguration configuration, DataSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var configured = configuration[FileKey];
        return System.IO.Path.GetFullPath(
            string.IsNullOrWhiteSpace(configured)
                ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(settings.MasterKeyFile)!, DefaultFileName)
                : configured
        );
    }

    /// <summary>Reads the key file, or creates it (owner read/write only) with a new key when absent.</summary>
    /// <exception cref="InvalidOperationException">The file exists but does not hold a key; the message names it.</exception>
    public static AuditSigningKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        return Import(KeyFile.ReadOrCreate(full, 32, Malformed(full)), full);
    }

    /// <summary>Reads the key file when it exists (verification never creates one); null when it does not.</summary>
    /// <exception cref="InvalidOperationException">The file exists but does not hold a key; the message names it.</exception>
    public static AuditSigningKey? LoadIfExists(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        return File.Exists(full) ? Import(KeyFile.Read(full, 32, Malformed(full)), full) : null;
    }

    /// <summary>A checkpoint of a chain's head, signed with this key.</summary>
    public AuditCheckpoint Sign(Guid practiceId, long entryCount, byte[] headHash, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(headHash);
        at = at.ToUniversalTime();
        // Whole microseconds: PostgreSQL keeps no finer time, and a stored checkpoint's signature must survive the round trip.
        at = at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMicrosecond));
        var signature = Ed25519.Sign(_key, AuditCheckpoint.SignedBytes(AuditCheckpoint.CurrentVersion, practiceId, entryCount, headHash, at));
        return new AuditCheckpoint(practiceId, entryCount, headHash, at, signature, PublicKey);
    }

    /// <summary>A short name of a public key: the first 8 bytes of its SHA-256, in hex (16 characters).</summary>
    public static string KeyId(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey)[..8]);

    /// <summary>This key's <see cref="KeyId(ReadOnlySpan{byte})"/>.</summary>
    public string Id => KeyId(PublicKey);

    /// <summary>True when the checkpoint's signature verifies under the public key it carries.</summary>
    public static bool SignatureValid(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!NSec.Cryptography.PublicKey.TryImport(Ed25519, checkpoint.PublicKey, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }
        if (checkpoint.Version is not (1 or AuditCheckpoint.CurrentVersion) || checkpoint.Signature is not { Length: AuditCheckpoint.SignatureSize })
        {
            return false;
        }
        return Ed25519.Verify(publicKey, checkpoint.SignedBytes(), checkpoint.Signature);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static AuditSigningKey Import(byte[] seed, string path)
    {
        var key = Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
        Array.Clear(seed);
        return new AuditSigningKey(key, path);
    }

    private static string Malformed(string path) =>
        $"The audit signing key file '{path}' ({FileKey}) is malformed: expected one line holding a 32-byte Ed25519 key in base64. "
        + "Restore it from your backup, or move it aside to start a new key (checkpoints signed with the old key then name another key).";
}
