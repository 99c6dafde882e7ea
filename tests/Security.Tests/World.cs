using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Security.Tests;

/// <summary>A kind of resource a route parameter names; <see cref="ParameterKinds"/> maps parameter names to these.</summary>
public enum Resource
{
    Client,
    RecordItem,
    Attachment,

    /// <summary>A person of the practice (e.g. the clinician to assign): filled with the caller's own id, the escalation attempt.</summary>
    User,

    /// <summary>A request for the client's information, its (current) determination and the subpoena uploaded with it.</summary>
    Request,
    Determination,
    RequestFile,

    /// <summary>A client's release (authorization), drafted by their clinician.</summary>
    Release,
    /// <summary>A disclosure packet built for the request (the victim's request is a court order, so it discloses).</summary>
    Packet,
}

/// <summary>
/// Two practices seeded for the sweeps. Practice Alpha: an owner, clinician One (author of every
/// victim resource, all made through the app's own forms), clinician Two (not assigned to One's
/// client), and a records custodian (staff). Practice Beta: its owner. Every victim resource holds
/// a unique marker string; no response to an intruder may contain one.
/// </summary>
public sealed partial class World
{
    public const string Password = "security sweep passphrase";

    public required Account OwnerA { get; init; }
    public required Account ClinicianOne { get; init; }
    public required Account ClinicianTwo { get; init; }
    public required Account StaffA { get; init; }
    public required Account OwnerB { get; init; }

    /// <summary>A second owner of Alpha who never enrolled an authenticator: signed in with a password only.</summary>
    public required Account PasswordOnlyOwner { get; init; }

    /// <summary>Clinician One's client, its record and a request for it: the resources the intruders try to reach.</summary>
    public required IReadOnlyDictionary<Resource, Guid> Victim { get; init; }

    /// <summary>Clinician One's psychotherapy note on the same client (visible to its author only) and its attachment.</summary>
    public required Guid Note { get; init; }
    public required Guid NoteAttachment { get; init; }

    /// <summary>A client of clinician Two, and one of Beta's owner: their own, for mixed-id attempts.</summary>
    public required Guid ClientOfTwo { get; init; }

    /// <summary>A request for clinician Two's own client (for mixed ids: Two's request with One's file or determination).</summary>
    public required Guid RequestOfTwo { get; init; }
    public required Guid ClientOfB { get; init; }

    /// <summary>Every marker seeded into a victim resource.</summary>
    public required IReadOnlyList<string> Markers { get; init; }

    public sealed record Account(string Email, string Name, string TotpSecret, Guid Id);

    public static async Task<World> SeedAsync(SecurityApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        var alpha = Guid.CreateVersion7();
        var beta = Guid.CreateVersion7();
        Account ownerA, one, two, staff, ownerB, passwordOnly;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            db.Practices.Add(new Practice { Id = alpha, Name = "Alpha Practice (sweep)", Address = "1 Alpha St", Jurisdiction = "US-CA", CreatedAt = now });
            db.Practices.Add(new Practice { Id = beta, Name = "Beta Practice (sweep)", Address = "2 Beta St", Jurisdiction = "US-NY", CreatedAt = now });
            await db.SaveChangesAsync(ct);
            ownerA = await UserAsync(scope.ServiceProvider, alpha, "owner@alpha.test", "Alpha Owner", Roles.Owner, Roles.Clinician);
            one = await UserAsync(scope.ServiceProvider, alpha, "one@alpha.test", "Clinician One", Roles.Clinician);
            two = await UserAsync(scope.ServiceProvider, alpha, "two@alpha.test", "Clinician Two", Roles.Clinician);
            staff = await UserAsync(scope.ServiceProvider, alpha, "records@alpha.test", "Alpha Records", Roles.Staff);
            ownerB = await UserAsync(scope.ServiceProvider, beta, "owner@beta.test", "Beta Owner", Roles.Owner, Roles.Clinician);
            passwordOnly = await UserAsync(scope.ServiceProvider, alpha, "no-code@alpha.test", "Alpha Owner Without A Code", twoFactor: false, Roles.Owner);
        }

