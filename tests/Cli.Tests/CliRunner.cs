using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Cli.Tests;

/// <summary>What one in-process run of the <c>confide</c> command line returned and printed.</summary>
public sealed record CliResult(int Code, string Stdout, string Stderr)
{
    /// <summary>Standard output split into lines (no trailing empty line).</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Code}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>CliApp.Run</c> in-process with string streams and a fake clock.</summary>
internal static class CliRunner
{
    /// <summary>The default fake "now": 2026-11-29 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>With the configuration the command reads by itself (appsettings.json in the current directory, the environment).</summary>
    public static CliResult Run(string[] args, string stdin = "", TimeProvider? time = null) => Run(args, stdin, time, configuration: null);

    /// <summary>With the given configuration instead.</summary>
    public static CliResult Run(string[] args, IConfiguration configuration) => Run(args, "", null, configuration);

    private static CliResult Run(string[] args, string stdin, TimeProvider? time, IConfiguration? configuration)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var clock = time ?? new FakeTimeProvider(Now);
        var code = configuration is null ? CliApp.Run(args, input, output, error, clock) : CliApp.Run(args, input, output, error, clock, () => configuration);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
