using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Cli.Tests;

/// <summary>What one in-process run of the <c>confide</c> command line returned and printed.</summary>
public sealed record CliResult(int Code, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Code}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>CliApp.Run</c> in-process with string streams, a fake clock and a given configuration.</summary>
internal static class CliRunner
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static CliResult Run(string[] args, IConfiguration configuration)
    {
        using var input = new StringReader("");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, input, output, error, new FakeTimeProvider(Now), () => configuration);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
