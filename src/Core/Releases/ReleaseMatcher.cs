using Confide.Core.Disclosure;
using System.Text;
using Confide.Core.Requests;

namespace Confide.Core.Releases;

/// <summary>A stored release and its state, as the matcher weighs it.</summary>
/// <param name="Id">The release's id (stable: disclosures refer to it).</param>
/// <param name="Content">What it says.</param>
/// <param name="SignedOn">The day the client signed; null while unsigned.</param>
/// <param name="UnderstandingConfirmed">The client passed the understanding check before signing.</param>
/// <param name="RevokedOn">The day the client revoked it; null when not revoked.</param>
/// <param name="TextIntact">The text stored as shown to the client still has the hash recorded at signing.</param>
public sealed record ReleaseState(Guid Id, ReleaseContent Content, DateOnly? SignedOn, bool UnderstandingConfirmed, DateOnly? RevokedOn, bool TextIntact);

/// <summary>Why a release was or was not used for a request.</summary>
public enum ReleaseVerdict
{
    /// <summary>The release covers the request and was used.</summary>
    Used,

    /// <summary>Not signed yet.</summary>
    NotSigned,

    /// <summary>Revoked by the client.</summary>
    Revoked,

    /// <summary>Past its expiry date or event.</summary>
    Expired,

    /// <summary>Its text no longer matches what was signed.</summary>
    TextAltered,

    /// <summary>It names another recipient.</summary>
    OtherRecipient,

    /// <summary>It is for another purpose.</summary>
    OtherPurpose,

    /// <summary>It covers none of the records asked for.</summary>
    CoversNothingAsked,

    /// <summary>Another release covering more was chosen.</summary>
    NarrowerThanChosen,
}

/// <summary>One release weighed for a request.</summary>
public sealed record ReleaseConsidered(Guid Id, ReleaseKind Kind, ReleaseVerdict Verdict);

/// <summary>The matcher's answer: the contract's <c>authorization</c> (null when no release applies), the releases used, and why each other one was not.</summary>
public sealed record ReleaseMatch(Authorization? Authorization, IReadOnlyList<Guid> Used, IReadOnlyList<ReleaseConsidered> Considered, DateRange? RecordsLimit)
{
    /// <summary>No release applies and none was weighed.</summary>
    public static ReleaseMatch None { get; } = new(null, [], [], null);
}

/// <summary>
/// Chooses the client's releases that cover a request: valid on the evaluation date (signed,
/// understanding confirmed, not revoked, not expired, its shown text intact), naming this
/// requester, for this purpose, releasing something asked for. Of each kind (general,
/// psychotherapy notes, SUD: always separate releases) the one with the widest scope is used
/// (most requested categories, then no date limit, then the latest expiry); together they become
/// the contract's <c>authorization</c>: their categories, the separate psychotherapy notes
/// authorization when a notes release is used, Part 2 consent when an SUD consent is. Pure.
/// </summary>
public static class ReleaseMatcher
{
    /// <summary>The releases of <paramref name="releases"/> that cover <paramref name="request"/> on <paramref name="on"/> (the practice's day), combined into the contract's authorization, with each other release's verdict.</summary>
    public static ReleaseMatch Match(TriageRequest request, IEnumerable<ReleaseState> releases, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(releases);
        var recipient = Normalize(request.Details?.RequesterName);
        var purpose = PurposeOf(request);
        var considered = new List<ReleaseConsidered>();
        var candidates = new List<ReleaseState>();
        foreach (var r in releases)
        {
            var verdict = Judge(r, request, recipient, purpose, on);
            if (verdict is null)
            {
                candidates.Add(r);
            }
            else
            {
                considered.Add(new ReleaseConsidered(r.Id, r.Content.Kind, verdict.Value));
            }
        }
        var chosen = candidates
            .GroupBy(r => r.Content.Kind)
            .Select(g => g.OrderByDescending(r => r.Content.Categories.Intersect(request.Requested).Count)
                .ThenBy(r => r.Content.Records is null ? 0 : 1)
                .ThenByDescending(r => r.Content.ExpiresOn ?? DateOnly.MaxValue)
                .ThenByDescending(r => r.SignedOn)
                .ThenBy(r => r.Id)
                .First())
            .OrderBy(r => r.Content.Kind)
            .ToList();
        foreach (var r in candidates)
        {
            considered.Add(new ReleaseConsidered(r.Id, r.Content.Kind, chosen.Contains(r) ? ReleaseVerdict.Used : ReleaseVerdict.NarrowerThanChosen));
        }
        if (chosen.Count == 0)
        {
            return new ReleaseMatch(null, [], considered, null);
        }
        var categories = CategorySet.Empty;
        foreach (var r in chosen)
        {
            categories = new CategorySet((ushort)(categories.Bits | r.Content.Categories.Bits));
        }
        var expiries = chosen.Where(r => r.Content.ExpiresOn is not null).Select(r => r.Content.ExpiresOn!.Value).ToList();
        var authorization = new Authorization(
            Signed: true,
            RecipientCovered: true,
            PurposeCovered: true,
            Categories: categories,
            SeparatePsychotherapyNotesAuthorization: chosen.Any(r => r.Content.Kind == ReleaseKind.PsychotherapyNotes),
            Part2Consent: chosen.Any(r => r.Content.Kind == ReleaseKind.Sud),
            ExpiresOn: expiries.Count == 0 ? null : expiries.Min(),
            Revoked: false,
            ClientUnderstandingConfirmed: chosen.All(r => r.UnderstandingConfirmed)
        );
        return new ReleaseMatch(authorization, chosen.Select(r => r.Id).ToArray(), considered, Narrowest(chosen.Select(r => r.Content.Records)));
    }

