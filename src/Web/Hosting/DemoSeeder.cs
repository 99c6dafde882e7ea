using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Hosting;

/// <summary>
/// <c>--demo</c>: seeds a fictional practice once (a second run adds nothing) and prints the demo
/// accounts' sign-in details, TOTP secrets included, to the console only, never to a log. Every
/// person and note here is invented. The secrets are fixed so the printout stays true on every run.
/// </summary>
internal sealed class DemoSeeder(ConfideDbContext db, UserManager<User> users, IUserStore<User> store, RecordCipher cipher, Confide.Data.Access.ClientContent content, IAuditTrail audit, RequestService requestService, TimeProvider time)
{
    public static readonly Guid PracticeId = new("0196a1f0-0000-7000-8000-00000000de30");
    public const string Password = "demo-practice-passphrase";

    internal static IReadOnlyList<DemoAccount> Accounts { get; } =
    [
        new("owner@demo.confide.test", "Dr. Maya Lindqvist, PsyD", [Roles.Owner, Roles.Clinician], "W3F2XSK72IVJDIGYKLJ3WK7FVF3Q7CLQ", Profession.Psychologist, "PSY 00001 (fictional)"),
        new("sam.okafor@demo.confide.test", "Sam Okafor, LCSW", [Roles.Clinician], "DML5Q4RLNK2EFASZGTVSQ6YTRNDNIYF5", Profession.SocialWorker, "LCSW 00002 (fictional)"),
        new("priya.raman@demo.confide.test", "Priya Raman, LMFT", [Roles.Clinician], "O66CQFWKVNFPET4EK7QT66EVPKQSRXB7", Profession.MarriageFamilyTherapist, "LMFT 00003 (fictional)"),
        new("jordan.ellis@demo.confide.test", "Jordan Ellis (records)", [Roles.Staff], "YGBZUHQTN4JYLL3MMBQUGYSDEGAFMPHI", null, null),
    ];

    public async Task SeedAsync(TextWriter console, CancellationToken ct)
    {
        db.Scope.Use(PracticeId); // every row seeded is the demo practice's (row-level security holds it there)
        if (await db.Practices.AnyAsync(p => p.Id == PracticeId, ct))
        {
            // A demo seeded before requests existed gets them now; otherwise nothing is added.
            await console.WriteLineAsync(
                await SeedRequestsAsync(ct) ? "Demo practice already seeded; demo requests added (one in every outcome)." : "Demo practice already seeded; nothing added."
            );
        }
        else if (await db.Practices.AnyAsync(ct))
        {
            await console.WriteLineAsync("Not seeding the demo: this database already holds a practice.");
            return;
        }
        else
        {
            await SeedNewAsync(ct);
            await SeedRequestsAsync(ct);
            await console.WriteLineAsync("Demo practice seeded: Harbor Light Counseling (fictional), with a request in every outcome.");
        }
        await console.WriteLineAsync($"Demo accounts (password for all: {Password}); add each TOTP secret to an authenticator app:");
        foreach (var a in Accounts)
        {
            await console.WriteLineAsync($"  {string.Join("+", a.Roles),-16} {a.Email,-34} TOTP secret {a.TotpSecret}");
        }
    }

