using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Confide.Documents.Packets;

/// <summary>
/// Runs poppler's <c>pdftoppm</c> (a page to an image) and <c>pdfinfo</c> (page sizes) as separate
/// processes, the PDF on standard input and the result on standard output: no file is written
/// anywhere. Each run has a time limit, an output cap and, where util-linux's <c>prlimit</c> exists
/// (Linux), a limit on its address space and no core dump: a page that would need gigabytes to
/// render fails instead of taking the machine's memory (the previews run from the web process).
/// Blacked-out pages are JPEG (pdftoppm
/// writes it about 9 times faster than PNG and PDFsharp embeds it as it is, DCTDecode); previews
/// are PNG.
/// </summary>
internal sealed partial class Rasterizer(string executable, TimeSpan timeout, int memoryMegabytes)
{
    /// <summary>The most a page image or a page list may take (bytes).</summary>
    private const int MaxOutput = 64 * 1024 * 1024;

    /// <summary>The full path of pdftoppm: <paramref name="path"/> itself when it names a file, else looked up on PATH.</summary>
    /// <exception cref="PdftoppmNotFoundException">Not found.</exception>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || path.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(path) ? Path.GetFullPath(path) : throw new PdftoppmNotFoundException(path);
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new PdftoppmNotFoundException(path);
    }

    /// <summary>Renders the 1-based <paramref name="page"/> of <paramref name="pdf"/> at <paramref name="dpi"/>: JPEG (quality 90) or, with <paramref name="png"/>, PNG.</summary>
    public byte[] Render(byte[] pdf, int page, int dpi, bool png, CancellationToken cancellationToken)
    {
        var p = page.ToString(CultureInfo.InvariantCulture);
        string[] format = png ? ["-png"] : ["-jpeg", "-jpegopt", "quality=90"];
        return Run(executable, [.. format, "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", p, "-l", p, "-singlefile", "-"], pdf, cancellationToken);
    }

    /// <summary>Each page's size as displayed (after /Rotate), from pdfinfo beside pdftoppm.</summary>
    /// <exception cref="InvalidDataException">The PDF cannot be read.</exception>
    public IReadOnlyList<PageSize> Sizes(byte[] pdf, CancellationToken cancellationToken)
    {
        var pdfinfo = Path.Combine(Path.GetDirectoryName(executable) ?? "", "pdfinfo");
        if (!File.Exists(pdfinfo))
        {
            pdfinfo = Resolve("pdfinfo");
        }
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(Run(pdfinfo, ["-f", "1", "-l", "100000", "-"], pdf, cancellationToken));
        }
        catch (IOException ex)
        {
            throw new InvalidDataException("the PDF cannot be read", ex);
        }
        var sizes = new SortedDictionary<int, PageSize>();
        var rotations = new Dictionary<int, int>();
        foreach (Match m in PageLine().Matches(text))
        {
            var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["rot"].Success)
            {
                rotations[n] = int.Parse(m.Groups["rot"].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                sizes[n] = new PageSize(double.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture));
            }
        }
        if (sizes.Count == 0)
        {
            throw new InvalidDataException("the PDF has no pages that can be read");
        }
        return [.. sizes.Select(s => rotations.GetValueOrDefault(s.Key) % 180 != 0 ? new PageSize(s.Value.Height, s.Value.Width) : s.Value)];
    }

    [GeneratedRegex(@"^Page\s+(?<n>\d+)\s+(?:size:\s+(?<w>[0-9.]+) x (?<h>[0-9.]+) pts|rot:\s+(?<rot>-?\d+))", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PageLine();

    private byte[] Run(string program, IEnumerable<string> arguments, byte[] input, CancellationToken cancellationToken)
    {
        var prlimit = Sandbox.PdfChildProcess.Prlimit();
        var start = new ProcessStartInfo(prlimit ?? program)
        {
            RedirectStandardError = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (prlimit is not null)
        {
            start.ArgumentList.Add($"--as={(long)memoryMegabytes * 1024 * 1024}");
            start.ArgumentList.Add("--core=0");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PdftoppmNotFoundException(program);
        }
        catch (Win32Exception ex)
        {
            throw new PdftoppmNotFoundException(program, ex);
        }
        using (process)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            var stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
            var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, timeoutSource.Token);
            var stdin = WriteAsync(process.StandardInput.BaseStream, input, timeoutSource.Token);
            try
            {
                var output = stdout.GetAwaiter().GetResult();
                process.WaitForExitAsync(timeoutSource.Token).GetAwaiter().GetResult();
                var error = stderr.GetAwaiter().GetResult();
                _ = stdin.GetAwaiter().GetResult();
                // Out of memory, poppler still exits 0 with a 1-pixel image: a page that silently lost its content.
                if (error.Contains("Out of memory", StringComparison.Ordinal))
                {
                    throw new IOException($"{Path.GetFileName(program)} failed: out of memory (limit {memoryMegabytes} MB)");
                }
                if (process.ExitCode != 0 || output.Length == 0)
                {
                    throw new IOException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {error.Trim()}");
                }
                return output;
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw new IOException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s");
            }
            catch (IOException) when (!process.HasExited)
            {
                Kill(process);
                throw;
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }
    }

    /// <summary>Writes the input and closes the pipe; a tool that stops reading early (a broken pipe) is not an error here: its exit code says.</summary>
    private static async Task<bool> WriteAsync(Stream stdin, byte[] input, CancellationToken ct)
    {
        try
        {
            await stdin.WriteAsync(input, ct);
            await stdin.FlushAsync(ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
                // the tool closed its end first
            }
        }
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stdout, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stdout.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxOutput)
            {
                throw new IOException($"the output is larger than {MaxOutput / 1024 / 1024} MB");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
