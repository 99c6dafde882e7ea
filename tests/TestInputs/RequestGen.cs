using Confide.Core.Requests;
using CsCheck;

namespace Confide.TestInputs;

/// <summary>
/// CsCheck generators of VALID requests (every validity rule of <c>spec/triage.md</c> respected),
/// and a writer of the request document format so a generated request can go through the parser,
/// the CLI, or a failure message as an exact repro.
/// </summary>
public static class RequestGen
{
    /// <summary>The date the generated dates cluster around (the tests' fake clock is on it too).</summary>
    public static readonly DateOnly BaseDate = new(2026, 11, 29);

    /// <summary>Jurisdictions with a state profile; every other one gets the baseline.</summary>
    public static readonly string[] Profiled =
    [
        "US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-PA", "US-OH", "US-GA", "US-NC", "US-MI", "US-NJ", "US-VA", "US-WA", "US-AZ", "US-MA",
    ];

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
        from waiver in Rarely
        select new CourtOrder(judge, purpose, bestInterests, categories, part2, waiver);

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
        from signedBy in Gen.Frequency<Signer>((3, Gen.Const(Signer.Client)), (1, Gen.Enum<Signer>()))
        from coSigned in Rarely
        from forProceeding in Gen.Bool
        select new Authorization(signed, recipient, purpose, categories, notes, part2, expires, revoked, understood, signedBy, coSigned, forProceeding);

    private static readonly Gen<Clinician> ClinicianGen =
        from profession in Gen.Enum<Profession>()
        from licensed in Mostly
        from license in Gen.Frequency<LicenseStatus?>((3, Gen.Const(default(LicenseStatus?))), (1, Gen.Enum<LicenseStatus>().Select(l => (LicenseStatus?)l)))
        from believed in Rarely
        select new Clinician(profession, license is { } l ? l == LicenseStatus.Licensed : licensed, license, believed);

    private static readonly Gen<Concerns> ConcernsGen =
        from abuse in Rarely
        from threat in Rarely
        from elder in Rarely
        from impairment in OrNull(Gen.Enum<AdultImpairment>())
        from selfHarm in Rarely
        from endangers in Rarely
        from detrimental in Rarely
        select new Concerns(abuse, threat, elder, impairment, selfHarm, endangers, detrimental);

    private static readonly Gen<ClientInfo> ClientGen =
        from wants in Gen.Bool
        from age in Gen.Frequency<int?>((1, Gen.Const(default(int?))), (3, Gen.Int[0, 40].Select(a => (int?)a)))
        from emancipated in Rarely
        from alone in Rarely
        from agreed in Rarely
        from objects in Rarely
        from deceased in Gen.Frequency((1, true), (6, false))
        from diedYearsAgo in Gen.Int[0, 80]
        select new ClientInfo(wants, age, emancipated, alone, agreed, objects, deceased, deceased ? BaseDate.AddYears(-diedYearsAgo) : null);

    private static readonly Gen<Representative> RepresentativeGen =
        from documented in Mostly
        from authority in Mostly
        from restricted in Rarely
        from current in Gen.Bool
        from litigating in Rarely
        select new Representative(documented, authority, restricted, current, litigating);

    private static readonly Gen<ValueList<Participant>> ParticipantsGen =
        from count in Gen.Int[1, 3]
        from list in (from competent in Mostly from authorized in Gen.Bool from declined in Rarely select new Participant(competent, authorized, declined)).Array[count]
        select new ValueList<Participant>(list);

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
        from client0 in OrNullRef(ClientGen)
        from purposeOf in Gen.Frequency<Purpose>((3, Gen.Const(Purpose.Other)), (1, Gen.Enum<Purpose>()))
        from accessKind in Gen.Enum<AccessKind>()
        from sudArePart2 in OrNull(Gen.Bool)
        from part2Program in Rarely
        from personalNotes in Mostly
        from subpoenaKind in Gen.Enum<SubpoenaKind>()
        from format in Gen.Frequency<TherapyFormat>((3, Gen.Const(TherapyFormat.Individual)), (1, Gen.Enum<TherapyFormat>()))
        from participants in ParticipantsGen
        from representative in OrNullRef(RepresentativeGen)
        from authorization in Gen.Frequency<Authorization?>((1, Gen.Const(default(Authorization?))), (2, AuthorizationGen.Select(a => (Authorization?)a)))
        from concerns in Gen.Frequency<Concerns?>((2, Gen.Const(default(Concerns?))), (1, ConcernsGen.Select(c => (Concerns?)c)))
        from receivedOn in OrNull(NearDate)
        from respondBy in OrNull(NearDate)
        from details in OrNullRef(DetailsGen)
        let representing = requester is Requester.Parent or Requester.Guardian or Requester.PersonalRepresentative or Requester.ChildRepresentative
        let needsAge = requester is Requester.Parent or Requester.ChildRepresentative || authorization?.SignedBy is Signer.Parent or Signer.Guardian
        let client1 = needsAge && client0?.Age is null ? (client0 ?? new ClientInfo(false)) with { Age = 15 } : client0
        let client = requester == Requester.Client && client1?.Deceased == true ? client1 with { Deceased = false, DiedOn = null } : client1
        select new TriageRequest
        {
            Purpose = purposeOf,
            AccessKind = accessKind,
            SudRecordsArePart2 = sudArePart2,
            Part2Program = part2Program,
            NotesArePersonalNotes = personalNotes,
            SubpoenaKind = instrument == Instrument.Subpoena ? subpoenaKind : SubpoenaKind.Records,
            TherapyFormat = format,
            Participants = format == TherapyFormat.Individual ? ValueList<Participant>.Empty : participants,
            Representative = representing ? representative : null,
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

    /// <summary>The request as a request document: Core's writer, the parser's mirror.</summary>
    public static string ToJson(TriageRequest r) => RequestJson.Write(r);
}
