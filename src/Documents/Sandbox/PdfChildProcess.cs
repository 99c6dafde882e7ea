using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confide.Documents.Packets;

namespace Confide.Documents.Sandbox;

/// <summary>
/// The one failure of reading an outside PDF in the child process: whatever the child did (a cap
/// broken, a crash such as a stack overflow, a timeout, too much memory, too much output, an answer
/// that does not parse), the PDF "could not be read safely". <see cref="Reason"/> is a short code
/// for the log, the audit entry and the packet's failure; the message names no content.
/// </summary>
public sealed class PdfNotSafeException(string reason, string detail, string? item = null)
    : Exception($"this PDF could not be read safely{(item is null ? "" : $" (item '{item}')")}: {detail}")
{
    /// <summary><c>refused-nesting</c>, <c>refused-pages</c>, ... (a cap), <c>crashed</c>, <c>timeout</c>, <c>memory</c>, <c>output-too-large</c>, <c>malformed-result</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>The cap or failure in words.</summary>
    public string Detail { get; } = detail;
}

/// <summary>What an upload's scan found: the structure, and the pages PDFsharp counted (null when it could not read the file).</summary>
public sealed record PdfScanReport(PdfScanResult Scan, int? Pages);

/// <summary>
/// Runs every parse of an outside PDF in a child process (<c>Confide.PdfWorker</c>, next to the
/// app's assemblies), one command per process, so that nothing a hostile file does to a parser can
/// take the app down: the child gets a private job directory (mode 0700) under
/// <see cref="ScratchRoot"/> as its only files and its temp folder, an environment holding no key or
/// connection string, a managed heap hard limit (<c>DOTNET_GCHeapHardLimit</c>) and, where
/// util-linux's <c>prlimit</c> exists, limits on address space, file size and core dumps; it is
/// killed after <see cref="PdfLimits.Timeout"/>, and at most <see cref="PdfLimits.MaxOutputBytes"/>
/// of output file, 1 MB of standard output and 16 MB of answer are read back. Every other outcome
/// is a <see cref="PdfNotSafeException"/>. The job directory is deleted whatever happens.
/// </summary>
public sealed class PdfChildProcess(PdfLimits limits, string scratchRoot)
{
    /// <summary>The worker's assembly name.</summary>
    public const string WorkerName = "Confide.PdfWorker";

    /// <summary>The child's exit code when it ran out of memory (caught, or refused by the limit).</summary>
    public const int OutOfMemoryExit = 3;

    private const int MaxStdoutBytes = 1024 * 1024;
    private const int MaxStderrBytes = 64 * 1024;
    private const int MaxProgressLine = 4096;
    private const int MaxResultBytes = 16 * 1024 * 1024;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The caps in use.</summary>
    public PdfLimits Limits { get; } = limits.Validated();

    /// <summary>Where job directories are made (created 0700 when missing).</summary>
    public string ScratchRoot { get; } = Path.GetFullPath(scratchRoot);

    /// <summary>The worker's assembly; by default next to this one.</summary>
    public string WorkerPath { get; init; } = Path.Combine(AppContext.BaseDirectory, WorkerName + ".dll");

    /// <summary>
    /// Another command to run instead of <c>dotnet exec</c> <see cref="WorkerPath"/> (the job
    /// directory is appended as its last argument): a wrapper that confines the worker further
    /// (bwrap, firejail), or a stand-in child in tests. The limits hold it the same way.
    /// </summary>
    public IReadOnlyList<string>? WorkerCommand { get; init; }

    /// <summary>Scans a PDF in a child: the structural caps, then PDFsharp's page count.</summary>
    /// <exception cref="PdfNotSafeException">A cap broken, or the child failed.</exception>
    public async Task<PdfScanReport> ScanAsync(byte[] pdf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var job = NewJob();
        try
        {
            PdfJob.Write(job, new PdfJobInput(PdfJob.Scan, Limits));
            await File.WriteAllBytesAsync(Path.Combine(job, PdfJob.ScanFile), pdf, cancellationToken);
            var output = await RunAsync(job, null, cancellationToken);
            return output.Scan is { } scan ? new PdfScanReport(scan, output.Pages) : throw new PdfNotSafeException("malformed-result", "the reader's answer is incomplete");
        }
        finally
        {
            Delete(job);
        }
    }

