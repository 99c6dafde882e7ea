using System.Text.Json;

namespace Confide.Cli.Tests;

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
        var caseFile = Path.Combine(RepoPaths.Shared, "cases", "ca-attorney-subpoena-civil.json");
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

    private static Task<(int Code, string Stdout, string Stderr)> RunConfide(params string[] args) => ConfideProcess.RunAsync(null, [], args);
}
