using System.Security.Cryptography;
using Confide.Data.Crypto;

namespace Confide.Data.Tests;

public sealed class MasterKeyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("confide-key-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void LoadOrCreate_Absent_CreatesOwnerOnlyFile_ThenReadsTheSameKey()
    {
        var path = Path.Combine(_dir.FullName, "sub", "confide-master.key");
        var created = MasterKey.LoadOrCreate(path);

        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var again = MasterKey.LoadOrCreate(path);
        var client = Guid.NewGuid();
        var wrapped = created.WrapLegacy(Guid.Empty, client, 1, new byte[32]);
        Assert.Equal(new byte[32], again.UnwrapLegacy(Guid.Empty, client, 1, wrapped));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAAA")] // base64, but 3 bytes
    [InlineData("")]
    public void LoadOrCreate_Malformed_FailsNamingTheFile(string content)
    {
        var path = Path.Combine(_dir.FullName, "bad.key");
        File.WriteAllText(path, content);

        var e = Assert.Throws<InvalidOperationException>(() => MasterKey.LoadOrCreate(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_WrongMasterKey_Fails()
    {
        var client = Guid.NewGuid();
        var wrapped = MasterKey.Create(RandomNumberGenerator.GetBytes(32)).WrapLegacy(Guid.Empty, client, 1, RandomNumberGenerator.GetBytes(32));

        Assert.ThrowsAny<CryptographicException>(() => MasterKey.Create(RandomNumberGenerator.GetBytes(32)).UnwrapLegacy(Guid.Empty, client, 1, wrapped));
    }

    [Fact]
    public void Unwrap_AnotherClientsOrVersionsWrappedKey_Fails()
    {
        var master = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
        var client = Guid.NewGuid();
        var wrapped = master.WrapLegacy(Guid.Empty, client, 1, RandomNumberGenerator.GetBytes(32));

        Assert.ThrowsAny<CryptographicException>(() => master.UnwrapLegacy(Guid.Empty, Guid.NewGuid(), 1, wrapped));
        Assert.ThrowsAny<CryptographicException>(() => master.UnwrapLegacy(Guid.Empty, client, 2, wrapped));
    }
}
