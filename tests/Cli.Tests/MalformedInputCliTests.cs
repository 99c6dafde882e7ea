using CsCheck;

namespace Confide.Cli.Tests;

/// <summary>
/// The parser's malformed and random inputs (<see cref="MalformedInputs"/>, tested against the
/// parser in Core.Tests) through the <c>confide triage</c> command: it exits 2 (never 1) with
/// nothing on stdout and the input named on stderr, or 0 with one line for a valid document.
/// </summary>
public sealed class MalformedInputCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void AssertCliRejectsFile(byte[] bytes, string name = "input.json")
    {
        var file = _dir.Write(name, bytes);
        var result = CliRunner.Run(["triage", "--format", "json", file]);
        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.StartsWith($"{file}: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RandomAndMutatedDocumentsOnStdin_ExitsZeroOrTwoNeverOne()
    {
        var documents = Gen.Frequency<string>((1, MalformedInputs.Documents), (1, MalformedInputs.Mutated));
        var codes = new HashSet<int>();
        Property.ForAll(
            documents,
            seed: 105,
            400,
            text =>
            {
                var result = CliRunner.Run(["triage", "--format", "json", "-"], stdin: text);
                codes.Add(result.Code);
                Assert.True(result.Code is 0 or 2, result.ToString());
                if (result.Code == 2)
                {
                    Assert.Equal("", result.Stdout);
                    Assert.StartsWith("<stdin>: $", result.Stderr, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Single(result.Lines);
                }
            },
            text => text
        );
        Assert.Equal([0, 2], codes.Order());
    }

    [Fact]
    public void Run_RandomBytesFile_Exits2WithEmptyStdout() =>
        Property.ForAll(Gen.Byte.Array[0, 200], seed: 106, 150, bytes => AssertCliRejectsFile(bytes), MalformedInputs.Hex);

    [Fact]
    public void Run_EveryPrefixOfValidRequestOnStdin_Exits2WithEmptyStdout()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "subpoena-ca.json")).Trim();
        for (var length = 0; length < text.Length; length++)
        {
            var result = CliRunner.Run(["triage", "--format", "json", "-"], stdin: text[..length]);
            Assert.True(result.Code == 2 && result.Stdout.Length == 0, $"prefix of length {length}: {result}");
            Assert.StartsWith("<stdin>: $: invalid JSON at line ", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(MalformedInputs.DeepDocuments), MemberType = typeof(MalformedInputs))]
    public void Run_DeepNesting_Exits2(string text) => AssertCliRejectsFile(MalformedInputs.Utf8(text));

    [Theory]
    [MemberData(nameof(MalformedInputs.HugeNumbers), MemberType = typeof(MalformedInputs))]
    public void Run_HugeNumber_Exits2(string text, string path, string messageStart)
    {
        Assert.NotNull(path);
        Assert.NotNull(messageStart);
        AssertCliRejectsFile(MalformedInputs.Utf8(text));
    }

    [Theory]
    [MemberData(nameof(MalformedInputs.BadEncodings), MemberType = typeof(MalformedInputs))]
    public void Run_InvalidUtf8OutsideStrings_Exits2(string label, byte[] bytes)
    {
        Assert.NotNull(label);
        AssertCliRejectsFile(bytes);
    }

    [Theory]
    [MemberData(nameof(MalformedInputs.BadStrings), MemberType = typeof(MalformedInputs))]
    public void Run_UntranscodableString_Exits2(string label, byte[] bytes)
    {
        Assert.NotNull(label);
        AssertCliRejectsFile(bytes);
    }
}