    /// <summary>Whether a release is valid on <paramref name="on"/> (signed, confirmed, not revoked, not expired, text intact), whatever it covers.</summary>
    public static bool IsValid(ReleaseState release, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Validity(release, on) is null;
    }

    /// <summary>Why a release is not valid on <paramref name="on"/> (not signed, text altered, revoked, expired), or null when it is: the same rule triage uses, for the checks made again when records leave.</summary>
    public static ReleaseVerdict? InvalidBecause(ReleaseState release, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Validity(release, on);
    }

    /// <summary>The purpose a request serves: a proceeding's, an insurer's (payment), a provider's (treatment), or another.</summary>
    public static ReleasePurpose PurposeOf(TriageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Proceeding is not null ? ReleasePurpose.LegalProceeding
            : request.Requester switch
            {
                Requester.Insurer => ReleasePurpose.Payment,
                Requester.Provider => ReleasePurpose.Treatment,
                _ => ReleasePurpose.Other,
            };
    }

    /// <summary>A name compared without case, punctuation or extra spaces ("Dana Reyes, Esq." = "dana reyes esq").</summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        var sb = new StringBuilder(name.Length);
        var space = false;
        foreach (var ch in name.Trim())
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return sb.ToString();
    }

    private static ReleaseVerdict? Validity(ReleaseState r, DateOnly on) =>
        r.SignedOn is null || !r.UnderstandingConfirmed ? ReleaseVerdict.NotSigned
        : !r.TextIntact ? ReleaseVerdict.TextAltered
        : r.RevokedOn is { } revoked && revoked <= on ? ReleaseVerdict.Revoked
        : r.Content.ExpiresOn is { } expires && on > expires ? ReleaseVerdict.Expired
        : null;

    private static ReleaseVerdict? Judge(ReleaseState r, TriageRequest request, string recipient, ReleasePurpose purpose, DateOnly on) =>
        Validity(r, on)
        ?? (recipient.Length == 0 || Normalize(r.Content.RecipientName) != recipient ? ReleaseVerdict.OtherRecipient
            : r.Content.Purpose is not { } p || (p != ReleasePurpose.AtClientRequest && p != purpose) ? ReleaseVerdict.OtherPurpose
            : r.Content.Categories.Intersect(request.Requested).Intersect(ReleaseContent.Allowed(r.Content.Kind)).IsEmpty ? ReleaseVerdict.CoversNothingAsked
            : null);

    /// <summary>The records dates every used release allows (the intersection), or null when none limits them.</summary>
    private static DateRange? Narrowest(IEnumerable<DateRange?> ranges)
    {
        DateOnly? from = null;
        DateOnly? through = null;
        var any = false;
        foreach (var range in ranges)
        {
            if (range is not { } r)
            {
                continue;
            }
            any = true;
            if (r.From is { } f && (from is null || f > from))
            {
                from = f;
            }
            if (r.Through is { } t && (through is null || t < through))
            {
                through = t;
            }
        }
        return any ? new DateRange(from, through) : null;
    }

    /// <summary>One line naming a release's basis: "general release to Dana Reyes (legal proceeding), signed November 29, 2026, through May 30, 2027".</summary>
    public static string Describe(ReleaseContent content, DateOnly? signedOn)
    {
        ArgumentNullException.ThrowIfNull(content);
        var signed = signedOn is { } s ? $", signed {Vocabulary.Date(s)}" : ", not signed";
        var purpose = content.Purpose is { } p ? $" ({ReleaseWords.Purpose(p)})" : "";
        return $"{ReleaseWords.Kind(content.Kind)} to {content.RecipientName?.Trim()}{purpose} of {ReleaseWords.CategoryList(content.Categories)}{signed}, {ReleaseWords.Until(content)}";
    }
}
