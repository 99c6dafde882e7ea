using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Core.Tests;

/// <summary>
/// Random and malformed input never crashes: <see cref="RequestParser.Parse(ReadOnlyMemory{byte})"/>
/// never throws and reports errors. Inputs (<see cref="MalformedInputs"/>): random bytes, every prefix
/// of valid requests, random JSON documents, mutated valid requests, deep nesting, huge numbers and
/// invalid UTF-8. The same inputs through the <c>confide</c> command: Cli.Tests' MalformedInputCliTests.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly TriageEngine Engine = new(LawLibrary.Embedded, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));

    // ---- Assertions ------------------------------------------------------------------------

    /// <summary>The parser returned (did not throw): either a request the engine can evaluate, or errors.</summary>
    private static ParseResult AssertHandled(byte[] bytes)
    {
        var result = RequestParser.Parse(bytes);
        if (result.Success)
        {
            Assert.Empty(result.Errors);
            _ = Engine.Evaluate(result.Request!);
        }
        else
        {
            Assert.Null(result.Request);
            Assert.NotEmpty(result.Errors);
            Assert.All(result.Errors, e => Assert.True(e.Path.StartsWith('$') && e.Message.Length > 0, e.ToString()));
        }
        return result;
    }

    private static void AssertRejected(byte[] bytes) => Assert.False(AssertHandled(bytes).Success);

    private static void AssertInvalidJson(byte[] bytes)
    {
        var result = AssertHandled(bytes);
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Path);
        Assert.Matches(@"^invalid JSON at line [1-9][0-9]*, column [1-9][0-9]*$", error.Message);
    }

    // ---- Random input ----------------------------------------------------------------------

    [Fact]
    public void Parse_RandomBytes_ReturnsErrors() => Property.ForAll(Gen.Byte.Array[0, 300], seed: 101, 3000, AssertRejected, MalformedInputs.Hex);

    [Fact]
    public void Parse_RandomJsonAlphabetText_NeverThrows() =>
        Property.ForAll(
            Gen.Char["{}[]\":,0123456789.-+eE \n\t\\/truefalsnUS-CAjurisdictionrequested"].Array[0, 200].Select(cs => new string(cs)),
            seed: 102,
            3000,
            text => AssertHandled(MalformedInputs.Utf8(text)),
            text => text
        );

    [Fact]
    public void Parse_RandomJsonDocuments_NeverThrows() => Property.ForAll(MalformedInputs.Documents, seed: 103, 3000, text => AssertHandled(MalformedInputs.Utf8(text)), text => text);

    [Fact]
    public void Parse_MutatedValidRequests_NeverThrows() => Property.ForAll(MalformedInputs.Mutated, seed: 104, 3000, text => AssertHandled(MalformedInputs.Utf8(text)), text => text);

    // ---- Truncation ------------------------------------------------------------------------

    [Fact]
    public void Parse_EveryPrefixOfValidRequest_ReportsInvalidJson()
    {
        var texts = MalformedInputs.ValidRequestTexts().ToList();
        Assert.True(texts.Count >= 13);
        foreach (var text in texts)
        {
            var bytes = MalformedInputs.Utf8(text);
            Assert.True(RequestParser.Parse(bytes).Success, text);
            for (var length = 0; length < bytes.Length; length++)
            {
                var result = RequestParser.Parse(bytes[..length]);
                Assert.True(
                    !result.Success
                        && result.Errors is [{ Path: "$" } error]
                        && error.Message.StartsWith("invalid JSON at line ", StringComparison.Ordinal),
                    $"prefix of length {length} of:\n{text}\ngave: {string.Join("; ", result.Errors)}"
                );
            }
        }
    }

    // ---- Deep nesting and huge numbers -----------------------------------------------------

    [Theory]
    [MemberData(nameof(MalformedInputs.DeepDocuments), MemberType = typeof(MalformedInputs))]
    public void Parse_DeepNesting_ReportsInvalidJson(string text)
    {
        AssertInvalidJson(MalformedInputs.Utf8(text));
    }

    [Fact]
    public void Parse_NestingAtTheLimit_ReportsTheValueNotTheJson()
    {
        var result = RequestParser.Parse("{\"requested\":" + new string('[', 31) + new string(']', 31) + "}");

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Path == "$.requested[0]" && e.Message.StartsWith("expected one of intake", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MalformedInputs.HugeNumbers), MemberType = typeof(MalformedInputs))]
    public void Parse_HugeNumber_ReportsATypedError(string text, string path, string messageStart)
    {
        var result = AssertHandled(MalformedInputs.Utf8(text));

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.StartsWith(messageStart, StringComparison.Ordinal));
    }

    // ---- Encodings -------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(MalformedInputs.BadEncodings), MemberType = typeof(MalformedInputs))]
    public void Parse_InvalidUtf8OutsideStrings_ReportsInvalidJson(string label, byte[] bytes)
    {
        Assert.NotNull(label);
        AssertInvalidJson(bytes);
    }

    [Theory]
    [MemberData(nameof(MalformedInputs.BadStrings), MemberType = typeof(MalformedInputs))]
    public void Parse_UntranscodableString_ReportsAnErrorInsteadOfThrowing(string label, byte[] bytes)
    {
        Assert.NotNull(label);
        AssertRejected(bytes);
    }
}
