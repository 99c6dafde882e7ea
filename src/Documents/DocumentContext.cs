using Confide.Core.Law;
using Confide.Core.Releases;
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

    /// <summary>A stored release the form is filled from (a client's release), or null for a blank form for a request.</summary>
    public ReleaseContent? Release { get; private init; }

    /// <summary>The signing evidence printed on a signed release.</summary>
    public ReleaseSigning? Signing { get; private init; }

    /// <summary>The request's details, or an empty set when it gave none.</summary>
    public RequestDetails Details => Request.Details ?? Empty;

    private static readonly RequestDetails Empty = new();

    /// <summary>
    /// A context for a client's stored release: the form of its kind filled from the release (the
    /// recipient, purpose, categories, dates and expiry it says), with the signing evidence when signed.
    /// </summary>
    public static DocumentContext ForRelease(ReleaseContent release, string jurisdiction, string? practiceName, string? clinicianLicense, LawLibrary law, DateOnly date, ReleaseSigning? signing)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(law);
        var request = new TriageRequest
        {
            Jurisdiction = jurisdiction,
            Instrument = Instrument.None,
            Requester = Requester.Other,
            Requested = release.Categories,
            Clinician = new Clinician(Profession.Other),
            Details = new RequestDetails
            {
                ClientName = release.ClientName,
                ClinicianName = release.DiscloserName,
                ClinicianLicense = clinicianLicense,
                PracticeName = practiceName,
                PracticeAddress = release.PracticeAddress,
                RequesterName = release.RecipientName,
                RequesterAddress = release.RecipientAddress,
            },
        };
        var (profile, reference) = law.Resolve(jurisdiction);
        var determination = new Determination
        {
            Outcome = Outcome.ObtainAuthorization,
            Disclose = CategorySet.Empty,
            Withheld = CategorySet.Empty,
            Citations = [],
            Reasons = [],
            Steps = [],
            Documents = [],
            RespondBy = null,
            Profile = reference,
            Warnings = [],
        };
        return new DocumentContext(request, determination, law, profile, date) { Release = release, Signing = signing };
    }

    /// <summary>Creates a context, resolving the request's jurisdiction to its profile.</summary>
    public static DocumentContext Create(TriageRequest request, Determination determination, LawLibrary law, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(law);
        return new DocumentContext(request, determination, law, law.Resolve(request.Jurisdiction).Profile, date);
    }
}

/// <summary>The evidence of a client's signature (or revocation) printed on the signed release.</summary>
/// <param name="TypedName">The name the client typed as their signature.</param>
/// <param name="At">When they signed.</param>
/// <param name="IpAddress">The address the signature came from.</param>
/// <param name="UserAgent">The browser that sent it.</param>
/// <param name="TextSha256">SHA-256 (hex) of the exact text shown to the client.</param>
/// <remarks>No revocation link: the signed copy is often forwarded to the recipient, so the link is given to the client apart from it.</remarks>
public sealed record ReleaseSigning(string TypedName, DateTimeOffset At, string IpAddress, string UserAgent, string TextSha256);
