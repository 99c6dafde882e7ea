using System.Text;

namespace Confide.Documents.Packets;

/// <summary>The paths a packet was written to.</summary>
public sealed record PacketPaths(string Pdf, string ManifestJson, string ManifestText);

/// <summary>Writes a packet and its manifest (JSON and text) beside each other, all or nothing.</summary>
public static class PacketFiles
{
    /// <summary>The manifest paths for a packet path: <c>NAME.pdf</c> gives <c>NAME.manifest.json</c> and <c>NAME.manifest.txt</c>.</summary>
    public static PacketPaths PathsFor(string pdfPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pdfPath);
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pdfPath)) ?? ".", Path.GetFileNameWithoutExtension(pdfPath));
        return new PacketPaths(Path.GetFullPath(pdfPath), stem + ".manifest.json", stem + ".manifest.txt");
    }

    /// <summary>
    /// Builds the packet into a temporary file beside <paramref name="pdfPath"/> (streamed, hashed
    /// on the way), writes the manifest files the same way, flushes all three to disk, then renames
    /// them into place. On any failure (an invalid request, pdftoppm missing, a full disk,
    /// cancellation) every temporary file, and any file this call already renamed into place, is
    /// deleted and the exception propagates: no partial packet or stray manifest is left. Record
    /// <see cref="PacketResult.Disclosure"/> after this returns.
    /// </summary>
    public static (PacketResult Result, PacketPaths Paths) Write(
        PacketBuilder builder,
        PacketRequest request,
        string pdfPath,
        IProgress<PacketProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(request);
        var paths = PathsFor(pdfPath);
        var directory = Path.GetDirectoryName(paths.Pdf)!;
        Directory.CreateDirectory(directory);
        var pending = new List<(string Temp, string Final)>(3);
        var placed = new List<string>(3);
        string Temp(string final)
        {
            var temp = Path.Combine(directory, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
            pending.Add((temp, final));
            return temp;
        }
        try
        {
            PacketResult result;
            using (var file = new FileStream(Temp(paths.Pdf), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = builder.Build(request, file, progress, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            WriteAll(Temp(paths.ManifestJson), result.Manifest.ToJson());
            WriteAll(Temp(paths.ManifestText), Encoding.UTF8.GetBytes(result.Manifest.ToText()));
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (temp, final) in pending)
            {
                File.Move(temp, final, overwrite: true);
                placed.Add(final);
            }
            return (result, paths);
        }
        catch
        {
            foreach (var path in pending.Select(p => p.Temp).Concat(placed))
            {
                TryDelete(path);
            }
            throw;
        }
    }

    private static void WriteAll(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
    }
}
