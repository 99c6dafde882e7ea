using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Confide.Documents.Packets;

/// <summary>
/// Turns one PDF page into a JPEG with poppler's pdftoppm (a separate process). JPEG rather than
/// PNG: pdftoppm writes it about 9 times faster and PDFsharp embeds it as it is (DCTDecode) instead
/// of decoding and re-compressing it.
/// </summary>
internal sealed class Rasterizer(string executable, int dpi, TimeSpan timeout)
{
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

    /// <summary>Renders page 1 of <paramref name="pdfPath"/> to JPEG bytes (quality 90) at the configured resolution.</summary>
    public byte[] RenderFirstPage(string pdfPath, string scratchBase, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-jpeg", "-jpegopt", "quality=90", "-singlefile", pdfPath, scratchBase })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PdftoppmNotFoundException(executable);
        }
        catch (Win32Exception ex)
        {
            throw new PdftoppmNotFoundException(executable, ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                process.WaitForExitAsync(timeoutSource.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new IOException($"pdftoppm did not finish within {timeout.TotalSeconds:0} s");
            }
            var error = stderr.GetAwaiter().GetResult();
            _ = stdout.GetAwaiter().GetResult();
            var image = scratchBase + ".jpg";
            if (process.ExitCode != 0 || !File.Exists(image))
            {
                throw new IOException($"pdftoppm failed (exit {process.ExitCode}): {error.Trim()}");
            }
            try
            {
                return File.ReadAllBytes(image);
            }
            finally
            {
                File.Delete(image);
            }
        }
    }
}
