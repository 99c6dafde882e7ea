using System.Security.Cryptography;
using System.Text;

namespace Confide.Data.Crypto;

/// <summary>
/// A secret key kept in a file of its own, never in the database: one line, the key in base64.
/// Created with a new random key, readable and writable by the owner only (0600), when absent.
/// </summary>
internal static class KeyFile
{
    /// <summary>
    /// Reads the key in <paramref name="path"/> (a full path), or creates the file with
    /// <paramref name="size"/> random bytes when it is absent. A file that exists but does not hold a
    /// key of that size fails with <paramref name="malformed"/>.
    /// </summary>
    public static byte[] ReadOrCreate(string path, int size, string malformed)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = RandomNumberGenerator.GetBytes(size);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }
        return Read(path, size, malformed);
    }

    /// <summary>Reads the key in an existing file; a file that does not hold a key of that size fails with <paramref name="malformed"/>.</summary>
    public static byte[] Read(string path, int size, string malformed)
    {
        var text = File.ReadAllText(path).Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            bytes = [];
        }
        return bytes.Length == size ? bytes : throw new InvalidOperationException(malformed);
    }
}