        var markers = new List<string>();
        string Marker(string what)
        {
            var m = $"MARKER-{what}-{tag}";
            markers.Add(m);
            return m;
        }

        // Clinician One builds the victim record through the app, as a person would.
        using var session = new Session(app, "clinician One");
        await session.SignInAsync(one.Email, Password, one.TotpSecret);
        var client = await CreateClientAsync(session, Marker("CLIENT-NAME"), Marker("GUARDIAN-NAME"));
        var item = await RecordAsync(session, client, Category.ProgressNotes, Marker("PROGRESS-NOTE"));
        var note = await RecordAsync(session, client, Category.PsychotherapyNotes, Marker("PSYCHOTHERAPY-NOTE"));
        var attachment = await UploadAsync(app, session, client, item, Marker("FILE-NAME") + ".pdf", Marker("PDF-CONTENT"));
        var noteAttachment = await UploadAsync(app, session, client, note, Marker("NOTE-FILE-NAME") + ".pdf", Marker("NOTE-PDF-CONTENT"));
        var (request, determination, requestFile) = await RequestAsync(
            app,
            session,
            client,
            one.Id,
            Marker("REQUESTER-NAME"),
            Marker("CASE-CAPTION"),
            Marker("SUBPOENA-FILE-NAME") + ".pdf",
            Marker("SUBPOENA-CONTENT"),
            order: true
        );
        var release = await ReleaseAsync(app, session, client, Marker("RELEASE-RECIPIENT"), Marker("RELEASE-PURPOSE"));
        var packet = await PacketAsync(app, session, one, request, item, attachment);

        using var twoSession = new Session(app, "clinician Two");
        await twoSession.SignInAsync(two.Email, Password, two.TotpSecret);
        var clientOfTwo = await CreateClientAsync(twoSession, "Two's own client (sweep)", null);
        var (requestOfTwo, _, _) = await RequestAsync(app, twoSession, clientOfTwo, two.Id, "Two's requester (sweep)", "Two's case (sweep)", "twos-subpoena.pdf", "Two's subpoena (sweep)");
        using var bSession = new Session(app, "Beta owner");
        await bSession.SignInAsync(ownerB.Email, Password, ownerB.TotpSecret);
        var clientOfB = await CreateClientAsync(bSession, "Beta's own client (sweep)", null);

