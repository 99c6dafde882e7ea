using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Confide.Data.Crypto;

/// <summary>
/// Where a ciphertext belongs: its associated data binds it to the practice, the client, the
/// table, the row, the field and the data key's version, so a ciphertext copied to another row,
/// field or client fails to decrypt.
/// </summary>
public readonly record struct FieldRef(Guid PracticeId, Guid ClientId, string Table, Guid RowId, string Field)
{
    internal byte[] AssociatedData(int keyVersion) =>
        Encoding.UTF8.GetBytes(
            $"confide/field/v{Envelope.FormatVersion}|{PracticeId:N}|{ClientId:N}|{Table}|{RowId:N}|{Field}|{keyVersion}"
        );
}

/// <summary>
/// AES-256-GCM sealing in Confide's format:
/// <c>[format version: 1 byte][key version: int32 big-endian][nonce: 12][tag: 16][ciphertext]</c>.
/// The nonce is random per message; the associated data is supplied by the caller and not stored.
/// </summary>
public static class Envelope
{
    public const byte FormatVersion = 1;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 1 + 4 + NonceSize + TagSize;

    public static byte[] Seal(ReadOnlySpan<byte> key, int keyVersion, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), keyVersion);
        var nonce = output.AsSpan(5, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(5 + NonceSize, TagSize), associatedData);
        return output;
    }

    /// <summary>The data key version a sealed message names (read before choosing the key).</summary>
    public static int KeyVersionOf(ReadOnlySpan<byte> message)
    {
        CheckHeader(message);
        return BinaryPrimitives.ReadInt32BigEndian(message.Slice(1, 4));
    }

    /// <exception cref="CryptographicException">Malformed, tampered with, moved, or the wrong key.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> message)
    {
        CheckHeader(message);
        var plaintext = new byte[message.Length - HeaderSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(message.Slice(5, NonceSize), message[HeaderSize..], message.Slice(5 + NonceSize, TagSize), plaintext, associatedData);
        return plaintext;
    }

    private static void CheckHeader(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderSize || message[0] != FormatVersion)
        {
            throw new CryptographicException("not a Confide ciphertext of a known format version");
        }
    }
}
