using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Confide.Data;
using Confide.Data.Crypto;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Confide.Web.Hosting;

/// <summary>
/// Where ASP.NET Core Data Protection keeps the keys that protect sign-in cookies, antiforgery
/// tokens and the two-factor step: a directory beside the master key (configuration
/// <c>Keys:DataProtectionDirectory</c>, default <c>confide-keyring</c> next to the master key file),
/// never the database, so someone who can read or edit the database cannot forge a session. Each
/// key file is encrypted with AES-256-GCM under a key derived from the master key, so a copy of the
/// directory alone is useless. Keys survive restarts: nobody is signed out by a deployment.
/// </summary>
public static class CookieKeyRing
{
    public const string DirectoryKey = "Keys:DataProtectionDirectory";
    public const string DirectoryName = "confide-keyring";
    internal const string DerivationLabel = "confide/data-protection/v1";

    /// <summary>The key ring's directory (configured, or beside the master key file).</summary>
    public static string Directory(IConfiguration configuration)
    {
        var configured = configuration[DirectoryKey];
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Path.GetDirectoryName(DataSettings.From(configuration).MasterKeyFile)!, DirectoryName)
            : Path.GetFullPath(configured);
    }

    public static void AddConfideKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = Directory(configuration);
        services.AddDataProtection().SetApplicationName("Confide").PersistKeysToFileSystem(new DirectoryInfo(directory));
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlEncryptor = new MasterKeyXmlEncryptor(sp.GetRequiredService<MasterKey>())
        ));
    }
}

/// <summary>Encrypts a Data Protection key's XML with AES-256-GCM under a key derived from the master key.</summary>
internal sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var sealedBytes = masterKey.SealDerived(CookieKeyRing.DerivationLabel, Aad, Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        var element = new XElement("encryptedKey", new XComment(" Encrypted with a key derived from the Confide master key. "), new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }

    internal static readonly byte[] Aad = Encoding.UTF8.GetBytes("confide/data-protection-key");
}

/// <summary>The reverse of <see cref="MasterKeyXmlEncryptor"/>; Data Protection creates it by type name with the service provider.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var value = encryptedElement.Element("value")?.Value ?? throw new CryptographicException("a Data Protection key file has no encrypted value");
        var plain = services.GetRequiredService<MasterKey>().OpenDerived(CookieKeyRing.DerivationLabel, MasterKeyXmlEncryptor.Aad, Convert.FromBase64String(value));
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
