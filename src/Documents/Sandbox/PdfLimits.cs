namespace Confide.Documents.Sandbox;

/// <summary>
/// The caps on reading an outside PDF (configuration section <c>Confide:Pdf</c>; docs/operations.md).
/// The structural caps are checked by <see cref="PdfScanner"/> before any PDF library opens the
/// file; the process caps hold the child process that does the reading (<see cref="PdfChildProcess"/>).
/// </summary>
public sealed record PdfLimits
{
    /// <summary>The configuration section the web app binds this from.</summary>
    public const string Section = "Confide:Pdf";

    /// <summary>Deepest nesting of arrays and dictionaries (and of the page tree). Real files stay under 20.</summary>
    public int MaxNesting { get; init; } = 100;

    /// <summary>Most indirect objects (those inside object streams included).</summary>
    public int MaxObjects { get; init; } = 200_000;

    /// <summary>Most pages, counted through the page tree as a reader expands it (a node listed twice counts twice).</summary>
    public int MaxPages { get; init; } = 5_000;

    /// <summary>Most bytes all compressed streams of the file may inflate to, together.</summary>
    public long MaxDecompressedBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>How long one child process may run (a scan, or a whole packet build) before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The child's memory: its managed heap hard limit, and (where <c>prlimit</c> exists) 4 times that as its address space plus 2 GB.</summary>
    public int MemoryMegabytes { get; init; } = 1024;

    /// <summary>The most bytes read back from a child: its output file (a packet) and, for the largest file it may write, its file size limit.</summary>
    public long MaxOutputBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>Checks that every cap is positive.</summary>
    /// <exception cref="ArgumentException">A cap that is zero or negative, named.</exception>
    public PdfLimits Validated()
    {
        Require(MaxNesting > 0, nameof(MaxNesting));
        Require(MaxObjects > 0, nameof(MaxObjects));
        Require(MaxPages > 0, nameof(MaxPages));
        Require(MaxDecompressedBytes > 0, nameof(MaxDecompressedBytes));
        Require(Timeout > TimeSpan.Zero, nameof(Timeout));
        Require(MemoryMegabytes >= 32, nameof(MemoryMegabytes));
        Require(MaxOutputBytes > 0, nameof(MaxOutputBytes));
        return this;

        static void Require(bool ok, string name)
        {
            if (!ok)
            {
                throw new ArgumentException($"{Section}:{name} must be positive (MemoryMegabytes at least 32)", name);
            }
        }
    }
}