    /// <summary>
    /// Builds a packet in a child: every included attachment is scanned there first, then
    /// <see cref="PacketBuilder"/> runs with <paramref name="options"/>. Returns the result and the PDF.
    /// </summary>
    /// <exception cref="PdfNotSafeException">An attachment broke a cap, or the child failed.</exception>
    /// <exception cref="ArgumentException">The request is invalid (as <see cref="PacketBuilder.Build"/> says).</exception>
    /// <exception cref="InvalidDataException">An attachment cannot be read.</exception>
    /// <exception cref="PdftoppmNotFoundException">pdftoppm is needed and missing.</exception>
    public async Task<(PacketResult Result, byte[] Pdf)> BuildAsync(PacketRequest request, PacketOptions options, IProgress<PacketProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var job = NewJob();
        try
        {
            PdfJob.Write(job, new PdfJobInput(PdfJob.Build, Limits, request, options with { TempDirectory = job }));
            var output = await RunAsync(job, progress, cancellationToken);
            var file = new FileInfo(Path.Combine(job, PdfJob.OutputFile));
            if (output.Packet is not { } result || !file.Exists)
            {
                throw new PdfNotSafeException("malformed-result", "the builder's answer is incomplete");
            }
            if (file.Length > Limits.MaxOutputBytes)
            {
                throw new PdfNotSafeException("output-too-large", $"the packet is larger than {Limits.MaxOutputBytes / (1024 * 1024)} MB");
            }
            return (result, await File.ReadAllBytesAsync(file.FullName, cancellationToken));
        }
        finally
        {
            Delete(job);
        }
    }

    /// <summary>
    /// Deletes the job directories left under <paramref name="scratchRoot"/> by a stopped app: those
    /// untouched for longer than <paramref name="olderThan"/> (at least the child's time limit, so a job
    /// of another instance sharing the data directory, still running, is never taken from under it);
    /// makes the root private.
    /// </summary>
    public static int Sweep(string scratchRoot, TimeSpan olderThan, DateTime nowUtc)
    {
        var root = Root(scratchRoot);
        var swept = 0;
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
        {
            if (nowUtc - entry.LastWriteTimeUtc < olderThan)
            {
                continue; // a live job, perhaps another instance's
            }
            try
            {
                if (entry is DirectoryInfo d)
                {
                    d.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
                swept++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // left for the next start
            }
        }
        return swept;
    }

    private string NewJob()
    {
        var job = Path.Combine(Root(ScratchRoot), Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(job);
        SetPrivate(job);
        return job;
    }

    private static string Root(string scratchRoot)
    {
        var root = Path.GetFullPath(scratchRoot);
        Directory.CreateDirectory(root);
        SetPrivate(root);
        return root;
    }

    private static void SetPrivate(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, Private);
        }
    }

