namespace Confide.Documents.Packets;

/// <summary>
/// What the packet page needs of an uploaded PDF before a build: its pages' sizes (to check the
/// clinician's choices) and a PNG preview of one page (to draw regions on). Both run poppler in a
/// separate process with a time limit, the PDF through a pipe: nothing is written to disk.
/// </summary>
public sealed class PagePreviews(PacketOptions? options = null)
{
    private readonly PacketOptions _options = options ?? new PacketOptions();

    /// <summary>Each page's size as displayed (after /Rotate), in points; the count is the page count.</summary>
    /// <exception cref="PdftoppmNotFoundException">poppler is not installed.</exception>
    /// <exception cref="InvalidDataException">The PDF cannot be read.</exception>
    public IReadOnlyList<PageSize> Sizes(byte[] pdf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        return Tool().Sizes(pdf, cancellationToken);
    }

    /// <summary>The 1-based <paramref name="page"/> as a PNG at <see cref="PacketOptions.PreviewDpi"/> (72: a pixel a point).</summary>
    /// <exception cref="PdftoppmNotFoundException">poppler is not installed.</exception>
    /// <exception cref="IOException">There is no such page, or pdftoppm failed or took too long.</exception>
    /// <exception cref="InvalidDataException">The PDF cannot be read.</exception>
    public byte[] PreviewPng(byte[] pdf, int page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        var tool = Tool();
        // pdftoppm draws the last page for a number beyond it: ask how many there are first
        var count = tool.Sizes(pdf, cancellationToken).Count;
        return page <= count ? tool.Render(pdf, page, _options.PreviewDpi, png: true, cancellationToken) : throw new IOException($"the PDF has {count} pages; there is no page {page}");
    }

    private Rasterizer Tool() => new(Rasterizer.Resolve(_options.PdftoppmPath), _options.RasterTimeout, _options.RasterMemoryMegabytes);
}
