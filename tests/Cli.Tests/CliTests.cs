using System.Globalization;
using System.Text.Json;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Cli.Tests;

/// <summary>
/// The <c>confide</c> command line in-process (<c>CliApp.Run</c> with string streams and a fake
/// clock), as <c>spec/triage.md</c>, "Command line", defines it: exit codes, what reaches stdout
/// and stderr, file naming, and the evaluation date.
/// </summary>
public sealed class CliTests : IDisposable
{
    private const string Subpoena = """
        {"jurisdiction":"US-CA","receivedOn":"2026-11-02","respondBy":"2026-11-23","requester":"attorney","instrument":"subpoena",
         "clinician":{"profession":"psychologist","licensed":true},"requested":["progress-notes","psychotherapy-notes"],
         "proceeding":{"forum":"state","kind":"civil"}}
        """;

    private const string InsurerLetter = """
        {"jurisdiction":"US-NY","requester":"insurer","instrument":"letter","requested":["billing"],"clinician":{"profession":"social-worker"}}
        """;

    private const string ClientAccess = """
        {"jurisdiction":"US-CA","requester":"client","instrument":"letter","requested":["progress-notes","psychotherapy-notes"],
         "clinician":{"profession":"psychologist"}}
        """;

    /// <summary>A subpoena with a valid release on file that expires on 2026-11-10.</summary>
    private const string ReleasedUntilNov10 = """
        {"jurisdiction":"US-CA","receivedOn":"2026-11-02","requester":"attorney","instrument":"subpoena","requested":["progress-notes"],
         "proceeding":{"forum":"state","kind":"civil"},"clinician":{"profession":"psychologist"},
         "authorization":{"signed":true,"recipientCovered":true,"purposeCovered":true,"categories":["progress-notes"],
                          "expiresOn":"2026-11-10","clientUnderstandingConfirmed":true}}
        """;

