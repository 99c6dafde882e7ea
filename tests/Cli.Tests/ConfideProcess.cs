using System.Diagnostics;

namespace Confide.Cli.Tests;

/// <summary>
/// The built <c>confide</c> CLI as a real process (<c>dotnet confide.dll</c>, copied next to the test
/// assembly by the Cli project reference): real exit codes, real standard streams, a chosen working
/// directory and environment.
/// </summary>
internal static class ConfideProcess
{
    /// <summary>
    /// Runs <c>confide</c> with <paramref name="args"/> in <paramref name="directory"/> (default: the
    /// tests' own), with the configuration variables (<c>Database__*</c>, <c>ConnectionStrings__*</c>)
    /// of this process removed and <paramref name="environment"/> added. Killed after 60 seconds.
    /// </summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string? directory,
        IEnumerable<(string Name, string Value)> environment,
        params string[] args
    )
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
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var inherited = start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal));
        foreach (var name in inherited.ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
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