    private async Task SeedNewAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await using (transaction)
        {
            db.Practices.Add(new Practice { Id = PracticeId, Name = "Harbor Light Counseling (demo)", Address = "100 Example Way, Suite 2, Sacramento, CA 95814", Jurisdiction = "US-CA", TimeZone = "America/Los_Angeles", CreatedAt = now });
            audit.Add(PracticeId, null, AuditEvent.DemoPracticeCreated(PracticeId));
            await db.SaveChangesAsync(ct);

            var ids = new Dictionary<string, Guid>();
            var keys = (IUserAuthenticatorKeyStore<User>)store;
            foreach (var a in Accounts)
            {
                var user = new User
                {
                    Id = Guid.CreateVersion7(),
                    PracticeId = PracticeId,
                    UserName = a.Email,
                    Email = a.Email,
                    EmailConfirmed = true,
                    DisplayName = a.Name,
                    Profession = a.Profession,
                    LicenseNumber = a.License,
                };
                Check(await users.CreateAsync(user, Password));
                Check(await users.AddToRolesAsync(user, a.Roles));
                await keys.SetAuthenticatorKeyAsync(user, a.TotpSecret, ct);
                Check(await users.SetTwoFactorEnabledAsync(user, true));
                ids[a.Email] = user.Id;
                audit.Add(PracticeId, null, AuditEvent.UserCreated(user.Id, a.Roles, demo: true));
            }
            var owner = ids[Accounts[0].Email];
            var sam = ids[Accounts[1].Email];
            var priya = ids[Accounts[2].Email];

            var ana = await ClientAsync("Ana Ferreira (fictional)", new DateOnly(1988, 4, 12), [sam], null, ct);
            await ItemAsync(ana, Category.Intake, today.AddDays(-90), sam, "Intake: self-referred for work-related anxiety. No prior treatment. (Fictional demo text.)", ct);
            await ItemAsync(ana, Category.ProgressNotes, today.AddDays(-60), sam, "Session 4: practised paced breathing; reports fewer panic episodes. (Fictional.)", ct);
            await ItemAsync(ana, Category.PsychotherapyNotes, today.AddDays(-60), sam, "Process note: transference themes around authority figures. (Fictional; visible only to Sam Okafor.)", ct);
            await ItemAsync(ana, Category.Billing, today.AddDays(-30), sam, "Superbill issued for sessions 1-6. (Fictional.)", ct);

            var leo = await ClientAsync("Leo Hart (fictional)", today.AddYears(-14).AddDays(-40), [priya], ("Dana Hart (fictional)", GuardianRelationship.Parent), ct);
            await ItemAsync(leo, Category.Intake, today.AddDays(-45), priya, "Intake with parent present: school refusal since spring. (Fictional.)", ct);
            await ItemAsync(leo, Category.TreatmentPlan, today.AddDays(-40), priya, "Plan: weekly CBT, graded exposure to school attendance, parent sessions monthly. (Fictional.)", ct);
            await ItemAsync(leo, Category.Attendance, today.AddDays(-7), priya, "Attended 5 of 6 scheduled sessions. (Fictional.)", ct);

            var rosa = await ClientAsync("Rosa Delgado (fictional)", new DateOnly(1975, 11, 3), [owner, sam], null, ct);
            await ItemAsync(rosa, Category.ProgressNotes, today.AddDays(-20), owner, "Couples-related stressors; discussed referral options. (Fictional.)", ct);
            await ItemAsync(rosa, Category.Correspondence, today.AddDays(-10), owner, "Letter from an attorney requesting records received; see requests. (Fictional.)", ct);
            await ItemAsync(rosa, Category.SudRecords, today.AddDays(-15), sam, "Alcohol use screening (AUDIT-C) reviewed. (Fictional; Part 2 record.)", ct);

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
    }

