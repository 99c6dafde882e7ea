using System.Diagnostics;
using System.Globalization;

namespace Confide.TestKit;

/// <summary>
/// A PDF's pages rendered by poppler's pdftoppm (colour, PPM) and read back as pixels, so a test can
/// look at what a person sees on a page, not only at the text a program extracts.
/// </summary>
public sealed class PagePixels
{
    private PagePixels(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    private readonly byte[] _rgb;

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public (byte R, byte G, byte B) At(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (_rgb[i], _rgb[i + 1], _rgb[i + 2]);
    }

    /// <summary>Every pixel of a rectangle (clipped to the page).</summary>
    public IEnumerable<(int X, int Y, (byte R, byte G, byte B) Rgb)> In(int x, int y, int width, int height)
    {
        for (var row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
        {
            for (var col = Math.Max(0, x); col < Math.Min(Width, x + width); col++)
            {
                yield return (col, row, At(col, row));
            }
        }
    }

    /// <summary>Pixels of the rectangle that are not black (any channel above <paramref name="tolerance"/>).</summary>
    public int NotBlack(int x, int y, int width, int height, int tolerance = 40) => In(x, y, width, height).Count(p => Math.Max(p.Rgb.R, Math.Max(p.Rgb.G, p.Rgb.B)) > tolerance);

    /// <summary>Pixels of the whole page close to <paramref name="color"/> (each channel within <paramref name="tolerance"/>).</summary>
    public int Near((byte R, byte G, byte B) color, int tolerance = 60) => Near(0, 0, Width, Height, color, tolerance);

    /// <summary>Pixels of the rectangle close to <paramref name="color"/>.</summary>
    public int Near(int x, int y, int width, int height, (byte R, byte G, byte B) color, int tolerance = 60) =>
        In(x, y, width, height).Count(p => Math.Abs(p.Rgb.R - color.R) <= tolerance && Math.Abs(p.Rgb.G - color.G) <= tolerance && Math.Abs(p.Rgb.B - color.B) <= tolerance);

    /// <summary>Every page of <paramref name="pdf"/> at <paramref name="dpi"/> (72: a pixel a point).</summary>
    public static IReadOnlyList<PagePixels> Render(byte[] pdf, int dpi = 72)
    {
        using var dir = new TempDir();
        var input = dir.Write("in.pdf", pdf);
        var start = new ProcessStartInfo("pdftoppm") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-r", dpi.ToString(CultureInfo.InvariantCulture), input, Path.Combine(dir.Path, "page") })
        {
            start.ArgumentList.Add(arg);
        }
        using (var process = Process.Start(start)!)
        {
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("pdftoppm took more than 2 minutes");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pdftoppm failed (exit {process.ExitCode}): {error}");
            }
        }
        // page-1.ppm ... page-N.ppm, zero-padded to the width of N: the numeric order is the page order
        return [.. Directory.GetFiles(dir.Path, "page-*.ppm").OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)[5..], CultureInfo.InvariantCulture)).Select(f => Read(File.ReadAllBytes(f)))];
    }

    /// <summary>A binary PPM (P6, 8-bit).</summary>
    public static PagePixels Read(byte[] file)
    {
        var fields = new List<string>();
        var i = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)file[i]))
            {
                i++;
            }
            var start = i;
            while (!char.IsWhiteSpace((char)file[i]))
            {
                i++;
            }
            fields.Add(System.Text.Encoding.ASCII.GetString(file, start, i - start));
        }
        if (fields[0] != "P6" || fields[3] != "255")
        {
            throw new InvalidDataException($"not an 8-bit binary PPM: {fields[0]} {fields[3]}");
        }
        var width = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var height = int.Parse(fields[2], CultureInfo.InvariantCulture);
        return new PagePixels(width, height, file[(i + 1)..(i + 1 + width * height * 3)]);
    }
}