    private static void Delete(string job)
    {
        try
        {
            Directory.Delete(job, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // swept at the next start
        }
    }

    private async Task<PdfJobOutput> RunAsync(string job, IProgress<PacketProgress>? progress, CancellationToken cancellationToken)
    {
        if (WorkerCommand is null && !File.Exists(WorkerPath))
        {
            throw new FileNotFoundException($"the PDF worker {WorkerPath} is missing: it is built with the app (src/PdfWorker)", WorkerPath);
        }
        using var process = new Process { StartInfo = StartInfo(job) };
        process.Start();
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limits.Timeout);
        var tooMuch = false;
        var stdout = Task.Run(
            async () =>
            {
                // Read in blocks, never a whole line at once: a child writing one endless line cannot fill this process's memory.
                var line = new System.Text.StringBuilder();
                var buffer = new char[4096];
                var total = 0;
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    total += read;
                    if (total > MaxStdoutBytes)
                    {
                        tooMuch = true;
                        Kill(process);
                        return;
                    }
                    foreach (var c in buffer.AsSpan(0, read))
                    {
                        if (c == '\n')
                        {
                            if (PdfJob.ParseProgress(line.ToString()) is { } p)
                            {
                                progress?.Report(p);
                            }
                            line.Clear();
                        }
                        else if (line.Length < MaxProgressLine)
                        {
                            line.Append(c);
                        }
                    }
                }
            },
            CancellationToken.None
        );
        var stderr = Drain(process.StandardError, timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new PdfNotSafeException("timeout", $"reading it took longer than {Limits.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        if (tooMuch)
        {
            throw new PdfNotSafeException("output-too-large", "the reader wrote too much");
        }
        var error = await stderr;
        if (process.ExitCode == OutOfMemoryExit || error.Contains("OutOfMemory", StringComparison.Ordinal))
        {
            throw new PdfNotSafeException("memory", $"reading it needed more than {Limits.MemoryMegabytes} MB");
        }
        if (process.ExitCode != 0)
        {
            var signal = process.ExitCode > 128 ? $", signal {process.ExitCode - 128}" : "";
            throw new PdfNotSafeException("crashed", $"the reader stopped (exit {process.ExitCode}{signal})");
        }
        var result = new FileInfo(Path.Combine(job, PdfJob.ResultFile));
        if (!result.Exists || result.Length > MaxResultBytes)
        {
            throw new PdfNotSafeException("malformed-result", "the reader gave no answer of a sane size");
        }
        PdfJobOutput output;
        try
        {
            output = PdfJob.ReadResult(job, await File.ReadAllBytesAsync(result.FullName, cancellationToken));
        }
        catch (JsonException)
        {
            throw new PdfNotSafeException("malformed-result", "the reader's answer does not parse");
        }
        return output.Status switch
        {
            "ok" => output,
            "refused" => throw new PdfNotSafeException("refused-" + (output.Scan?.Refusal ?? "cap"), output.Scan?.Detail ?? "a cap was broken", Item(output)),
            "argument" => throw new ArgumentException(output.Message),
            "invalid-data" => throw new InvalidDataException(output.Message),
            "pdftoppm-missing" => throw new PdftoppmNotFoundException(output.Message),
            _ => throw new PdfNotSafeException("malformed-result", "the reader's answer is not one it may give"),
        };
    }

    private static string? Item(PdfJobOutput output) => output.Message.Length > 0 ? output.Message : null;

    private ProcessStartInfo StartInfo(string job)
    {
        var (host, hostArgs) = Host();
        var prlimit = Prlimit();
        var start = new ProcessStartInfo(prlimit ?? host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = job,
        };
        if (prlimit is not null)
        {
            var heap = (long)Limits.MemoryMegabytes * 1024 * 1024;
            start.ArgumentList.Add($"--as={(heap * 4) + (2048L * 1024 * 1024)}");
            start.ArgumentList.Add($"--fsize={Limits.MaxOutputBytes + (1024 * 1024)}");
            start.ArgumentList.Add("--core=0");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(host);
        }
        foreach (var arg in hostArgs)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(job);

        // Nothing of the app's environment but what running .NET and pdftoppm needs: no key, no connection string.
        var keep = new[] { "PATH", "HOME", "LANG", "LC_ALL", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64" };
        var inherited = keep.Select(k => (k, Environment.GetEnvironmentVariable(k))).Where(e => e.Item2 is not null).ToList();
        start.Environment.Clear();
        foreach (var (name, value) in inherited)
        {
            start.Environment[name] = value;
        }
        start.Environment["TMPDIR"] = job; // anything the child's libraries put in "temp" stays in the private job directory
        start.Environment["DOTNET_GCHeapHardLimit"] = ((long)Limits.MemoryMegabytes * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // no debugger or diagnostics pipes
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>The dotnet host and its arguments: this process's host when it is <c>dotnet</c>, else the one the SDK or DOTNET_ROOT names, else <c>dotnet</c> on PATH.</summary>
    private (string Host, string[] Args) Host()
    {
        if (WorkerCommand is { Count: > 0 } command)
        {
            return (command[0], [.. command.Skip(1)]);
        }
        string host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            host = self;
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } named && File.Exists(named))
        {
            host = named;
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            host = Path.Combine(root, "dotnet");
        }
        else
        {
            host = "dotnet";
        }
        return (host, ["exec", WorkerPath]);
    }

    /// <summary>util-linux's prlimit, when present (Linux): how every process that reads an upload is confined.</summary>
    internal static string? Prlimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        return new[] { "/usr/bin/prlimit", "/bin/prlimit" }.FirstOrDefault(File.Exists);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Reads a stream to its end, keeping at most the first 64 KB.</summary>
    private static async Task<string> Drain(StreamReader reader, CancellationToken cancellationToken)
    {
        var kept = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (kept.Length < MaxStderrBytes)
            {
                kept.Append(buffer, 0, Math.Min(read, MaxStderrBytes - kept.Length));
            }
        }
        return kept.ToString();
    }
}
