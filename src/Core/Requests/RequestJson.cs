using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Confide.Core.Requests;

/// <summary>
/// Writes a <see cref="TriageRequest"/> as a request document (<c>spec/triage.md</c>): the mirror of
/// <see cref="RequestParser"/>, so that parsing what it writes gives back an equal request. Optional
/// fields are written only when they differ from what the parser would assume, except the v1 booleans,
/// which are always written.
/// </summary>
public static class RequestJson
{
    /// <summary>The request as a single-line JSON document.</summary>
    public static string Write(TriageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, request);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <paramref name="r"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, TriageRequest r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteString("jurisdiction", r.Jurisdiction);
        WriteDate(w, "receivedOn", r.ReceivedOn, writeNull: false);
        WriteDate(w, "respondBy", r.RespondBy, writeNull: false);
        if (r.Requester is { } requester)
        {
            w.WriteString("requester", Wire<Requester>.Name(requester));
        }
        w.WriteString("instrument", Wire<Instrument>.Name(r.Instrument));
        if (!r.Requested.IsEmpty)
        {
            WriteCategories(w, "requested", r.Requested);
        }
        w.WriteBoolean("inTherapy", r.InTherapy);
        if (r.Purpose != Purpose.Other)
        {
            w.WriteString("purpose", Wire<Purpose>.Name(r.Purpose));
        }
        if (r.AccessKind != AccessKind.Copy)
        {
            w.WriteString("accessKind", Wire<AccessKind>.Name(r.AccessKind));
        }
        if (r.SudRecordsArePart2 is { } part2)
        {
            w.WriteBoolean("sudRecordsArePart2", part2);
        }
        if (r.Part2Program)
        {
            w.WriteBoolean("part2Program", true);
        }
        if (!r.NotesArePersonalNotes)
        {
            w.WriteBoolean("notesArePersonalNotes", false);
        }
        if (r.Instrument == Instrument.Subpoena && r.SubpoenaKind != SubpoenaKind.Records)
        {
            w.WriteString("subpoenaKind", Wire<SubpoenaKind>.Name(r.SubpoenaKind));
        }
        if (r.TherapyFormat != TherapyFormat.Individual)
        {
            w.WriteString("therapyFormat", Wire<TherapyFormat>.Name(r.TherapyFormat));
            w.WriteStartArray("participants");
            foreach (var p in r.Participants)
            {
                w.WriteStartObject();
                w.WriteBoolean("competent", p.Competent);
                w.WriteBoolean("authorized", p.Authorized);
                w.WriteBoolean("declined", p.Declined);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (r.Proceeding is { } proceeding)
        {
            w.WriteStartObject("proceeding");
            w.WriteString("forum", Wire<Forum>.Name(proceeding.Forum));
            w.WriteString("kind", Wire<ProceedingKind>.Name(proceeding.Kind));
            w.WriteString("ruleOfDecision", Wire<RuleOfDecision>.Name(proceeding.RuleOfDecision));
            w.WriteBoolean("mentalConditionAtIssue", proceeding.MentalConditionAtIssue);
            w.WriteEndObject();
        }
        if (r.Order is { } o)
        {
            w.WriteStartObject("order");
            w.WriteBoolean("signedByJudge", o.SignedByJudge);
            w.WriteBoolean("statesPurpose", o.StatesPurpose);
            w.WriteBoolean("bestInterestsFinding", o.BestInterestsFinding);
            WriteCategories(w, "categories", o.Categories);
            w.WriteBoolean("part2", o.Part2);
            if (o.WaiverFinding)
            {
                w.WriteBoolean("waiverFinding", true);
            }
            w.WriteEndObject();
        }
        w.WriteStartObject("clinician");
        w.WriteString("profession", Wire<Profession>.Name(r.Clinician.Profession));
        w.WriteBoolean("licensed", r.Clinician.Licensed);
        if (r.Clinician.License is { } license)
        {
            w.WriteString("licenseStatus", Wire<LicenseStatus>.Name(license));
        }
        if (r.Clinician.BelievedLicensed)
        {
            w.WriteBoolean("believedLicensed", true);
        }
        w.WriteEndObject();
        if (r.Client is { } c)
        {
            w.WriteStartObject("client");
            w.WriteBoolean("wantsDisclosure", c.WantsDisclosure);
            if (c.Age is { } age)
            {
                w.WriteNumber("age", age);
            }
            WriteTrue(w, "emancipated", c.Emancipated);
            WriteTrue(w, "minorConsentedAlone", c.MinorConsentedAlone);
            WriteTrue(w, "parentAgreedConfidentiality", c.ParentAgreedConfidentiality);
            WriteTrue(w, "objectsToParentAccess", c.ObjectsToParentAccess);
            WriteTrue(w, "deceased", c.Deceased);
            WriteDate(w, "diedOn", c.DiedOn, writeNull: false);
            w.WriteEndObject();
        }
        if (r.Representative is { } rep)
        {
            w.WriteStartObject("representative");
            w.WriteBoolean("appointmentDocumented", rep.AppointmentDocumented);
            w.WriteBoolean("decisionAuthority", rep.DecisionAuthority);
            w.WriteBoolean("accessRestrictedByOrder", rep.AccessRestrictedByOrder);
            w.WriteBoolean("currentAuthority", rep.CurrentAuthority);
            w.WriteBoolean("litigating", rep.Litigating);
            w.WriteEndObject();
        }
        if (r.Authorization is { } a)
        {
            w.WriteStartObject("authorization");
            w.WriteBoolean("signed", a.Signed);
            w.WriteBoolean("recipientCovered", a.RecipientCovered);
            w.WriteBoolean("purposeCovered", a.PurposeCovered);
            WriteCategories(w, "categories", a.Categories);
            w.WriteBoolean("separatePsychotherapyNotesAuthorization", a.SeparatePsychotherapyNotesAuthorization);
            w.WriteBoolean("part2Consent", a.Part2Consent);
            WriteDate(w, "expiresOn", a.ExpiresOn, writeNull: true);
            w.WriteBoolean("revoked", a.Revoked);
            w.WriteBoolean("clientUnderstandingConfirmed", a.ClientUnderstandingConfirmed);
            if (a.SignedBy != Signer.Client)
            {
                w.WriteString("signedBy", Wire<Signer>.Name(a.SignedBy));
            }
            WriteTrue(w, "minorCoSigned", a.MinorCoSigned);
            WriteTrue(w, "part2ForProceeding", a.Part2ForProceeding);
            w.WriteEndObject();
        }
        if (r.Concerns is { } k)
        {
            w.WriteStartObject("concerns");
            w.WriteBoolean("suspectedChildAbuse", k.SuspectedChildAbuse);
            w.WriteBoolean("seriousThreat", k.SeriousThreat);
            WriteTrue(w, "suspectedElderAbuse", k.SuspectedElderAbuse);
            if (k.AdultImpairment is { } impairment)
            {
                w.WriteString("adultImpairment", Wire<AdultImpairment>.Name(impairment));
            }
            WriteTrue(w, "selfHarm", k.SelfHarm);
            WriteTrue(w, "representativeEndangers", k.RepresentativeEndangers);
            WriteTrue(w, "accessDetrimental", k.AccessDetrimental);
            w.WriteEndObject();
        }
        if (r.Details is { } d)
        {
            w.WriteStartObject("details");
            WriteString(w, "clientName", d.ClientName);
            WriteString(w, "clinicianName", d.ClinicianName);
            WriteString(w, "clinicianLicense", d.ClinicianLicense);
            WriteString(w, "practiceName", d.PracticeName);
            WriteString(w, "practiceAddress", d.PracticeAddress);
            WriteString(w, "requesterName", d.RequesterName);
            WriteString(w, "requesterAddress", d.RequesterAddress);
            WriteString(w, "court", d.Court);
            WriteString(w, "caseNumber", d.CaseNumber);
            WriteString(w, "caseCaption", d.CaseCaption);
            WriteString(w, "reference", d.Reference);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTrue(Utf8JsonWriter w, string name, bool value)
    {
        if (value)
        {
            w.WriteBoolean(name, true);
        }
    }

    private static void WriteCategories(Utf8JsonWriter w, string name, CategorySet set)
    {
        w.WriteStartArray(name);
        foreach (var c in set.ToArray())
        {
            w.WriteStringValue(Categories.Name(c));
        }
        w.WriteEndArray();
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? date, bool writeNull)
    {
        if (date is { } d)
        {
            w.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else if (writeNull)
        {
            w.WriteNull(name);
        }
    }

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
