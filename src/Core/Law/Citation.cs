namespace Confide.Core.Law;

/// <summary>How far a citation was confirmed against its source (see <c>docs/law.md</c>).</summary>
public enum VerificationStatus
{
    /// <summary>Verified from the text or a faithful quotation.</summary>
    V,

    /// <summary>Partly verified: number or title confirmed, wording or currency not.</summary>
    P,

    /// <summary>Not confirmed. Never presented as settled: determinations that rely on it warn.</summary>
    Unverified,
}

/// <summary>One entry of the citation catalog.</summary>
/// <param name="Id">Stable id, e.g. <c>ca-evid-1014</c>.</param>
/// <param name="Text">The full citation.</param>
/// <param name="Summary">One line, in the project's own words.</param>
/// <param name="Status">Verification status.</param>
/// <param name="StatusNote">What is and is not verified.</param>
/// <param name="Jurisdiction"><c>US</c> for federal law and ethics codes, else <c>US-xx</c>.</param>
/// <param name="AppliesTo">Where and when it applies.</param>
public sealed record Citation(
    string Id,
    string Text,
    string Summary,
    VerificationStatus Status,
    string StatusNote,
    string Jurisdiction,
    string AppliesTo
)
{
    /// <summary>The status as the catalog writes it: <c>V</c>, <c>P</c> or <c>UNVERIFIED</c>.</summary>
    public string StatusCode =>
        Status switch
        {
            VerificationStatus.V => "V",
            VerificationStatus.P => "P",
            VerificationStatus.Unverified => "UNVERIFIED",
        };

    /// <summary>The status in words for a person.</summary>
    public string StatusLabel =>
        Status switch
        {
            VerificationStatus.V => "verified",
            VerificationStatus.P => "partly verified",
            VerificationStatus.Unverified => "UNVERIFIED",
        };
}

/// <summary>The citation catalog: every id a determination can cite. Immutable and thread-safe.</summary>
public sealed class CitationCatalog
{
    private readonly Dictionary<string, Citation> _byId;

    internal CitationCatalog(IEnumerable<Citation> citations)
    {
        All = citations.ToArray();
        _byId = new Dictionary<string, Citation>(StringComparer.Ordinal);
        foreach (var c in All)
        {
            if (!_byId.TryAdd(c.Id, c))
            {
                throw new InvalidDataException($"citations.json: duplicate citation id '{c.Id}'");
            }
        }
    }

    /// <summary>Every citation, in catalog order.</summary>
    public IReadOnlyList<Citation> All { get; }

    /// <summary>The citation with <paramref name="id"/>, or null.</summary>
    public Citation? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The citation with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">The id is not in the catalog.</exception>
    public Citation Get(string id) =>
        _byId.TryGetValue(id, out var c) ? c : throw new KeyNotFoundException($"citation id '{id}' is not in the catalog");
}
