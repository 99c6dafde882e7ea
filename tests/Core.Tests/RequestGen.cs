using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confide.Core.Requests;
using CsCheck;

namespace Confide.Core.Tests;

/// <summary>
/// CsCheck generators of VALID requests (every validity rule of <c>spec/triage.md</c> respected),
/// and a writer of the request document format so a generated request can go through the parser,
/// the CLI, or a failure message as an exact repro.
/// </summary>
internal static class RequestGen
{
    /// <summary>The date the generated dates cluster around (the tests' fake clock is on it too).</summary>
    public static readonly DateOnly BaseDate = new(2026, 11, 29);

    /// <summary>Jurisdictions with a state profile; every other one gets the baseline.</summary>
    public static readonly string[] Profiled = ["US-CA", "US-NY", "US-TX", "US-FL", "US-IL"];

    /// <summary>US- and every state's code or DC: everything the contract accepts.</summary>
    public static readonly string[] AllJurisdictions =
    [
        .. new[]
        {
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
            "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
            "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        }.Select(s => "US-" + s),
    ];

    /// <summary>True four times in five: the fields a release or an order needs to be effective.</summary>
    private static readonly Gen<bool> Mostly = Gen.Frequency((4, true), (1, false));

    private static readonly Gen<bool> Rarely = Gen.Frequency((1, true), (4, false));

    private static readonly Gen<CategorySet> AnyCategories = Gen.Int[0, 511].Select(b => new CategorySet((ushort)b));

    private static readonly Gen<CategorySet> SomeCategories = Gen.Int[1, 511].Select(b => new CategorySet((ushort)b));

    /// <summary>Dates within ±45 days of <see cref="BaseDate"/>: releases expire on both sides of it.</summary>
    public static readonly Gen<DateOnly> NearDate = Gen.Int[-45, 45].Select(d => BaseDate.AddDays(d));

    private static readonly Gen<string> Jurisdiction = Gen.Frequency<string>((3, Gen.OneOf(Profiled)), (2, Gen.OneOf(AllJurisdictions)));

    private static readonly Gen<Proceeding> ProceedingGen =
        from forum in Gen.Enum<Forum>()
        from kind in Gen.Enum<ProceedingKind>()
        from stateRule in Gen.Bool
        from atIssue in Rarely
        select new Proceeding(forum, kind, stateRule && kind == ProceedingKind.Civil ? RuleOfDecision.State : RuleOfDecision.Federal, atIssue);

    private static readonly Gen<CourtOrder> OrderGen =
        from judge in Mostly
        from purpose in Gen.Bool
        from bestInterests in Gen.Bool
        from categories in AnyCategories
        from part2 in Gen.Bool
        select new CourtOrder(judge, purpose, bestInterests, categories, part2);

    private static readonly Gen<Authorization> AuthorizationGen =
        from signed in Mostly
        from recipient in Mostly
        from purpose in Mostly
        from categories in AnyCategories
        from notes in Gen.Bool
        from part2 in Gen.Bool
        from expires in OrNull(NearDate)
        from revoked in Rarely
        from understood in Mostly
        select new Authorization(signed, recipient, purpose, categories, notes, part2, expires, revoked, understood);

    private static readonly Gen<Clinician> ClinicianGen =
        from profession in Gen.Enum<Profession>()
        from licensed in Mostly
        select new Clinician(profession, licensed);

    private static readonly Gen<Concerns> ConcernsGen =
        from abuse in Gen.Bool
        from threat in Gen.Bool
        select new Concerns(abuse, threat);

    private static readonly Gen<string> DetailText = Gen.OneOf("Jordan Example", "Dr. Alex Rivera, PhD", "RG26-000000", "Doe v. Roe", "Zoë Ñúñez – 東京", "");

    private static readonly Gen<RequestDetails> DetailsGen =
        from client in OrNullRef(DetailText)
        from clinician in OrNullRef(DetailText)
        from court in OrNullRef(DetailText)
        from caseNumber in OrNullRef(DetailText)
        select new RequestDetails
        {
            ClientName = client,
            ClinicianName = clinician,
            Court = court,
            CaseNumber = caseNumber,
        };

    /// <summary>Valid requests over every jurisdiction, instrument, requester and profession.</summary>
    public static readonly Gen<TriageRequest> Requests =
        from instrument in Gen.Enum<Instrument>()
        from jurisdiction in Jurisdiction
        from requester in instrument == Instrument.Report ? OrNull(Gen.Enum<Requester>()) : Gen.Enum<Requester>().Select(r => (Requester?)r)
        from requested in instrument == Instrument.Report ? Gen.Frequency<CategorySet>((1, Gen.Const(CategorySet.Empty)), (2, SomeCategories)) : SomeCategories
        from proceeding in instrument is Instrument.Subpoena or Instrument.CourtOrder or Instrument.VerbalOrder
            ? ProceedingGen.Select(p => (Proceeding?)p)
            : OrNullRef(ProceedingGen)
        from order in instrument == Instrument.CourtOrder ? OrderGen.Select(o => (CourtOrder?)o) : Gen.Const(default(CourtOrder?))
        from clinician in ClinicianGen
        from inTherapy in Mostly
        from client in OrNullRef(Gen.Bool.Select(b => new ClientWishes(b)))
        from authorization in Gen.Frequency<Authorization?>((1, Gen.Const(default(Authorization?))), (2, AuthorizationGen.Select(a => (Authorization?)a)))
        from concerns in Gen.Frequency<Concerns?>((2, Gen.Const(default(Concerns?))), (1, ConcernsGen.Select(c => (Concerns?)c)))
        from receivedOn in OrNull(NearDate)
        from respondBy in OrNull(NearDate)
        from details in OrNullRef(DetailsGen)
        select new TriageRequest
        {
            Jurisdiction = jurisdiction,
            ReceivedOn = receivedOn,
            RespondBy = respondBy,
            Requester = requester,
            Instrument = instrument,
            Requested = requested,
            InTherapy = inTherapy,
            Proceeding = proceeding,
            Order = order,
            Clinician = clinician,
            Client = client,
            Authorization = authorization,
            Concerns = concerns,
            Details = details,
        };

    /// <summary>A request with the <c>--as-of</c> date it is evaluated on (null: receivedOn, else the clock).</summary>
    public static readonly Gen<(TriageRequest Request, DateOnly? AsOf)> Cases =
        from request in Requests
        from asOf in Gen.Frequency<DateOnly?>((2, Gen.Const(default(DateOnly?))), (1, NearDate.Select(d => (DateOnly?)d)))
        select (request, asOf);

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : struct => Gen.Frequency<T?>((1, Gen.Const(default(T?))), (2, gen.Select(x => (T?)x)));

    private static Gen<T?> OrNullRef<T>(Gen<T> gen)
        where T : class => Gen.Frequency<T?>((1, Gen.Const(default(T?))), (2, gen.Select(x => (T?)x)));

    /// <summary>The request as a request document (single line, camelCase, wire values).</summary>
    public static string ToJson(TriageRequest r)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
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
            if (r.Proceeding is { } p)
            {
                w.WriteStartObject("proceeding");
                w.WriteString("forum", Wire<Forum>.Name(p.Forum));
                w.WriteString("kind", Wire<ProceedingKind>.Name(p.Kind));
                w.WriteString("ruleOfDecision", Wire<RuleOfDecision>.Name(p.RuleOfDecision));
                w.WriteBoolean("mentalConditionAtIssue", p.MentalConditionAtIssue);
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
                w.WriteEndObject();
            }
            w.WriteStartObject("clinician");
            w.WriteString("profession", Wire<Profession>.Name(r.Clinician.Profession));
            w.WriteBoolean("licensed", r.Clinician.Licensed);
            w.WriteEndObject();
            if (r.Client is { } c)
            {
                w.WriteStartObject("client");
                w.WriteBoolean("wantsDisclosure", c.WantsDisclosure);
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
                w.WriteEndObject();
            }
            if (r.Concerns is { } k)
            {
                w.WriteStartObject("concerns");
                w.WriteBoolean("suspectedChildAbuse", k.SuspectedChildAbuse);
                w.WriteBoolean("seriousThreat", k.SeriousThreat);
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
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
