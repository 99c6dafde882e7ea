using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Confide.Web.Tests;

/// <summary>
/// The web app as a real process (<c>dotnet Confide.Web.dll</c>, copied beside the tests), on a SQLite
/// database and master key of its own, listening on a free loopback port: what a person running it
/// sees on the console.
/// </summary>
public sealed partial class WebProcessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("confide-process-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    private sealed class Running : IDisposable
    {
        private readonly StringBuilder _output = new();
        public required Process Process { get; init; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        /// <summary>Waits until the output matches <paramref name="pattern"/> (or the process ends); the match.</summary>
        public async Task<Match> WaitForAsync(Regex pattern)
        {
            var until = Stopwatch.StartNew();
            while (until.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (pattern.Match(Output) is { Success: true } m)
                {
                    return m;
                }
                if (Process.HasExited)
                {
                    await Task.Delay(200, Ct); // the last lines
                    return pattern.Match(Output);
                }
                await Task.Delay(100, Ct);
            }
            return pattern.Match(Output);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
            Process.Dispose();
        }
    }

    private Running Start(string environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Confide.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} not found beside the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal) || k.StartsWith("Keys__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ConnectionStrings__Confide"] = $"Data Source={Path.Combine(_dir.FullName, "data", "confide.db")}";
        start.Environment["Keys__MasterKeyFile"] = Path.Combine(_dir.FullName, "confide-master.key");
        start.Environment["DOTNET_NOLOGO"] = "1";
        var running = new Running { Process = Process.Start(start)! };
        running.Process.OutputDataReceived += (_, e) => running.Append(e.Data);
        running.Process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        running.Process.BeginOutputReadLine();
        running.Process.BeginErrorReadLine();
        return running;
    }

    [Fact]
    public async Task Demo_OutsideDevelopment_RefusedUnlessAcknowledged_AndEveryStartWarnsWhileTheDemoPracticeExists()
    {
        using (var refused = Start("Production", "--demo"))
        {
            Assert.True(refused.Process.WaitForExit(60_000), "the app did not stop");
            await refused.WaitForAsync(AcknowledgeFlag());
            Assert.Equal(2, refused.Process.ExitCode);
            Assert.Matches(AcknowledgeFlag(), refused.Output);
            Assert.False(File.Exists(Path.Combine(_dir.FullName, "data", "confide.db")), "a refused start created the database");
        }
        using (var acknowledged = Start("Production", "--demo", "--i-understand-demo-accounts-are-public"))
        {
            Assert.True((await acknowledged.WaitForAsync(RunningLine())).Success, acknowledged.Output);
            Assert.Contains("Demo practice seeded", acknowledged.Output, StringComparison.Ordinal);
            Assert.True((await acknowledged.WaitForAsync(DemoWarning())).Success, acknowledged.Output);
            Assert.DoesNotMatch(SetupCodeLine(), acknowledged.Output); // a practice exists: no setup code
        }
        using var plain = Start("Production");
        Assert.True((await plain.WaitForAsync(RunningLine())).Success, plain.Output);
        Assert.True((await plain.WaitForAsync(DemoWarning())).Success, "no warning at a start without --demo: " + plain.Output);
    }

    [Fact]
    public async Task FreshInstall_PrintsASetupCode_SetupNeedsIt_AndItWorksOnce()
    {
        using var app = Start("Development");
        var url = await app.WaitForAsync(RunningLine());
        Assert.True(url.Success, app.Output);
        var code = await app.WaitForAsync(SetupCodeLine());
        Assert.True(code.Success, app.Output);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(url.Groups[1].Value) };
        async Task<HttpResponseMessage> SetupAsync(string setupCode)
        {
            var form = await http.GetStringAsync("/Setup", Ct);
            using var content = new FormUrlEncodedContent(
                [
                    new("Input.SetupCode", setupCode), new("Input.PracticeName", "Process Practice"), new("Input.Address", "1 Main St"),
                    new("Input.Jurisdiction", "US-TX"), new("Input.OwnerName", "Owner"), new("Input.Email", "owner@process.test"),
                    new("Input.Password", "a long enough passphrase"), new("__RequestVerificationToken", Browser.Token(form)),
                ]
            );
            return await http.PostAsync("/Setup", content, Ct);
        }
        using var wrong = await SetupAsync("ABCDE-FGHJK-LMNPQ-RSTUV");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The setup code is not right", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var right = await SetupAsync(code.Groups[1].Value.ToLowerInvariant()); // typed in lower case: still the code
        Assert.Equal("/Account/Authenticator", right.Headers.Location?.OriginalString);
        using var again = await http.GetAsync("/Setup", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [GeneratedRegex(@"Confide is running at (http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"Setup code: ([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})")]
    private static partial Regex SetupCodeLine();

    [GeneratedRegex("--i-understand-demo-accounts-are-public")]
    private static partial Regex AcknowledgeFlag();

    [GeneratedRegex("The demo practice [0-9a-f-]{36} exists in this database")]
    private static partial Regex DemoWarning();
}
