using System.Security.Cryptography;
using System.Text;
using Confide.Data.Crypto;

namespace Confide.Data.Tests;

public sealed class EnvelopeTests
{
    private static readonly Guid Practice = Guid.NewGuid();
    private static readonly Guid Client = Guid.NewGuid();
    private static readonly Guid Row = Guid.NewGuid();
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes("Session 3: discussed the custody dispute.");

    private static FieldRef Field(Guid? practice = null, Guid? client = null, string table = "RecordItems", Guid? row = null, string field = "content") =>
        new(practice ?? Practice, client ?? Client, table, row ?? Row, field);

    private static byte[] Seal(FieldRef f, int keyVersion = 1) => Envelope.Seal(Key, keyVersion, f.AssociatedData(keyVersion), Plain);

    private static byte[] Open(FieldRef f, byte[] message) => Envelope.Open(Key, f.AssociatedData(Envelope.KeyVersionOf(message)), message);

    [Fact]
    public void Seal_Open_RoundTrips_InTheDocumentedFormat()
    {
        var sealedBytes = Seal(Field(), keyVersion: 7);

        Assert.Equal(Envelope.FormatVersion, sealedBytes[0]);
        Assert.Equal(7, Envelope.KeyVersionOf(sealedBytes));
        Assert.Equal(1 + 4 + 12 + 16 + Plain.Length, sealedBytes.Length);
        Assert.Equal(Plain, Open(Field(), sealedBytes));
    }

    [Fact]
    public void Seal_SameInput_GivesDifferentNonces()
    {
        Assert.NotEqual(Seal(Field()), Seal(Field()));
    }

    [Fact]
    public void Open_AnyFlippedByte_Fails()
    {
        var sealedBytes = Seal(Field());
        // Every byte after the key version: nonce, tag and ciphertext are all authenticated.
        for (var i = 5; i < sealedBytes.Length; i++)
        {
            var tampered = (byte[])sealedBytes.Clone();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => Open(Field(), tampered));
        }
    }

    [Fact]
    public void Open_ChangedKeyVersion_Fails()
    {
        var tampered = Seal(Field());
        tampered[4] ^= 0x01; // key version 1 -> 0: the associated data no longer matches
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(), tampered));
    }

    [Fact]
    public void Open_MovedToAnotherRowFieldTableClientOrPractice_Fails()
    {
        var sealedBytes = Seal(Field());
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(row: Guid.NewGuid()), sealedBytes));
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(field: "name"), sealedBytes));
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(table: "Attachments"), sealedBytes));
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(client: Guid.NewGuid()), sealedBytes));
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(practice: Guid.NewGuid()), sealedBytes));
    }

    [Fact]
    public void Open_TruncatedOrUnknownFormat_Fails()
    {
        var sealedBytes = Seal(Field());
        Assert.ThrowsAny<CryptographicException>(() => Open(Field(), sealedBytes[..20]));
        sealedBytes[0] = 99;
        Assert.ThrowsAny<CryptographicException>(() => Envelope.KeyVersionOf(sealedBytes));
    }
}
