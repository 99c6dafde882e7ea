using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confide.Core;
using Confide.Core.Requests;

namespace Confide.Web.Features.Requests;

/// <summary>
/// The intake form, in a therapist's words, and its one mapping to the triage contract: the form is
/// written as the contract's request document (<see cref="ToJson"/>) and read by Core's
/// <see cref="RequestParser"/>, so there is one validation path; the parser's errors come back to
/// the form's fields through <see cref="FieldFor"/>. Values are kept as the strings the browser sent
/// (a wire name, a date) so that whatever is wrong with them is reported by the parser, by field.
/// </summary>
public sealed partial class IntakeInput
{
    public const int MaxText = 500;

    // What arrived
    public string? Instrument { get; set; }
    public string? ReceivedOn { get; set; }
    public string? RespondBy { get; set; }

    // From whom
    public string? Requester { get; set; }

    [StringLength(MaxText)]
    public string? RequesterName { get; set; }

    [StringLength(MaxText)]
    public string? RequesterAddress { get; set; }

    // Which proceeding: none when no court system, kind, rule or at-issue flag is given.
    public string? Forum { get; set; }
    public string? Kind { get; set; }
    public string? RuleOfDecision { get; set; }
    public bool MentalConditionAtIssue { get; set; }

    [StringLength(MaxText)]
    public string? Court { get; set; }

    [StringLength(MaxText)]
    public string? CaseNumber { get; set; }

    [StringLength(MaxText)]
    public string? CaseCaption { get; set; }

    // What an order says: written for a court order, or whenever one of these is set (so a
    // contradiction is reported, not silently dropped).
    public bool OrderSignedByJudge { get; set; }
    public bool OrderStatesPurpose { get; set; }
    public bool OrderBestInterestsFinding { get; set; }
    public bool OrderPart2 { get; set; }
    public List<string> OrderCategories { get; set; } = [];

    // What is asked for
    public List<string> Requested { get; set; } = [];
    public bool InTherapy { get; set; } = true;

    // The clinician who holds the records
    public Guid? ClinicianId { get; set; }
    public string? Profession { get; set; }
    public bool Licensed { get; set; } = true;

    // The client and any concerns
    public bool ClientWantsDisclosure { get; set; }
    public bool SuspectedChildAbuse { get; set; }
    public bool SeriousThreat { get; set; }

    // v2: more concerns, the client's age and death, the requester's standing, the purpose
    public bool SuspectedElderAbuse { get; set; }
    public bool SelfHarm { get; set; }
    public bool AccessDetrimental { get; set; }

    [Range(0, 130)]
    public int? ClientAge { get; set; }

    public bool ClientDeceased { get; set; }
    public bool RepresentativeDocumented { get; set; }
    public string? Purpose { get; set; }
    public string? SubpoenaKind { get; set; }

    /// <summary>A written release on file: the authorization facts.</summary>
    public ReleaseFacts Release { get; set; } = new();

    [StringLength(MaxText)]
    public string? Reference { get; set; }

    /// <summary>The version of the request this edit started from (optimistic concurrency); empty for a new request.</summary>
    public Guid Version { get; set; }

