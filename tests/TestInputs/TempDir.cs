namespace Confide.TestInputs;

/// <summary>A temporary directory for one test, deleted when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("confide-tests-").FullName;

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to a file in the directory and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Writes raw bytes to a file in the directory and returns its full path.</summary>
    public string Write(string name, byte[] content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
