using PdfSharp.Fonts;

namespace Confide.Documents.Pdf;

/// <summary>
/// Serves DejaVu Serif from this assembly's resources, so PDFs render the same on every machine
/// with no system font (PDFsharp has no font source of its own on Linux). Installed once per
/// process; PDFsharp embeds the faces it uses in each PDF.
/// </summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    /// <summary>The family name documents ask for.</summary>
    public const string Family = "Confide Serif";

    private static readonly Lock Gate = new();
    private static readonly EmbeddedFonts Instance = new();
    private static bool _installed;

    private readonly Dictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver as PDFsharp's, once.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (GlobalFontSettings.FontResolver is not EmbeddedFonts)
            {
                throw new InvalidOperationException("another PDFsharp font resolver is already installed in this process");
            }
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (!string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var face = (bold, italic) switch
        {
            (true, true) => "DejaVuSerif-BoldItalic",
            (true, false) => "DejaVuSerif-Bold",
            (false, true) => "DejaVuSerif-Italic",
            (false, false) => "DejaVuSerif",
        };
        return new FontResolverInfo(face);
    }

    public byte[]? GetFont(string faceName)
    {
        lock (_faces)
        {
            if (_faces.TryGetValue(faceName, out var bytes))
            {
                return bytes;
            }
            using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"Confide.Documents.Fonts.{faceName}.ttf");
            if (stream is null)
            {
                return null;
            }
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
            _faces[faceName] = bytes;
            return bytes;
        }
    }
}
