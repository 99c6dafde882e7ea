using System.Text.Json;
using Confide.Core.Requests;

namespace Confide.Web.Features.Requests;

/// <summary>
/// A written release on file, as the contract's <c>authorization</c> facts. The one mapping between
/// a release and the request document: the intake form's section fills it for a release signed on
/// paper, and triage fills it from the client's stored releases (<see cref="RequestService"/>,
/// Core's <c>ReleaseMatcher</c>), which take precedence.
/// </summary>
public sealed class ReleaseFacts
{
    /// <summary>A release is on file (even one that covers nothing: it is still weighed).</summary>
    public bool OnFile { get; set; }

    public bool Signed { get; set; }

    /// <summary>It names this requester.</summary>
    public bool NamesRequester { get; set; }

    /// <summary>It covers this purpose.</summary>
    public bool CoversPurpose { get; set; }

    public List<string> Categories { get; set; } = [];
    public bool SeparateNotesAuthorization { get; set; }
    public bool Part2Consent { get; set; }
    public string? ExpiresOn { get; set; }
    public bool Revoked { get; set; }
    public bool UnderstandingConfirmed { get; set; }

    private bool Given =>
        OnFile
        || Signed
        || NamesRequester
        || CoversPurpose
        || Categories.Count > 0
        || SeparateNotesAuthorization
        || Part2Consent
        || !string.IsNullOrWhiteSpace(ExpiresOn)
        || Revoked
        || UnderstandingConfirmed;

    /// <summary>Writes the <c>authorization</c> object, or nothing when no release is on file.</summary>
    public void Write(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (!Given)
        {
            return;
        }
        w.WriteStartObject("authorization");
        w.WriteBoolean("signed", Signed);
        w.WriteBoolean("recipientCovered", NamesRequester);
        w.WriteBoolean("purposeCovered", CoversPurpose);
        IntakeInput.Categories(w, "categories", Categories, omitEmpty: false);
        w.WriteBoolean("separatePsychotherapyNotesAuthorization", SeparateNotesAuthorization);
        w.WriteBoolean("part2Consent", Part2Consent);
        IntakeInput.String(w, "expiresOn", ExpiresOn);
        w.WriteBoolean("revoked", Revoked);
        w.WriteBoolean("clientUnderstandingConfirmed", UnderstandingConfirmed);
        w.WriteEndObject();
    }

    public static ReleaseFacts From(Authorization? a) =>
        a is null
            ? new ReleaseFacts()
            : new ReleaseFacts
            {
                OnFile = true,
                Signed = a.Signed,
                NamesRequester = a.RecipientCovered,
                CoversPurpose = a.PurposeCovered,
                Categories = IntakeInput.Names(a.Categories),
                SeparateNotesAuthorization = a.SeparatePsychotherapyNotesAuthorization,
                Part2Consent = a.Part2Consent,
                ExpiresOn = IntakeInput.Date(a.ExpiresOn),
                Revoked = a.Revoked,
                UnderstandingConfirmed = a.ClientUnderstandingConfirmed,
            };
}