    private async Task<Client> ClientAsync(string name, DateOnly born, Guid[] clinicians, (string Name, GuardianRelationship Relationship)? guardian, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var client = new Client { PracticeId = PracticeId, NameCipher = [], DateOfBirth = born, CreatedAt = now };
        client.NameCipher = await cipher.EncryptAsync(EncryptedFields.ClientName(client), name, ct);
        if (guardian is { } g)
        {
            var row = new Guardian { ClientId = client.Id, NameCipher = [], Relationship = g.Relationship };
            row.NameCipher = await cipher.EncryptAsync(EncryptedFields.GuardianName(client, row), g.Name, ct);
            client.Guardians.Add(row);
        }
        foreach (var clinician in clinicians)
        {
            client.Assignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = clinician, AssignedAt = now });
        }
        db.Clients.Add(client);
        audit.Add(PracticeId, null, AuditEvent.DemoClientCreated(client.Id));
        return client;
    }

    private async Task ItemAsync(Client client, Category category, DateOnly date, Guid author, string text, CancellationToken ct)
    {
        var item = new RecordItem { ClientId = client.Id, Category = category, Date = date, AuthorId = author, ContentCipher = [], CreatedAt = time.GetUtcNow() };
        item.ContentCipher = await cipher.EncryptAsync(EncryptedFields.RecordItemContent(client, item), text, ct);
        db.RecordItems.Add(item);
        audit.Add(PracticeId, null, AuditEvent.DemoRecordCreated(item));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("demo seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    /// <summary>
    /// Thirteen fictional requests, one in every outcome, recorded through the same path as the intake
    /// form (form → contract JSON → parser → engine), with statuses spread over the workflow and
    /// deadlines around today (one overdue, some due within 3 days). Added only when the demo
    /// practice has no request yet; one save, so all ten or none.
    /// </summary>
    /// <returns>True when requests were added.</returns>
    private async Task<bool> SeedRequestsAsync(CancellationToken ct)
    {
        if (await db.Requests.AnyAsync(r => r.PracticeId == PracticeId, ct))
        {
            return false;
        }
        var today = await requestService.TodayAsync(PracticeId, ct);
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == PracticeId, ct);
        var emails = Accounts.Select(a => a.Email).ToList();
        var staff = await db.Users.AsNoTracking().Where(u => u.PracticeId == PracticeId && emails.Contains(u.Email!)).ToDictionaryAsync(u => u.Email!, ct);
        var owner = staff[Accounts[0].Email];
        var sam = staff[Accounts[1].Email];
        var priya = staff[Accounts[2].Email];
        var clients = new Dictionary<string, Client>(StringComparer.Ordinal);
        var seeded = await db.Clients.AsNoTracking().Where(c => c.PracticeId == PracticeId).OrderBy(c => c.CreatedAt).Take(50).ToListAsync(ct);
        var asOwner = new Confide.Data.Access.Reader(owner.Id, PracticeId, IsOwner: true, IsClinician: true, IsStaff: false);
        var grants = new Dictionary<Guid, Confide.Data.Access.ClientGrant>();
        foreach (var c in seeded)
        {
            var grant = (await content.OpenAsync(asOwner, c.Id, Confide.Data.Access.ContentPurpose.Record, null, ct)).Grant!;
            grants[c.Id] = grant;
            clients[await content.ReadStringAsync(grant, EncryptedFields.ClientName(c), c.NameCipher, ct)] = c;
        }
        var ana = clients["Ana Ferreira (fictional)"];
        var leo = clients["Leo Hart (fictional)"];
        var rosa = clients["Rosa Delgado (fictional)"];
        string D(int days) => IntakeInput.Date(today.AddDays(days))!;
        string[] Cats(params Category[] c) => c.Select(Categories.Name).ToArray();

        (Client Client, User Clinician, RequestStatus Status, IntakeInput Input)[] cases =
        [
            (rosa, owner, RequestStatus.UnderReview, new IntakeInput
            {
                Instrument = "subpoena", Requester = "attorney", ReceivedOn = D(-5), RespondBy = D(2), Requested = [.. Cats(Category.ProgressNotes, Category.Billing)],
                Forum = "state", Kind = "civil", Court = "Superior Court of California, County of Sacramento (fictional)", CaseNumber = "34-2026-00000001 (fictional)",
                CaseCaption = "Delgado v. Example Freight Co. (fictional)", RequesterName = "Jane Holloway, Esq. (fictional)", RequesterAddress = "1 Example Plaza, Sacramento, CA 95814",
                Profession = "psychologist", Reference = "DEMO-1",
            }),
            (leo, priya, RequestStatus.Received, new IntakeInput
            {
                Instrument = "verbal-order", Requester = "court", ReceivedOn = D(-3), RespondBy = D(10), Requested = [.. Cats(Category.TreatmentPlan, Category.Attendance)],
                Forum = "state", Kind = "custody", Court = "Superior Court of California, Family Division (fictional)", CaseNumber = "FL-2026-0002 (fictional)",
                Profession = "marriage-family-therapist", Reference = "DEMO-2",
            }),
            (ana, sam, RequestStatus.Closed, new IntakeInput
            {
                Instrument = "court-order", Requester = "court", ReceivedOn = D(-40), RespondBy = D(-25), Requested = [.. Cats(Category.Attendance, Category.Billing)],
                Forum = "state", Kind = "civil", OrderSignedByJudge = true, OrderStatesPurpose = true, OrderCategories = [.. Cats(Category.Attendance, Category.Billing)],
                Court = "Superior Court of California (fictional)", CaseNumber = "34-2026-00000003 (fictional)", Profession = "social-worker", Reference = "DEMO-3",
            }),
            (ana, sam, RequestStatus.Responded, new IntakeInput
            {
                Instrument = "letter", Requester = "provider", ReceivedOn = D(-20), Requested = [.. Cats(Category.ProgressNotes, Category.TreatmentPlan)],
                RequesterName = "Example Family Medicine (fictional)", Profession = "social-worker", Reference = "DEMO-4",
                Release = new ReleaseFacts { OnFile = true, Signed = true, NamesRequester = true, CoversPurpose = true, UnderstandingConfirmed = true, Categories = [.. Cats(Category.ProgressNotes, Category.TreatmentPlan)], ExpiresOn = D(180) },
            }),
            (rosa, owner, RequestStatus.Received, new IntakeInput
            {
                Instrument = "letter", Requester = "insurer", ReceivedOn = D(-8), RespondBy = D(-1), Requested = [.. Cats(Category.TreatmentPlan)],
                RequesterName = "Example Mutual Insurance (fictional)", ClientWantsDisclosure = true, Profession = "psychologist", Reference = "DEMO-5",
            }),
            (leo, priya, RequestStatus.Closed, new IntakeInput
            {
                Instrument = "report", ReceivedOn = D(-60), SuspectedChildAbuse = true, Profession = "marriage-family-therapist", Reference = "DEMO-6",
            }),
            (ana, sam, RequestStatus.Closed, new IntakeInput
            {
                Instrument = "report", ReceivedOn = D(-90), SeriousThreat = true, Profession = "social-worker", Reference = "DEMO-7",
            }),
            (rosa, owner, RequestStatus.Responded, new IntakeInput
            {
                Instrument = "letter", Requester = "employer", ReceivedOn = D(-100), Requested = [.. Cats(Category.Attendance)],
                RequesterName = "Example Logistics HR (fictional)", Profession = "psychologist", Reference = "DEMO-8",
            }),
            (ana, sam, RequestStatus.Received, new IntakeInput
            {
                Instrument = "letter", Requester = "client", ReceivedOn = D(-2), Requested = [.. Cats(Category.ProgressNotes, Category.Billing)],
                Profession = "social-worker", Reference = "DEMO-9",
            }),
            (rosa, owner, RequestStatus.UnderReview, new IntakeInput
            {
                Instrument = "subpoena", Requester = "law-enforcement", ReceivedOn = D(-6), RespondBy = D(5), Requested = [.. Cats(Category.Intake)], InTherapy = false,
                Forum = "state", Kind = "criminal", Court = "Superior Court of California (fictional)", CaseNumber = "CR-2026-0010 (fictional)", Profession = "psychologist", Reference = "DEMO-10",
            }),
            (rosa, owner, RequestStatus.Closed, new IntakeInput
            {
                Instrument = "report", ReceivedOn = D(-30), SelfHarm = true, Profession = "psychologist", Reference = "DEMO-11",
            }),
            (ana, sam, RequestStatus.Received, new IntakeInput
            {
                Instrument = "letter", Requester = "client", ReceivedOn = D(-1), Requested = [.. Cats(Category.ProgressNotes)], AccessDetrimental = true,
                Profession = "social-worker", Reference = "DEMO-12",
            }),
            (rosa, owner, RequestStatus.Received, new IntakeInput
            {
                Instrument = "letter", Requester = "personal-representative", ReceivedOn = D(-4), Requested = [.. Cats(Category.ProgressNotes)], ClientDeceased = true,
                RequesterName = "Sam Example, executor (fictional)", Profession = "psychologist", Reference = "DEMO-13",
            }),
        ];
        foreach (var (client, clinician, status, input) in cases)
        {
            var (json, result) = RequestService.Parse(input, practice, await requestService.FillAsync(grants[client.Id], practice, client, clinician, ct));
            var parsed = result.Request ?? throw new InvalidOperationException("demo request does not parse: " + string.Join("; ", result.Errors));
            var request = await requestService.CreateAsync(grants[client.Id], client, clinician.Id, clinician.Id, json, parsed, file: null, reason: null, ct);
            while (request.Status != status && RequestAccess.Next(request.Status) is { } next)
            {
                await requestService.AdvanceAsync(grants[client.Id], request, next, clinician.Id, reason: null, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    internal sealed record DemoAccount(string Email, string Name, string[] Roles, string TotpSecret, Profession? Profession, string? License);
}
