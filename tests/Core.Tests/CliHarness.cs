using Confide.Cli;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Core.Tests;

/// <summary>What one in-process run of the <c>confide</c> command line returned and printed.</summary>
internal sealed record CliResult(int Code, string Stdout, string Stderr)
{
    /// <summary>Standard output split into lines (no trailing empty line).</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Code}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>CliApp.Run</c> in-process with string streams and a fake clock.</summary>
internal static class CliHarness
{
    /// <summary>The default fake "now": 2026-11-29 12:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static CliResult Run(string[] args, string stdin = "", TimeProvider? time = null)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, input, output, error, time ?? new FakeTimeProvider(DefaultNow));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>A temporary directory for one test, deleted when the test ends.</summary>
internal sealed class TempDir : IDisposable
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
