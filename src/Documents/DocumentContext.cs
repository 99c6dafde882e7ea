using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents;

/// <summary>Everything a document is filled from: the request (with its details), the determination, the law it was made under and the date.</summary>
public sealed class DocumentContext
{
    private DocumentContext(TriageRequest request, Determination determination, LawLibrary law, JurisdictionProfile profile, DateOnly date)
    {
        Request = request;
        Determination = determination;
        Law = law;
        Profile = profile;
        Date = date;
    }

    /// <summary>The request; its <see cref="TriageRequest.Details"/> fill names, addresses and the case.</summary>
    public TriageRequest Request { get; }

    /// <summary>The determination the documents carry out.</summary>
    public Determination Determination { get; }

    /// <summary>The law library: citation texts and statuses.</summary>
    public LawLibrary Law { get; }

    /// <summary>The profile the determination was made under.</summary>
    public JurisdictionProfile Profile { get; }

    /// <summary>The evaluation date: the documents' date.</summary>
    public DateOnly Date { get; }

    /// <summary>The request's details, or an empty set when it gave none.</summary>
    public RequestDetails Details => Request.Details ?? Empty;

    private static readonly RequestDetails Empty = new();

    /// <summary>Creates a context, resolving the request's jurisdiction to its profile.</summary>
    public static DocumentContext Create(TriageRequest request, Determination determination, LawLibrary law, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(law);
        return new DocumentContext(request, determination, law, law.Resolve(request.Jurisdiction).Profile, date);
    }
}
