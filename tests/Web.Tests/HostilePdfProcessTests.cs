using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Packets;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

/// <summary>
/// The web app as a real OS process (<c>dotnet Confide.Web.dll</c>) on a database holding packets a
/// hostile PDF left behind: one found "Building" whose attachment overflows the parser's stack (the
/// nesting cap raised so that the parser really sees it), one whose builds were interrupted more
/// often than they may be retried. Only a separate process can show that the app survives: it
/// answers /health 200 throughout, both packets end failed with their reasons and audit entries,
/// and after a restart it answers again and tries neither a second time.
/// </summary>
public sealed class HostilePdfProcessTests(SqliteClockedDemoApp app) : IClassFixture<SqliteClockedDemoApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RealProcess_SurvivesAPacketThatCrashesTheParser_AndOneInterruptedTooOften_HealthyThroughoutAndAfterARestart()
    {
        var crashing = await HostilePdfTests<SqliteClockedDemoApp>.PacketAsync(app, HostilePdfs.NestedArrays(), PacketStatus.Building, 1);
        var exhausted = await HostilePdfTests<SqliteClockedDemoApp>.PacketAsync(app, HostilePdfs.NestedArrays(), PacketStatus.Building, 3);

        using (var first = await AppProcess.StartAsync(app))
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                Assert.Equal(HttpStatusCode.OK, await first.HealthAsync());
                var states = await StatesAsync(crashing, exhausted);
                if (states.All(s => s.Status == PacketStatus.Failed))
                {
                    break;
                }
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), $"not failed within 120 s: {string.Join(", ", states)}\n{first.Output}");
                await Task.Delay(250, Ct);
            }
            Assert.Equal(HttpStatusCode.OK, await first.HealthAsync());
            Assert.False(first.HasExited, first.Output);
        }
        Assert.Equal(
            [(PacketStatus.Failed, "unsafe-pdf.crashed", 2), (PacketStatus.Failed, PacketWorker.Interrupted, 3)],
            await StatesAsync(crashing, exhausted)
        );

        using (var second = await AppProcess.StartAsync(app))
        {
            Assert.Equal(HttpStatusCode.OK, await second.HealthAsync());
            await Task.Delay(2_000, Ct); // time for a (wrong) resume to start
            Assert.Equal(HttpStatusCode.OK, await second.HealthAsync());
            Assert.False(second.HasExited, second.Output);
        }
        Assert.Equal(
            [(PacketStatus.Failed, "unsafe-pdf.crashed", 2), (PacketStatus.Failed, PacketWorker.Interrupted, 3)],
            await StatesAsync(crashing, exhausted)
        );
        await using var db = app.NewDbContext();
        foreach (var (id, reason) in new[] { (crashing, "unsafe-pdf.crashed"), (exhausted, PacketWorker.Interrupted) })
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.PacketFailed && e.TargetId == id.ToString("N") && e.Detail == $"failure={reason}", Ct));
        }
    }

    private async Task<List<(PacketStatus Status, string? Failure, int Attempts)>> StatesAsync(params Guid[] ids)
    {
        await using var db = app.NewDbContext();
        var rows = await db.Packets.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, Ct);
        return [.. ids.Select(id => (rows[id].Status, rows[id].Failure, rows[id].BuildAttempts))];
    }

    /// <summary>The app built next to these tests, started as its own process on the fixture's database and key files.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;
        private readonly System.Text.StringBuilder _output = new();

        private AppProcess(Process process, Uri address)
        {
            _process = process;
            _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        }

        public bool HasExited => _process.HasExited;

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

        public static async Task<AppProcess> StartAsync(SqliteClockedDemoApp app)
        {
            var port = FreePort();
            var dll = Path.Combine(AppContext.BaseDirectory, "Confide.Web.dll");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = app.DataDirectory,
            };
            start.ArgumentList.Add(dll);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal) || k.StartsWith("Confide__", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Database__Provider"] = "sqlite";
            start.Environment["ConnectionStrings__Confide"] = app.ConnectionString;
            start.Environment["Keys__MasterKeyFile"] = app.MasterKeyFile;
            start.Environment["Confide__Pdf__MaxNesting"] = "1000000"; // let the parser meet the bomb: only the child may fall
            var process = Process.Start(start)!;
            var running = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
            process.OutputDataReceived += (_, e) => running.Append(e.Data);
            process.ErrorDataReceived += (_, e) => running.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var waited = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, $"the app stopped at start:\n{running.Output}");
                try
                {
                    if (await running.HealthAsync() == HttpStatusCode.OK)
                    {
                        return running;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"the app did not answer within 90 s:\n{running.Output}");
                await Task.Delay(200, Ct);
            }
        }

        public async Task<HttpStatusCode> HealthAsync() => (await _http.GetAsync(new Uri("/health", UriKind.Relative), Ct)).StatusCode;

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
            _http.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