    private const string UnknownProperty = """
        {"jurisdiction":"US-CA","requester":"attorney","instrument":"letter","requested":["intake"],"clinician":{"profession":"psychologist"},
         "authorisation":{}}
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TriageEngine Engine(TimeProvider? time = null) => new(LawLibrary.Embedded, time ?? new FakeTimeProvider(CliRunner.Now));

    private static Determination Evaluate(string json, DateOnly? asOf = null) => Engine().Evaluate(RequestParser.Parse(json).Request!, asOf);

    private static string Outcome(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return doc.RootElement.GetProperty("outcome").GetString()!;
    }

    private static string RespondBy(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return doc.RootElement.GetProperty("respondBy").GetString()!;
    }

    [Fact]
    public void Triage_JsonSeveralFiles_PrintsOneLinePerFileInOrder()
    {
        var a = _dir.Write("a.json", Subpoena);
        var b = _dir.Write("b.json", InsurerLetter);
        var c = _dir.Write("c.json", ClientAccess);

        var result = CliRunner.Run(["triage", "--format", "json", a, b, c, a]);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Assert.EndsWith("\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            ["assert-privilege", "confidential-no-disclosure", "client-access", "assert-privilege"],
            result.Lines.Select(Outcome).ToArray()
        );
    }

    [Fact]
    public void Triage_JsonFormat_PrintsExactlyTheContractSerialization()
    {
        var file = _dir.Write("case.json", Subpoena);

        var result = CliRunner.Run(["triage", "--format", "json", file]);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(DeterminationJson.ToJson(Evaluate(Subpoena)) + "\n", result.Stdout);
    }

    [Fact]
    public void Triage_TextFormat_PrintsOutcomeWhyStepsAndFullCitations()
    {
        var file = _dir.Write("case.json", Subpoena);
        var expected = Evaluate(Subpoena);
        var catalog = LawLibrary.Embedded.Catalog;

        var result = CliRunner.Run(["triage", file]);

        Assert.True(result.Code == 0, result.ToString());
        var text = result.Stdout;
        Assert.StartsWith("Outcome: assert-privilege\n", text, StringComparison.Ordinal);
        Assert.Contains("\nWhy:\n", text, StringComparison.Ordinal);
        Assert.Contains("\nSteps:\n", text, StringComparison.Ordinal);
        Assert.Contains("\nCitations:\n", text, StringComparison.Ordinal);
        Assert.Contains("Respond by: 2026-11-23", text, StringComparison.Ordinal);
        Assert.Contains("Withheld: progress-notes, psychotherapy-notes", text, StringComparison.Ordinal);
        foreach (var reason in expected.Reasons)
        {
            Assert.Contains($"  - {reason}\n", text, StringComparison.Ordinal);
        }
        for (var i = 0; i < expected.Steps.Count; i++)
        {
            Assert.Contains($"  {i + 1}. {expected.Steps[i]}\n", text, StringComparison.Ordinal);
        }
        Assert.Contains("ca-evid-1014", expected.Citations);
        foreach (var id in expected.Citations)
        {
            var c = catalog.Get(id);
            Assert.Contains($"  [{c.Id}] {c.Text} ({c.StatusLabel})\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Triage_TextSeveralFiles_HeadsEachWithItsName()
    {
        var a = _dir.Write("a.json", Subpoena);
        var b = _dir.Write("b.json", InsurerLetter);

        var result = CliRunner.Run(["triage", "--format", "text", a, b]);

        Assert.True(result.Code == 0, result.ToString());
        var first = result.Stdout.IndexOf($"== {a} ==\nOutcome: assert-privilege", StringComparison.Ordinal);
        var second = result.Stdout.IndexOf($"== {b} ==\nOutcome: confidential-no-disclosure", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, result.ToString());
    }

    [Fact]
    public void Triage_OneOfSeveralFilesInvalid_Exits2WithEmptyStdout()
    {
        var a = _dir.Write("a.json", Subpoena);
        var bad = _dir.Write("bad.json", UnknownProperty);
        var c = _dir.Write("c.json", InsurerLetter);

        var result = CliRunner.Run(["triage", "--format", "json", a, bad, c]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains($"{bad}: $.authorisation: unknown property", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(a, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_SeveralInvalidFiles_ReportsEveryOne()
    {
        var bad1 = _dir.Write("bad1.json", UnknownProperty);
        var good = _dir.Write("good.json", Subpoena);
        var bad2 = _dir.Write("bad2.json", "{\n  \"jurisdiction\": \"US-CA\",\n  \"instrument\" \"letter\"\n}");

        var result = CliRunner.Run(["triage", bad1, good, bad2]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains($"{bad1}: $.authorisation: unknown property", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad2}: $: invalid JSON at line 3, column 16", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_InvalidRequest_NamesFileAsGivenAndTheJsonPath()
    {
        _dir.Write("case.json", """{"jurisdiction":"US-CA","requester":"attorney","instrument":"letter","requested":["intake"],"clinician":{"profession":"therapist"}}""");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_dir.Path, "case.json"));

        var result = CliRunner.Run(["triage", relative]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal(
            $"{relative}: $.clinician.profession: expected one of psychologist, social-worker, counselor, marriage-family-therapist, psychiatrist, other\n",
            result.Stderr
        );
    }

    [Fact]
    public void Triage_MissingFile_Exits2NamingTheFile()
    {
        var good = _dir.Write("good.json", Subpoena);
        var missing = Path.Combine(_dir.Path, "nope.json");

        var result = CliRunner.Run(["triage", "--format", "json", good, missing]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.StartsWith($"{missing}: cannot read", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_DirectoryAsFile_Exits2NamingIt()
    {
        var result = CliRunner.Run(["triage", _dir.Path]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.StartsWith($"{_dir.Path}: cannot read", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_DashValidRequest_ReadsStdin()
    {
        var result = CliRunner.Run(["triage", "--format", "json", "-"], stdin: Subpoena);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(DeterminationJson.ToJson(Evaluate(Subpoena)) + "\n", result.Stdout);
    }

    [Fact]
    public void Triage_DashInvalidRequest_NamesStdin()
    {
        var result = CliRunner.Run(["triage", "--format", "json", "-"], stdin: UnknownProperty);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal("<stdin>: $.authorisation: unknown property\n", result.Stderr);
    }

    [Fact]
    public void Triage_DashInvalidJson_NamesStdinLineAndColumn()
    {
        var result = CliRunner.Run(["triage", "-"], stdin: "{\n  \"a\": 1,\n}");

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal("<stdin>: $: invalid JSON at line 3, column 1\n", result.Stderr);
    }

    [Fact]
    public void Triage_NoFile_Exits2()
    {
        var result = CliRunner.Run(["triage", "--format", "json"]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("no FILE", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("JSON")]
    [InlineData("")]
    public void Triage_BadFormat_Exits2(string format)
    {
        var file = _dir.Write("case.json", Subpoena);

        var result = CliRunner.Run(["triage", "--format", format, file]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("--format", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("29/11/2026")]
    [InlineData("2026-11-29T00:00:00")]
    [InlineData("today")]
    [InlineData("")]
    public void Triage_BadAsOf_Exits2(string asOf)
    {
        var file = _dir.Write("case.json", Subpoena);

        var result = CliRunner.Run(["triage", "--as-of", asOf, file]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("--as-of", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_UnknownOption_Exits2()
    {
        var file = _dir.Write("case.json", Subpoena);

        var result = CliRunner.Run(["triage", "--formt", "json", file]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Triage_AsOfAfterReleaseExpires_AssertsPrivilegeInstead()
    {
        var file = _dir.Write("case.json", ReleasedUntilNov10);

        var onReceipt = CliRunner.Run(["triage", "--format", "json", file]);
        var onExpiry = CliRunner.Run(["triage", "--format", "json", "--as-of", "2026-11-10", file]);
        var afterExpiry = CliRunner.Run(["triage", "--format", "json", "--as-of", "2026-11-11", file]);

        Assert.True(onReceipt.Code == 0 && onExpiry.Code == 0 && afterExpiry.Code == 0, $"{onReceipt}\n{onExpiry}\n{afterExpiry}");
        Assert.Equal("disclose-with-authorization", Outcome(onReceipt.Stdout));
        Assert.Equal("disclose-with-authorization", Outcome(onExpiry.Stdout)); // valid through that day
        Assert.Equal("assert-privilege", Outcome(afterExpiry.Stdout));
    }

    [Fact]
    public void Triage_NoAsOfAndNoReceivedOn_UsesTheClocksUtcDate()
    {
        // 23:30 on March 1 at UTC-5 is March 2 in UTC; the local zone is UTC-5 too, so a local date would differ.
        var zone = TimeZoneInfo.CreateCustomTimeZone("test-minus-5", TimeSpan.FromHours(-5), "test-minus-5", "test-minus-5");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.FromHours(-5)));
        clock.SetLocalTimeZone(zone);
        var access = _dir.Write("access.json", ClientAccess);
        var release = ReleasedUntilNov10
            .Replace("\"receivedOn\":\"2026-11-02\",", "", StringComparison.Ordinal)
            .Replace("2026-11-10", "2026-03-01", StringComparison.Ordinal);
        Assert.DoesNotContain("receivedOn", release, StringComparison.Ordinal);
        var released = _dir.Write("release.json", release);

        var result = CliRunner.Run(["triage", "--format", "json", access, released], time: clock);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("2026-03-17", RespondBy(result.Lines[0])); // March 2 + California's 15 days
        Assert.Equal("assert-privilege", Outcome(result.Lines[1])); // a release valid through March 1 has expired
    }

    [Fact]
    public void Triage_AsOfGiven_OverridesReceivedOnAndClock()
    {
        var withReceived = ClientAccess.Replace("\"requester\"", "\"receivedOn\":\"2026-05-01\",\"requester\"", StringComparison.Ordinal);
        var file = _dir.Write("access.json", ClientAccess);
        var fileReceived = _dir.Write("received.json", withReceived);

        var byClock = CliRunner.Run(["triage", "--format", "json", file]);
        var byAsOf = CliRunner.Run(["triage", "--format", "json", "--as-of", "2026-04-01", file]);
        var byReceived = CliRunner.Run(["triage", "--format", "json", fileReceived]);

        Assert.Equal("2026-12-14", RespondBy(byClock.Stdout)); // 2026-11-29 + 15
        Assert.Equal("2026-04-16", RespondBy(byAsOf.Stdout));
        Assert.Equal("2026-05-16", RespondBy(byReceived.Stdout));
    }

    [Fact]
    public void Profiles_Lists_EveryProfileWithVersionAndReviewDate()
    {
        var law = LawLibrary.Embedded;

        var result = CliRunner.Run(["profiles"]);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        var ids = law.States.Select(p => p.Id).ToArray();
        Assert.Equal(
            ["US-AZ", "US-CA", "US-FL", "US-GA", "US-IL", "US-MA", "US-MI", "US-NC", "US-NJ", "US-NY", "US-OH", "US-PA", "US-TX", "US-VA", "US-WA"],
            ids
        );
        foreach (var profile in law.States.Append(law.Baseline))
        {
            var line = result.Lines.SingleOrDefault(l => l.StartsWith(profile.Id + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"no line for {profile.Id}:\n{result.Stdout}");
            Assert.Contains($" {profile.Version} ", line, StringComparison.Ordinal);
            Assert.Contains(profile.ReviewedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        }
        Assert.Equal("baseline", law.Baseline.Id);
    }

    [Theory]
    [InlineData("ca-evid-1014")]
    [InlineData("apa-psychiatry-4")]
    public void Citations_KnownId_PrintsItWithItsStatus(string id)
    {
        var c = LawLibrary.Embedded.Catalog.Get(id);

        var result = CliRunner.Run(["citations", id]);

        Assert.True(result.Code == 0, result.ToString());
        Assert.StartsWith($"{c.Id}  [{c.StatusCode}]  {c.Jurisdiction}\n  {c.Text}\n  {c.Summary}\n", result.Stdout, StringComparison.Ordinal);
        if (c.Status == VerificationStatus.Unverified)
        {
            Assert.Contains("Status: UNVERIFIED.", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Citations_UnknownId_Exits2()
    {
        var result = CliRunner.Run(["citations", "nope"]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("'nope'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownCommand_Exits2()
    {
        var result = CliRunner.Run(["frobnicate"]);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("", result.Stdout);
    }
}
