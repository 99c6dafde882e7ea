using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents.Packets;

/// <summary>Progress of a build: <see cref="Percent"/> rises monotonically to exactly 100.</summary>
/// <param name="Percent">0 to 100.</param>
/// <param name="Pages">Pages made so far.</param>
/// <param name="Stage">What is happening, in a few words ("item 3 of 40", "saving", "done").</param>
public sealed record PacketProgress(double Percent, int Pages, string Stage);

/// <summary>The outcome of a build.</summary>
/// <param name="Sha256">The SHA-256 of the bytes written, lower-case hex.</param>
/// <param name="PageCount">Pages in the packet, cover sheet included.</param>
/// <param name="BatesFirst">The cover sheet's Bates number.</param>
/// <param name="BatesLast">The last page's Bates number.</param>
/// <param name="Manifest">The manifest (write it beside the packet, never inside).</param>
/// <param name="Disclosure">What to record in the accounting of disclosures.</param>
public sealed record PacketResult(string Sha256, int PageCount, string BatesFirst, string BatesLast, PacketManifest Manifest, DisclosureRecord Disclosure);

/// <summary>
/// One entry of the accounting of disclosures: who disclosed what to whom, when, on what basis, and
/// the hash of the file sent. The builder only produces it: the caller stores it (with its audit
/// entry) once the packet file is in place.
/// </summary>
public sealed record DisclosureRecord(
    string DisclosedBy,
    string Recipient,
    DateOnly DisclosedOn,
    Outcome Basis,
    string BasisText,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<string> ItemIds,
    string Sha256,
    int PageCount,
    string BatesFirst,
    string BatesLast
);

/// <summary>Thrown when blacked-out pages or previews need poppler's pdftoppm and it cannot be run.</summary>
public sealed class PdftoppmNotFoundException(string path, Exception? inner = null)
    : InvalidOperationException(
        $"pdftoppm (from poppler-utils, e.g. `apt-get install poppler-utils`) is needed to black out regions of PDF pages and to preview them but was not found at '{path}'; install it or set PacketOptions.PdftoppmPath.",
        inner
    )
{
    /// <summary>The path or name that was tried.</summary>
    public string PdftoppmPath { get; } = path;
}
