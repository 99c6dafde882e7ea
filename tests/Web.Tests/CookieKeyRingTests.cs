using System.Security.Cryptography;
using Confide.Data.Crypto;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// The cookie and antiforgery key ring: kept beside the master key (not in the database), encrypted
/// under a key derived from the master key, and readable again by a restarted app with that key only.
/// </summary>
public sealed class CookieKeyRingTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public void CookieKeyRing_IsEncryptedOnDisk_AndSurvivesARestart_OnlyWithTheSameMasterKey()
    {
        var protectedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a session");

        var masterKeyFile = app.Services.GetRequiredService<MasterKey>().Path;
        var ring = new DirectoryInfo(Path.Combine(Path.GetDirectoryName(masterKeyFile)!, CookieKeyRing.DirectoryName));
        var files = ring.GetFiles("key-*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = File.ReadAllText(file.FullName);
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal); // Data Protection's plaintext key element
        }

        // A restarted app (a new container) with the same master key reads what the first protected.
        Assert.Equal("a session", Restarted(masterKeyFile, MasterKey.LoadOrCreate(masterKeyFile)).Unprotect(protectedText));

        // With another master key the key ring cannot be read: nothing protected before opens.
        var other = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => Restarted(masterKeyFile, other).Unprotect(protectedText));
    }

    private static IDataProtector Restarted(string masterKeyFile, MasterKey masterKey)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Keys:MasterKeyFile"] = masterKeyFile }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(masterKey);
        services.AddConfideKeyRing(configuration);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    }
}
