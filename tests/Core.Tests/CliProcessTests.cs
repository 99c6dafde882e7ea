using System.Diagnostics;
using System.Text.Json;

namespace Confide.Core.Tests;

/// <summary>
/// The built <c>confide</c> CLI as a real process (<c>dotnet confide.dll</c>, copied next to the test
/// assembly by the project reference): real exit codes and real standard streams.
/// </summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Triage_RealProcess_Exits0WithOneJsonLineOr2WithEmptyStdout()
    {
        var caseFile = Path.Combine(RepoPaths.SharedCases, "ca-attorney-subpoena-civil.json");
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(caseFile, TestContext.Current.CancellationToken));
        var request = _dir.Write("request.json", doc.RootElement.GetProperty("request").GetRawText());
        var invalid = _dir.Write("invalid.json", """{"jurisdiction":"US-CA","authorisation":{}}""");

        var (okCode, okOut, okErr) = await RunConfide("triage", "--format", "json", request);
        var (badCode, badOut, badErr) = await RunConfide("triage", "--format", "json", invalid);

        Assert.True(okCode == 0, $"exit {okCode}\n{okErr}");
        var lines = okOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var determination = JsonDocument.Parse(line);
        Assert.Equal(
            doc.RootElement.GetProperty("expect").GetProperty("outcome").GetString(),
            determination.RootElement.GetProperty("outcome").GetString()
        );
        Assert.Equal("", okErr);

        Assert.True(badCode == 2, $"exit {badCode}\n{badErr}");
        Assert.Equal("", badOut);
        Assert.Contains($"{invalid}: $.authorisation: unknown property", badErr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunConfide(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "confide.dll");
        Assert.True(File.Exists(dll), $"{dll} not found: the Cli project reference should copy it next to the tests");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet host running these tests (or the one the SDK names), else <c>dotnet</c> on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }
        return "dotnet";
    }
}