    /// <summary>
    /// The contract's request document: the form's facts, the practice's jurisdiction, and the
    /// details filled from the practice, the clinician and the client (<paramref name="filled"/>).
    /// </summary>
    public string ToJson(string jurisdiction, FilledDetails filled)
    {
        ArgumentNullException.ThrowIfNull(filled);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jurisdiction", jurisdiction);
            String(w, "receivedOn", ReceivedOn);
            String(w, "respondBy", RespondBy);
            String(w, "requester", Requester);
            String(w, "instrument", Instrument);
            Categories(w, "requested", Requested, omitEmpty: true);
            if (!InTherapy)
            {
                w.WriteBoolean("inTherapy", false);
            }
            String(w, "purpose", Purpose);
            if (Instrument == Wire<Instrument>.Name(Core.Requests.Instrument.Subpoena))
            {
                String(w, "subpoenaKind", SubpoenaKind);
            }
            if (HasProceeding)
            {
                w.WriteStartObject("proceeding");
                String(w, "forum", Forum);
                String(w, "kind", Kind);
                String(w, "ruleOfDecision", RuleOfDecision);
                Flag(w, "mentalConditionAtIssue", MentalConditionAtIssue);
                w.WriteEndObject();
            }
            if (HasOrder)
            {
                w.WriteStartObject("order");
                w.WriteBoolean("signedByJudge", OrderSignedByJudge);
                w.WriteBoolean("statesPurpose", OrderStatesPurpose);
                w.WriteBoolean("bestInterestsFinding", OrderBestInterestsFinding);
                Categories(w, "categories", OrderCategories, omitEmpty: false);
                w.WriteBoolean("part2", OrderPart2);
                w.WriteEndObject();
            }
            w.WriteStartObject("clinician");
            String(w, "profession", Profession);
            if (!Licensed)
            {
                w.WriteBoolean("licensed", false);
            }
            w.WriteEndObject();
            if (ClientWantsDisclosure || ClientAge is not null || ClientDeceased)
            {
                w.WriteStartObject("client");
                Flag(w, "wantsDisclosure", ClientWantsDisclosure);
                if (ClientAge is { } age)
                {
                    w.WriteNumber("age", age);
                }
                Flag(w, "deceased", ClientDeceased);
                w.WriteEndObject();
            }
            if (Requester is "parent" or "guardian" or "personal-representative" or "child-representative")
            {
                w.WriteStartObject("representative");
                w.WriteBoolean("appointmentDocumented", RepresentativeDocumented);
                w.WriteEndObject();
            }
            Release.Write(w);
            if (SuspectedChildAbuse || SeriousThreat || SuspectedElderAbuse || SelfHarm || AccessDetrimental)
            {
                w.WriteStartObject("concerns");
                Flag(w, "suspectedChildAbuse", SuspectedChildAbuse);
                Flag(w, "seriousThreat", SeriousThreat);
                Flag(w, "suspectedElderAbuse", SuspectedElderAbuse);
                Flag(w, "selfHarm", SelfHarm);
                Flag(w, "accessDetrimental", AccessDetrimental);
                w.WriteEndObject();
            }
            w.WriteStartObject("details");
            String(w, "clientName", filled.ClientName);
            String(w, "clinicianName", filled.ClinicianName);
            String(w, "clinicianLicense", filled.ClinicianLicense);
            String(w, "practiceName", filled.PracticeName);
            String(w, "practiceAddress", filled.PracticeAddress);
            String(w, "requesterName", RequesterName);
            String(w, "requesterAddress", RequesterAddress);
            String(w, "court", Court);
            String(w, "caseNumber", CaseNumber);
            String(w, "caseCaption", CaseCaption);
            String(w, "reference", Reference);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private bool HasProceeding =>
        !string.IsNullOrWhiteSpace(Forum) || !string.IsNullOrWhiteSpace(Kind) || !string.IsNullOrWhiteSpace(RuleOfDecision) || MentalConditionAtIssue;

    private bool HasOrder =>
        Instrument == Wire<Instrument>.Name(Core.Requests.Instrument.CourtOrder)
        || OrderSignedByJudge
        || OrderStatesPurpose
        || OrderBestInterestsFinding
        || OrderPart2
        || OrderCategories.Count > 0;

    /// <summary>The form filled from a stored request (to edit it), with the clinician who answers it.</summary>
    public static IntakeInput From(TriageRequest request, Guid clinicianId, Guid version)
    {
        ArgumentNullException.ThrowIfNull(request);
        var d = request.Details ?? new RequestDetails();
        var input = new IntakeInput
        {
            Instrument = Wire<Instrument>.Name(request.Instrument),
            ReceivedOn = Date(request.ReceivedOn),
            RespondBy = Date(request.RespondBy),
            Requester = request.Requester is { } r ? Wire<Requester>.Name(r) : null,
            RequesterName = d.RequesterName,
            RequesterAddress = d.RequesterAddress,
            Court = d.Court,
            CaseNumber = d.CaseNumber,
            CaseCaption = d.CaseCaption,
            Reference = d.Reference,
            Requested = Names(request.Requested),
            InTherapy = request.InTherapy,
            ClinicianId = clinicianId,
            Profession = Wire<Profession>.Name(request.Clinician.Profession),
            Licensed = request.Clinician.Licensed,
            ClientWantsDisclosure = request.Client?.WantsDisclosure == true,
            SuspectedChildAbuse = request.Concerns?.SuspectedChildAbuse == true,
            SeriousThreat = request.Concerns?.SeriousThreat == true,
            SuspectedElderAbuse = request.Concerns?.SuspectedElderAbuse == true,
            SelfHarm = request.Concerns?.SelfHarm == true,
            AccessDetrimental = request.Concerns?.AccessDetrimental == true,
            ClientAge = request.Client?.Age,
            ClientDeceased = request.Client?.Deceased == true,
            RepresentativeDocumented = request.Representative?.AppointmentDocumented == true,
            Purpose = request.Purpose == Core.Requests.Purpose.Other ? null : Wire<Purpose>.Name(request.Purpose),
            SubpoenaKind = request.Instrument == Core.Requests.Instrument.Subpoena && request.SubpoenaKind != Core.Requests.SubpoenaKind.Records ? Wire<SubpoenaKind>.Name(request.SubpoenaKind) : null,
            Release = ReleaseFacts.From(request.Authorization),
            Version = version,
        };
        if (request.Proceeding is { } p)
        {
            input.Forum = Wire<Forum>.Name(p.Forum);
            input.Kind = Wire<ProceedingKind>.Name(p.Kind);
            input.RuleOfDecision = p.RuleOfDecision == Core.Requests.RuleOfDecision.State ? Wire<RuleOfDecision>.Name(p.RuleOfDecision) : null;
            input.MentalConditionAtIssue = p.MentalConditionAtIssue;
        }
        if (request.Order is { } o)
        {
            input.OrderSignedByJudge = o.SignedByJudge;
            input.OrderStatesPurpose = o.StatesPurpose;
            input.OrderBestInterestsFinding = o.BestInterestsFinding;
            input.OrderCategories = Names(o.Categories);
            input.OrderPart2 = o.Part2;
        }
        return input;
    }

    /// <summary>
    /// The form field a parser error belongs to (a <c>ModelState</c> key) and what to tell the
    /// therapist. Paths are the contract's (<c>$.proceeding.kind</c>, <c>$.requested[2]</c>).
    /// </summary>
    public (string Field, string Message) FieldFor(RequestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var path = IndexSuffix().Replace(error.Path, "");
        return path switch
        {
            "$.instrument" => ("Input.Instrument", "Say what arrived."),
            "$.requester" => ("Input.Requester", "Say who is asking."),
            "$.requested" => ("Input.Requested", "Tick what is asked for (one or more kinds of record)."),
            "$.receivedOn" => ("Input.ReceivedOn", "Enter the date it arrived (YYYY-MM-DD)."),
            "$.respondBy" => ("Input.RespondBy", "Enter the deadline as a date (YYYY-MM-DD), or leave it empty."),
            "$.proceeding" => ("Input.Forum", $"{InstrumentWords()} belongs to a court case or hearing: say which court and what kind of case."),
            "$.proceeding.forum" => ("Input.Forum", "Say which court: a state court or agency, or a federal court."),
            "$.proceeding.kind" => ("Input.Kind", "Say what kind of case it is."),
            "$.proceeding.ruleOfDecision" => ("Input.RuleOfDecision", "State law decides the claims only in a lawsuit (civil case); for this kind of case choose federal law."),
            "$.order" => ("Input.Order", "What an order says applies only to a court order: choose a court order above, or clear these boxes."),
            "$.order.categories" => ("Input.OrderCategories", "Choose from the listed kinds of record."),
            "$.clinician" or "$.clinician.profession" => ("Input.Profession", "Say the clinician's profession."),
            "$.clinician.licensed" => ("Input.Licensed", error.Message),
            "$.authorization.categories" => ("Input.Release.Categories", "Choose from the listed kinds of record."),
            "$.authorization.expiresOn" => ("Input.Release.ExpiresOn", "Enter the date the release expires (YYYY-MM-DD), or leave it empty."),
            "$.client.age" => ("Input.ClientAge", "Enter the client's age today: a parent's or a child's representative's request depends on it."),
            "$.client.deceased" => ("Input.ClientDeceased", "A client who has died cannot ask for their own records: choose who is asking for them (an executor or a family member)."),
            "$.subpoenaKind" => ("Input.SubpoenaKind", "What a subpoena asks applies only to a subpoena: choose a subpoena above, or leave it at producing records."),
            "$.jurisdiction" => ("", "The practice's state is not one the rules know; the practice owner should correct it."),
            _ when path.StartsWith("$.details.", StringComparison.Ordinal) => ("", error.Message),
            _ => ("", error.ToString()),
        };
    }

    private string InstrumentWords() =>
        Wire<Instrument>.TryParse(Instrument, out var i)
            ? i switch
            {
                Core.Requests.Instrument.Subpoena => "A subpoena",
                Core.Requests.Instrument.CourtOrder => "A court order",
                Core.Requests.Instrument.VerbalOrder => "A judge's demand",
                _ => "This request",
            }
            : "This request";

    internal static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static List<string> Names(CategorySet set) => set.ToArray().Select(Core.Requests.Categories.Name).ToList();

    internal static void String(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            w.WriteString(name, value.Trim());
        }
    }

    internal static void Flag(Utf8JsonWriter w, string name, bool value)
    {
        if (value)
        {
            w.WriteBoolean(name, true);
        }
    }

    internal static void Categories(Utf8JsonWriter w, string name, List<string>? values, bool omitEmpty)
    {
        var list = values?.Where(v => !string.IsNullOrWhiteSpace(v)).ToList() ?? [];
        if (list.Count == 0 && omitEmpty)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var v in list)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\d+\]$")]
    private static partial System.Text.RegularExpressions.Regex IndexSuffix();
}

/// <summary>The details filled from the practice, the clinician and the client, never typed into the form.</summary>
public sealed record FilledDetails(string? ClientName, string? ClinicianName, string? ClinicianLicense, string? PracticeName, string? PracticeAddress);