        return new World
        {
            OwnerA = ownerA,
            ClinicianOne = one,
            ClinicianTwo = two,
            StaffA = staff,
            OwnerB = ownerB,
            PasswordOnlyOwner = passwordOnly,
            Victim = new Dictionary<Resource, Guid>
            {
                [Resource.Client] = client,
                [Resource.RecordItem] = item,
                [Resource.Attachment] = attachment,
                [Resource.Request] = request,
                [Resource.Determination] = determination,
                [Resource.RequestFile] = requestFile,
                [Resource.Release] = release,
                [Resource.Packet] = packet,
            },
            Note = note,
            NoteAttachment = noteAttachment,
            ClientOfTwo = clientOfTwo,
            RequestOfTwo = requestOfTwo,
            ClientOfB = clientOfB,
            Markers = markers,
        };
    }

    private static Task<Account> UserAsync(IServiceProvider services, Guid practice, string email, string name, params string[] roles) =>
        UserAsync(services, practice, email, name, twoFactor: true, roles);

    private static async Task<Account> UserAsync(IServiceProvider services, Guid practice, string email, string name, bool twoFactor, params string[] roles)
    {
        var ct = TestContext.Current.CancellationToken;
        var users = services.GetRequiredService<UserManager<User>>();
        var keys = (IUserAuthenticatorKeyStore<User>)services.GetRequiredService<IUserStore<User>>();
        var secret = new string(RandomNumberGenerator.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".AsSpan(), 32));
        var user = new User { Id = Guid.CreateVersion7(), PracticeId = practice, UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRolesAsync(user, roles));
        if (twoFactor)
        {
            await keys.SetAuthenticatorKeyAsync(user, secret, ct);
            Check(await users.SetTwoFactorEnabledAsync(user, true));
        }
        return new Account(email, name, secret, user.Id);
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    private static async Task<Guid> CreateClientAsync(Session session, string name, string? guardian)
    {
        var created = await session.SubmitAsync(
            "/Clients/Create",
            ("Input.Name", name),
            ("Input.DateOfBirth", "2012-05-01"),
            ("Input.GuardianName", guardian ?? ""),
            ("Input.GuardianRelationship", nameof(GuardianRelationship.Parent))
        );
        return IdAfter(created, ClientLocation());
    }

    private static async Task<Guid> ReleaseAsync(SecurityApp app, Session session, Guid client, string recipient, string purpose)
    {
        var created = await session.SubmitAsync(
            $"/Releases/Draft?clientId={client}",
            ("Input.Kind", "general"),
            ("Input.RecipientName", recipient),
            ("Input.RecipientAddress", "1 Sweep St"),
            ("Input.Purpose", "other"),
            ("Input.PurposeDescription", purpose),
            ("Input.Categories", "progress-notes"),
            ("Input.ExpiresOn", "2099-01-01")
        );
        var release = IdAfter(created, ReleaseLocation());
        // Sent and signed through the portal, so its signed copy exists to be tried.
        var sent = await session.SubmitAsync($"/Releases/{release}?handler=Send");
        var token = Regex.Match(sent.Text, "/portal/([A-Za-z0-9_-]{43})<").Groups[1].Value;
        using var portal = new Session(app, "the client, in the portal");
        (string, string)[] answers = [("Answers[recipient]", "named"), ("Answers[notes]", "no"), ("Answers[sud]", "no"), ("Answers[condition]", "yes"), ("Answers[revoke]", "yes")];
        var check = await portal.SubmitAsync($"/portal/{token}?handler=Check", answers);
        var hash = Regex.Match(check.Text, "name=\"ShownHash\" value=\"([0-9a-f]{64})\"").Groups[1].Value;
        var signed = await portal.SubmitAsync($"/portal/{token}?handler=Sign", [.. answers, ("ShownHash", hash), ("TypedName", "Sweep Client")]);
        Assert.Contains("You signed this release", signed.Text, StringComparison.Ordinal);
        return release;
    }

    private static async Task<Guid> RecordAsync(Session session, Guid client, Category category, string content)
    {
        var created = await session.SubmitAsync($"/Clients/{client}?handler=Record", ("item.Category", Categories.Name(category)), ("item.Date", "2026-01-10"), ("item.Content", content));
        return IdAfter(created, RecordLocation());
    }

    private static async Task<Guid> UploadAsync(SecurityApp app, Session session, Guid client, Guid item, string fileName, string marker)
    {
        using var form = new MultipartFormDataContent();
        var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {marker}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "file", fileName);
        form.Add(new StringContent(await session.TokenAsync()), "__RequestVerificationToken");
        var uploaded = await session.SendAsync(HttpMethod.Post, $"/Clients/{client}/Records/{item}?handler=Upload", form);
        Assert.True(uploaded.Status == HttpStatusCode.Redirect, $"upload gave {(int)uploaded.Status}");
        await using var db = app.NewDbContext();
        return await db.Attachments.Where(a => a.RecordItemId == item).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A subpoena for the client recorded through the intake form, with the subpoena attached: the request, its determination and the file.</summary>
    private static async Task<(Guid Request, Guid Determination, Guid File)> RequestAsync(
        SecurityApp app,
        Session session,
        Guid client,
        Guid clinician,
        string requesterName,
        string caption,
        string fileName,
        string marker,
        bool order = false
    )
    {
        using var form = new MultipartFormDataContent();
        (string Name, string Value)[] orderFields = order
            ? [("Input.OrderSignedByJudge", "true"), ("Input.OrderStatesPurpose", "true"), ("Input.OrderCategories", "progress-notes")]
            : [];
        (string Name, string Value)[] fields =
        [
            .. orderFields,
            ("Input.Instrument", order ? "court-order" : "subpoena"),
            ("Input.Requester", "attorney"),
            ("Input.RequesterName", requesterName),
            ("Input.Forum", "state"),
            ("Input.Kind", "civil"),
            ("Input.CaseCaption", caption),
            ("Input.Requested", "progress-notes"),
            ("Input.ClinicianId", clinician.ToString()),
            ("Input.Profession", "psychologist"),
            ("Input.RespondBy", DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        ];
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {marker}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "Upload", fileName);
        form.Add(new StringContent(await session.TokenAsync()), "__RequestVerificationToken");
        var created = await session.SendAsync(HttpMethod.Post, $"/Requests/Intake?clientId={client}", form);
        var request = IdAfter(created, RequestLocation());
        await using var db = app.NewDbContext();
        var ct = TestContext.Current.CancellationToken;
        return (
            request,
            await db.RequestDeterminations.Where(d => d.RequestId == request).Select(d => d.Id).SingleAsync(ct),
            await db.RequestFiles.Where(f => f.RequestId == request).Select(f => f.Id).SingleAsync(ct)
        );
    }

    /// <summary>
    /// A disclosure packet of the court order's request holding the record item (its upload left out), built through the
    /// app as its clinician would: re-authenticate, review, build (in the background), wait until done.
    /// </summary>
    private static async Task<Guid> PacketAsync(SecurityApp app, Session session, Account clinician, Guid request, Guid item, Guid attachment)
    {
        var page = $"/Requests/{request}/Packet";
        var reauth = await session.SubmitAsync("/Account/Reauthenticate", [("ReturnUrl", page), ("Password", Password), ("Code", Totp.Now(clinician.TotpSecret))]);
        Assert.True(reauth.Location == page, $"re-authentication gave {(int)reauth.Status} {reauth.Location}");
        var built = await session.SubmitAsync(page + "?handler=Build", ("include", item.ToString()), ($"mode-{attachment:N}", "exclude")); // the sweep's upload is not a whole PDF
        var id = IdAfter(built, PacketLocation());
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = app.NewDbContext();
            var status = await db.Packets.Where(p => p.Id == id).Select(p => p.Status).SingleAsync(TestContext.Current.CancellationToken);
            if (status is PacketStatus.Done or PacketStatus.Failed)
            {
                Assert.Equal(PacketStatus.Done, status);
                return id;
            }
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "the sweep's packet was not built within 120 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static Guid IdAfter(Session.Response response, Regex location)
    {
        var match = location.Match(response.Location ?? "");
        Assert.True(match.Success, $"expected a redirect to the new resource, got {(int)response.Status} {response.Location} {System.Text.RegularExpressions.Regex.Match(response.Text, "class=\"(field-)?error[^>]*>([^<]*)<").Value}");
        return Guid.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex("^/Clients/([0-9a-f-]{36})$")]
    private static partial Regex ClientLocation();

    [GeneratedRegex("^/Clients/[0-9a-f-]{36}/Records/([0-9a-f-]{36})")]
    private static partial Regex RecordLocation();

    [GeneratedRegex("^/Requests/([0-9a-f-]{36})$")]
    private static partial Regex RequestLocation();

    [GeneratedRegex("^/Releases/([0-9a-f-]{36})$")]
    private static partial Regex ReleaseLocation();
    [GeneratedRegex("^/Requests/[0-9a-f-]{36}/Packet\\?packetId=([0-9a-f-]{36})")]
    private static partial Regex PacketLocation();
}
