using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Documents;
using Confide.Documents.Pdf;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Confide.Web.Tests;

/// <summary>
/// Disclosures end to end on the demo practice (a fixed "today"): the packet proposed, reviewed,
/// built in the background and downloaded through the web, scanned for every marker of what was
/// out of scope or removed; re-authentication before anything leaves; the append-only disclosure
/// log; and a scripted scenario of requests whose practice log and client accounting are checked
/// against 45 C.F.R. § 164.528.
/// </summary>
public abstract partial class DisclosureTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Owner => DemoSeeder.Accounts[0];
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    /// <summary>Re-authenticates through the page a disclosure sends the user to, and returns where it sends them back.</summary>
    internal static async Task<string?> ReauthenticateAsync(Browser browser, DemoSeeder.DemoAccount account, string returnUrl)
    {
        var page = "/Account/Reauthenticate?returnUrl=" + Uri.EscapeDataString(returnUrl);
        var response = await browser.SubmitAsync(page, "/Account/Reauthenticate", ("ReturnUrl", returnUrl), ("Password", DemoSeeder.Password), ("Code", Totp.Now(account.TotpSecret)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Browser.Location(response);
    }

    private sealed record SeededItem(Guid Id, Guid? AttachmentId);

    /// <summary>A client of Sam's with record items (and PDF attachments), stored encrypted as the record pages store them.</summary>
    private async Task<(Guid ClientId, List<SeededItem> Items)> SeedClientAsync(string name, params (Category Category, DateOnly Date, string Content, byte[]? Pdf)[] items)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId); // on PostgreSQL the app's role writes only as the practice
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        var sam = await app.UserIdAsync(Sam);
        var client = new Client { PracticeId = DemoSeeder.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        client.NameCipher = await cipher.EncryptAsync(EncryptedFields.ClientName(client), name, Ct);
        db.Clients.Add(client);
        db.ClientAssignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = sam });
        var seeded = new List<SeededItem>();
        foreach (var (category, date, content, pdf) in items)
        {
            var item = new RecordItem { ClientId = client.Id, Category = category, Date = date, AuthorId = sam, ContentCipher = [] };
            item.ContentCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "RecordItems", item.Id, "content"), content, Ct);
            db.RecordItems.Add(item);
            Guid? attachmentId = null;
            if (pdf is not null)
            {
                var a = new Attachment { RecordItemId = item.Id, ClientId = client.Id, FileNameCipher = [], ContentType = "application/pdf", Size = pdf.Length, Sha256 = SHA256.HashData(pdf), ContentCipher = [] };
                a.FileNameCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "Attachments", a.Id, "file-name"), "scan.pdf", Ct);
                a.ContentCipher = await cipher.EncryptAsync(new FieldRef(client.PracticeId, client.Id, "Attachments", a.Id, "content"), pdf, Ct);
                db.Attachments.Add(a);
                attachmentId = a.Id;
            }
            seeded.Add(new SeededItem(item.Id, attachmentId));
        }
        await db.SaveChangesAsync(Ct);
        return (client.Id, seeded);
    }

    /// <summary>A PDF with one page per text: each page rendered by the app's own PDF renderer, merged with PDFsharp.</summary>
    private static byte[] Pdf(params string[] pages)
    {
        using var document = new PdfDocument();
        foreach (var text in pages)
        {
            var one = new PdfRenderer(PaperSize.Letter).Render(new DocumentModel(null, "scan", "Scan", "", new PageLabel("", ""), [new Paragraph([new TextRun(text)])]));
            using var source = PdfReader.Open(new MemoryStream(one), PdfDocumentOpenMode.Import);
            document.AddPage(source.Pages[0]);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static string Intake(Guid clientId) => $"/Requests/Intake?clientId={clientId}";

    private static async Task<Guid> RecordRequestAsync(Browser browser, Guid clientId, List<(string Name, string Value)> fields)
    {
        var response = await browser.SubmitAsync(Intake(clientId), Intake(clientId), [.. fields]);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Ct));
        return RequestTests<TApp>.RequestIdFrom(response);
    }

    private static List<(string Name, string Value)> CourtOrder(Guid samId) =>
        RequestTests<TApp>.With(
            RequestTests<TApp>.With(
                RequestTests<TApp>.With(RequestTests<TApp>.Subpoena(samId), "Input.Instrument", "court-order"),
                "Input.OrderSignedByJudge",
                "true"
            ),
            "Input.OrderCategories",
            "billing"
        );

    private static List<(string Name, string Value)> Authorization(Guid samId) =>
    [
        ("Input.Instrument", "letter"),
        ("Input.Requester", "provider"),
        ("Input.ReceivedOn", "2026-06-12"),
        ("Input.Requested", "billing"),
        ("Input.InTherapy", "true"),
        ("Input.ClinicianId", samId.ToString()),
        ("Input.Profession", "social-worker"),
        ("Input.Licensed", "true"),
        ("Input.RequesterName", "Example Family Medicine (fictional)"),
        ("Input.RequesterAddress", "9 Clinic Way, Sacramento, CA"),
        ("Input.Release.OnFile", "true"),
        ("Input.Release.Signed", "true"),
        ("Input.Release.NamesRequester", "true"),
        ("Input.Release.CoversPurpose", "true"),
        ("Input.Release.UnderstandingConfirmed", "true"),
        ("Input.Release.Categories", "billing"),
        ("Input.Release.ExpiresOn", "2026-12-31"),
    ];

    private static List<(string Name, string Value)> ClientAccessRequest(Guid samId) =>
    [
        ("Input.Instrument", "letter"),
        ("Input.Requester", "client"),
        ("Input.ReceivedOn", "2026-06-12"),
        ("Input.Requested", "billing"),
        ("Input.InTherapy", "true"),
        ("Input.ClinicianId", samId.ToString()),
        ("Input.Profession", "social-worker"),
        ("Input.Licensed", "true"),
    ];

    private static List<(string Name, string Value)> Report(Guid samId) =>
    [
        ("Input.Instrument", "report"),
        ("Input.ReceivedOn", "2026-06-12"),
        ("Input.SuspectedChildAbuse", "true"),
        ("Input.InTherapy", "true"),
        ("Input.ClinicianId", samId.ToString()),
        ("Input.Profession", "social-worker"),
        ("Input.Licensed", "true"),
    ];

    private async Task<Core.Triage.Outcome> OutcomeAsync(Guid requestId)
    {
        await using var db = app.NewDbContext();
        return await db.Requests.Where(r => r.Id == requestId).Select(r => r.Outcome).SingleAsync(Ct);
    }

    /// <summary>Posts the review, then polls the progress until the build is done; returns the packet id and the progress seen.</summary>
    internal static async Task<(Guid PacketId, List<JsonElement> Progress)> BuildAsync(Browser browser, Guid requestId, params (string Name, string Value)[] fields)
    {
        var page = $"/Requests/{requestId}/Packet";
        var response = await browser.SubmitAsync(page, page + "?handler=Build", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
        var location = Browser.Location(response)!;
        var packetId = Guid.Parse(Regex.Match(location, "packetId=([0-9a-f-]{36})").Groups[1].Value);
        var seen = new List<JsonElement>();
        var waited = Stopwatch.StartNew(); // a real wait for a real background build (not the app's clock)
        while (true)
        {
            var json = await browser.GetPageAsync($"{page}?handler=Progress&packetId={packetId}");
            var progress = JsonDocument.Parse(json).RootElement.Clone();
            seen.Add(progress);
            var status = progress.GetProperty("status").GetString();
            if (status is "done" or "failed")
            {
                Assert.Equal("done", status);
                return (packetId, seen);
            }
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "the packet was not built within 120 s");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<byte[]> DownloadAsync(Browser browser, Guid requestId, Guid packetId, string what)
    {
        var response = await browser.GetAsync($"/Requests/{requestId}/Packet?handler=Download&what={what}&packetId={packetId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task Packet_BuiltThroughTheWeb_HoldsNoMarkerOfWhatWasOutOfScopeOrRemoved_ShowsProgress_RecordsTheDisclosure()
    {
        var may = new DateOnly(2026, 5, 1);
        var (clientId, items) = await SeedClientAsync(
            "Marker Client (fictional)",
            (Category.Billing, may, "Invoice for sessions BILLINGKEEP1. Paid by REDACTSPOUSE7 the spouse.", null),
            (Category.ProgressNotes, may.AddDays(1), "Session note OUTOFSCOPENOTE3 not requested.", null),
            (Category.Billing, may.AddDays(2), "Second invoice DROPPEDITEM5 the clinician removes.", null),
            (Category.Billing, may.AddDays(3), "Scanned statement ATTACHPARENT2.", Pdf("Statement page ATTACHKEEP4", "Insurer notes ATTACHREDACT6")),
            (Category.ProgressNotes, may.AddDays(4), "Letter OUTOFSCOPEPARENT8.", Pdf("Scan OUTOFSCOPEATTACH9"))
        );
        string[] removed = ["REDACTSPOUSE7", "OUTOFSCOPENOTE3", "DROPPEDITEM5", "ATTACHREDACT6", "OUTOFSCOPEPARENT8", "OUTOFSCOPEATTACH9"];
        string[] kept = ["BILLINGKEEP1", "ATTACHPARENT2", "ATTACHKEEP4"];
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        Assert.Equal(Core.Triage.Outcome.ComplyWithOrder, await OutcomeAsync(requestId));
        Assert.Contains($"/Requests/{requestId}/Packet", await sam.GetPageAsync($"/Requests/{requestId}"), StringComparison.Ordinal);

        var page = $"/Requests/{requestId}/Packet";
        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(await sam.GetAsync(page)));
        Assert.Equal(page, await ReauthenticateAsync(sam, Sam, page));
        var review = await sam.GetTextAsync(page);
        // Proposed: exactly the billing items (their text shown to mark passages) and the billing item's upload.
        Assert.Contains("BILLINGKEEP1", review, StringComparison.Ordinal);
        Assert.Contains("DROPPEDITEM5", review, StringComparison.Ordinal);
        Assert.DoesNotContain("OUTOFSCOPENOTE3", review, StringComparison.Ordinal);
        Assert.DoesNotContain("OUTOFSCOPEPARENT8", review, StringComparison.Ordinal);
        Assert.Contains($"data-attachment=\"{items[3].AttachmentId:N}\"", review, StringComparison.Ordinal);
        Assert.DoesNotContain($"{items[4].AttachmentId:N}", review, StringComparison.Ordinal);

        // A passage that is not in the text: a clear error naming the item, nothing queued.
        var bad = await sam.SubmitAsync(page, page + "?handler=Build", ("include", items[0].Id.ToString()), ($"remove-{items[0].Id:N}", "NOT IN THE TEXT"), ($"mode-{items[3].AttachmentId:N}", "include"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Billing records, May 1, 2026: the passage on line 1", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        // An item that was not proposed (out of scope): refused.
        var tampered = await sam.SubmitAsync(page, page + "?handler=Build", ("include", items[1].Id.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.Packets.CountAsync(p => p.RequestId == requestId, Ct));
        }

        var (packetId, progress) = await BuildAsync(
            sam,
            requestId,
            ("include", items[0].Id.ToString()),
            ("include", items[3].Id.ToString()),
            ($"remove-{items[0].Id:N}", "REDACTSPOUSE7 the spouse"),
            ($"mode-{items[3].AttachmentId:N}", "include"),
            ($"page-{items[3].AttachmentId:N}-2", "withhold")
        );
        var last = progress[^1];
        Assert.Equal(100, last.GetProperty("percent").GetDouble());
        Assert.True(last.GetProperty("pages").GetInt32() >= 4, last.ToString());

        var pdf = await DownloadAsync(sam, requestId, packetId, "pdf");
        var manifest = await DownloadAsync(sam, requestId, packetId, "manifest");
        Assert.Empty(LeakScan.Find(pdf, removed));
        var manifestText = Encoding.UTF8.GetString(manifest);
        Assert.DoesNotContain(removed, m => manifestText.Contains(m, StringComparison.OrdinalIgnoreCase));
        var text = LeakScan.ExtractedText(pdf);
        foreach (var marker in kept)
        {
            Assert.Contains(marker, text, StringComparison.Ordinal); // the control: what was kept is there
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        Assert.Contains(sha, Encoding.UTF8.GetString(manifest), StringComparison.Ordinal);
        Assert.Contains(sha, await sam.GetPageAsync($"{page}?packetId={packetId}"), StringComparison.Ordinal);

        await using (var db = app.NewDbContext())
        {
            var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
            Assert.Equal(PacketStatus.Done, packet.Status);
            Assert.DoesNotContain(kept, m => Encoding.Latin1.GetString(packet.PdfCipher!).Contains(m, StringComparison.Ordinal)); // stored encrypted
            var disclosure = await db.Disclosures.AsNoTracking().SingleAsync(d => d.PacketId == packetId, Ct);
            Assert.Equal((DisclosureBasis.CourtOrder, clientId, requestId, samId), (disclosure.Basis, disclosure.ClientId, disclosure.RequestId, disclosure.DisclosedById));
            Assert.Equal(sha, Convert.ToHexStringLower(disclosure.Sha256!));
            Assert.DoesNotContain("Alder", Encoding.Latin1.GetString(disclosure.ContentCipher), StringComparison.Ordinal);
            var audit = await db.AuditEntries.AsNoTracking().Where(e => e.ClientId == clientId).ToListAsync(Ct);
            foreach (var action in new[] { AuditActions.PacketCreate, AuditActions.PacketBuilt, AuditActions.PacketDownload, AuditActions.DisclosureRecord })
            {
                Assert.Contains(audit, e => e.Action == action);
            }
            foreach (var e in audit)
            {
                Assert.DoesNotContain(removed.Concat(kept), m => (e.Detail ?? "").Contains(m, StringComparison.Ordinal));
            }

            // The page shows a build in progress (pages done, percent) and refreshes itself while it runs.
            var building = new Packet
            {
                PracticeId = DemoSeeder.PracticeId,
                ClientId = clientId,
                RequestId = requestId,
                DeterminationId = packet.DeterminationId,
                Status = PacketStatus.Building,
                Percent = 42,
                Pages = 17,
                ReviewCipher = [],
                CreatedById = samId,
            };
            db.Packets.Add(building);
            await db.SaveChangesAsync(Ct);
            var shown = await sam.GetTextAsync($"{page}?packetId={building.Id}");
            Assert.Contains("42% done, 17 pages laid out so far", shown, StringComparison.Ordinal);
            Assert.Contains("http-equiv=\"refresh\"", shown, StringComparison.Ordinal);

            // A half-built packet is found again at start, with its practice, by the app's own context (no practice set: the worker sets each).
            await using var appDb = app.NewAppDbContext();
            var unfinished = await Confide.Web.Features.Packets.PacketWorker.UnfinishedAsync(appDb, Ct);
            Assert.Contains(new Confide.Web.Features.Packets.QueuedPacket(DemoSeeder.PracticeId, building.Id), unfinished);
            Assert.DoesNotContain(unfinished, q => q.PacketId == packet.Id); // built: not again
        }
    }

    [Fact]
    public async Task PacketBuild_ReadsOnBehalfOfItsCreator_DecidedAgain_AUnassignedCreatorsBuildFails_AndDisclosesNothing()
    {
        var (clientId, items) = await SeedClientAsync("Unassigned Build Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice UNASSIGNEDKEEP.", null));
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        Guid packetId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId); // on PostgreSQL the app's role writes only as the practice
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var determination = await db.RequestDeterminations.Where(d => d.RequestId == requestId).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstAsync(Ct);
            var packet = new Packet { PracticeId = DemoSeeder.PracticeId, ClientId = clientId, RequestId = requestId, DeterminationId = determination, Status = PacketStatus.Queued, ReviewCipher = [], CreatedById = samId };
            var review = new Features.Packets.PacketReview("Court", null, "Court order", "Demo practice", "Sam", [new Features.Packets.ReviewItem(items[0].Id, false, [], null, [])]);
            packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), Ct);
            db.Packets.Add(packet);
            // Sam asked for the packet, then was taken off the client before it was built.
            db.ClientAssignments.RemoveRange(await db.ClientAssignments.Where(a => a.ClientId == clientId && a.ClinicianId == samId).ToListAsync(Ct));
            await db.SaveChangesAsync(Ct);
            packetId = packet.Id;
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Features.Packets.PacketBuildRun>().RunAsync(DemoSeeder.PracticeId, packetId, Ct);
        }
        await using (var db = app.NewDbContext())
        {
            var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
            Assert.Equal((PacketStatus.Failed, "access-refused"), (packet.Status, packet.Failure));
            Assert.Null(packet.PdfCipher);
            Assert.False(await db.Disclosures.AnyAsync(d => d.PacketId == packetId, Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PacketFailed && e.TargetId == packetId.ToString("N") && e.Detail == "failure=access-refused", Ct));
        }
    }

    [Fact]
    public async Task ShreddedClient_PacketDocumentAccountingAndRequestPages_SendToTheClientsPage_AQueuedBuildFails_NothingCrashes()
    {
        var (clientId, items) = await SeedClientAsync("Shredded Packet Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice SHREDDEDKEEP.", null));
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        Guid packetId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId); // on PostgreSQL the app's role writes only as the practice
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var determination = await db.RequestDeterminations.Where(d => d.RequestId == requestId).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstAsync(Ct);
            var packet = new Packet { PracticeId = DemoSeeder.PracticeId, ClientId = clientId, RequestId = requestId, DeterminationId = determination, Status = PacketStatus.Queued, ReviewCipher = [], CreatedById = samId };
            var review = new Features.Packets.PacketReview("Court", null, "Court order", "Demo practice", "Sam", [new Features.Packets.ReviewItem(items[0].Id, false, [], null, [])]);
            packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), Ct);
            db.Packets.Add(packet);
            await db.SaveChangesAsync(Ct);
            packetId = packet.Id;
        }
        // The client is deleted (their keys destroyed) while the packet waits to be built.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId); // as the client page does, for the signed-in owner's practice
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<KeyRing>().DestroyClientKeysAsync(DemoSeeder.PracticeId, clientId, Ct));
            (await db.Clients.SingleAsync(c => c.Id == clientId, Ct)).ShreddedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
            await db.SaveChangesAsync(Ct);
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Features.Packets.PacketBuildRun>().RunAsync(DemoSeeder.PracticeId, packetId, Ct);
        }
        await using (var db = app.NewDbContext())
        {
            var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
            Assert.Equal((PacketStatus.Failed, "content-destroyed"), (packet.Status, packet.Failure));
        }

        var request = $"/Requests/{requestId}";
        Assert.Equal(request, Browser.Location(await sam.GetAsync($"{request}/Packet")));
        Assert.Equal(request, Browser.Location(await sam.GetAsync($"{request}/Document")));
        Assert.Equal($"/Clients/{clientId}", Browser.Location(await sam.GetAsync(request)));
        Assert.Equal($"/Clients/{clientId}", Browser.Location(await sam.GetAsync($"/Clients/{clientId}/Accounting")));
        var page = await sam.GetTextAsync($"/Clients/{clientId}");
        Assert.Contains("Content destroyed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Shredded Packet Client", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reauthentication_NeededBeforeAPacketIsReviewedBuiltOrDownloaded_AndExpiresAfterFiveMinutes()
    {
        var (clientId, items) = await SeedClientAsync("Reauth Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice REAUTHKEEP.", null));
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        var page = $"/Requests/{requestId}/Packet";

        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(await sam.GetAsync(page)));
        // A wrong code: refused with a message and audited; no way through.
        var wrong = await sam.SubmitAsync(Reauthentication.PageFor(page), Reauthentication.PagePath, ("ReturnUrl", page), ("Password", DemoSeeder.Password), ("Code", "000000"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The password or the code is not right.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var wrongPassword = await sam.SubmitAsync(Reauthentication.PageFor(page), Reauthentication.PagePath, ("ReturnUrl", page), ("Password", "not the passphrase at all"), ("Code", Totp.Now(Sam.TotpSecret)));
        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(await sam.GetAsync(page)));
        // Somewhere off the site is never a place to return to.
        Assert.Equal("/Home", await ReauthenticateAsync(sam, Sam, "https://evil.example/"));
        Assert.Equal(page, await ReauthenticateAsync(sam, Sam, page));
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync(page)).StatusCode);

        await using (var db = app.NewDbContext())
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.ActorUserId == samId && e.Action == AuditActions.Reauthenticate).Select(e => e.Detail).ToListAsync(Ct);
            Assert.Equal(2, entries.Count(d => d == "result=failed"));
            Assert.True(entries.Count(d => d == "result=ok") >= 2);
        }

        // Five minutes later the confirmation has lapsed: building is sent back to it, and nothing is queued.
        app.Clock!.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));
        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(await sam.GetAsync(page)));
        var token = Browser.Token(await sam.GetPageAsync("/Home"));
        var build = await sam.PostAsync(page + "?handler=Build", ("include", items[0].Id.ToString()), ("__RequestVerificationToken", token));
        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(build));
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.Packets.CountAsync(p => p.RequestId == requestId, Ct));
        }

        // Marking a mandated report made records a disclosure: it too needs the recent confirmation.
        var report = await RecordRequestAsync(sam, clientId, Report(samId));
        await AdvanceAsync(sam, report, "under-review");
        var html = await sam.GetPageAsync($"/Requests/{report}");
        var version = Regex.Match(html, "name=\"Version\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var responded = await sam.PostAsync($"/Requests/{report}?handler=Status", ("to", "responded"), ("Version", version), ("__RequestVerificationToken", Browser.Token(html)));
        Assert.Equal(Reauthentication.PageFor($"/Requests/{report}"), Browser.Location(responded));
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(RequestStatus.UnderReview, await db.Requests.Where(r => r.Id == report).Select(r => r.Status).SingleAsync(Ct));
            Assert.Equal(0, await db.Disclosures.CountAsync(d => d.RequestId == report, Ct));
        }
        Assert.Equal($"/Requests/{report}", await ReauthenticateAsync(sam, Sam, $"/Requests/{report}"));
        await AdvanceAsync(sam, report, "responded");
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(DisclosureBasis.AbuseReport, (await db.Disclosures.AsNoTracking().SingleAsync(d => d.RequestId == report, Ct)).Basis);
        }
    }

    [Fact]
    public async Task PracticeLogPage_IsPaged_WhileTheExportsHoldEverything()
    {
        var (clientId, _) = await SeedClientAsync("Paged Log Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice.", null));
        var samId = await app.UserIdAsync(Sam);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var log = scope.ServiceProvider.GetRequiredService<Data.Disclosures.DisclosureLog>();
            for (var i = 0; i < Pages.DisclosuresModel.PageSize + 1; i++)
            {
                await log.RecordAsync(new Data.Disclosures.NewDisclosure(DemoSeeder.PracticeId, clientId, DisclosureBasis.CourtOrder, new DateOnly(2026, 6, 1), $"Court {i}", null, "billing", "order", samId), Ct);
            }
            await db.SaveChangesAsync(Ct);
        }
        int total;
        await using (var db = app.NewDbContext())
        {
            total = await db.Disclosures.CountAsync(d => d.PracticeId == DemoSeeder.PracticeId, Ct);
        }
        using var owner = await app.SignedInAsync(Owner);
        var seen = 0;
        for (var page = 1; ; page++)
        {
            var html = await owner.GetPageAsync($"/Disclosures?p={page}");
            var rows = Regex.Matches(html, "data-disclosure=\"").Count;
            Assert.InRange(rows, 1, Pages.DisclosuresModel.PageSize);
            seen += rows;
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                break;
            }
            Assert.Equal(Pages.DisclosuresModel.PageSize, rows); // only the last page is short
        }
        Assert.Equal(total, seen);
        // The CSV export holds every entry (a header line, then one line each; no field here spans lines).
        var csv = await owner.GetPageAsync("/Disclosures?format=csv");
        Assert.Equal(total, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }

    [Fact]
    public async Task DisclosureLog_IsAppendOnly_UpdatesAndDeletesRefused()
    {
        var (clientId, _) = await SeedClientAsync("Append Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice.", null));
        var samId = await app.UserIdAsync(Sam);
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ConfideDbContext>().Scope.Use(DemoSeeder.PracticeId);
            var log = scope.ServiceProvider.GetRequiredService<Data.Disclosures.DisclosureLog>();
            var row = await log.RecordAsync(
                new Data.Disclosures.NewDisclosure(DemoSeeder.PracticeId, clientId, DisclosureBasis.CourtOrder, new DateOnly(2026, 6, 1), "Court", null, "billing", "order", samId),
                Ct
            );
            await scope.ServiceProvider.GetRequiredService<ConfideDbContext>().SaveChangesAsync(Ct);
            id = row.Id;
        }
        await using (var db = app.NewDbContext())
        {
            var row = await db.Disclosures.SingleAsync(d => d.Id == id, Ct);
            row.DisclosedOn = row.DisclosedOn.AddDays(-1);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }
        await using (var db = app.NewDbContext())
        {
            db.Disclosures.Remove(await db.Disclosures.SingleAsync(d => d.Id == id, Ct));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }
        // A correction is a new entry naming the old one; only the correction counts in the accounting.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ConfideDbContext>().Scope.Use(DemoSeeder.PracticeId);
            var log = scope.ServiceProvider.GetRequiredService<Data.Disclosures.DisclosureLog>();
            await log.RecordAsync(
                new Data.Disclosures.NewDisclosure(DemoSeeder.PracticeId, clientId, DisclosureBasis.CourtOrder, new DateOnly(2026, 6, 2), "Court, corrected", null, "billing", "order", samId) { CorrectsId = id },
                Ct
            );
            await scope.ServiceProvider.GetRequiredService<ConfideDbContext>().SaveChangesAsync(Ct);
            var system = await scope.ServiceProvider.GetRequiredService<Data.Access.ClientContent>().OpenSystemAsync("test", clientId, Ct);
            var all = await log.ReadAsync(system.Grant!, Ct);
            Assert.Equal(2, all.Count);
            Assert.Equal(["Court, corrected"], Accounting.ForClient(all.Select(s => s.Entry), DemoClock.Today).Select(e => e.Recipient));
        }
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(new DateOnly(2026, 6, 1), (await db.Disclosures.AsNoTracking().SingleAsync(d => d.Id == id, Ct)).DisclosedOn);
        }
    }

    [Fact]
    public async Task Scenario_PracticeLogHoldsExactlyTheDisclosuresMade_ClientAccountingExactlyWhat164528Requires()
    {
        var (clientId, items) = await SeedClientAsync(
            "Scenario Client (fictional)",
            (Category.Billing, new DateOnly(2026, 4, 1), "Invoice April SCENARIOBILL.", null),
            (Category.ProgressNotes, new DateOnly(2026, 4, 2), "Session SCENARIONOTE.", null)
        );
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var order = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        var authorization = await RecordRequestAsync(sam, clientId, Authorization(samId));
        var access = await RecordRequestAsync(sam, clientId, ClientAccessRequest(samId));
        var subpoena = await RecordRequestAsync(sam, clientId, RequestTests<TApp>.Subpoena(samId));
        var report = await RecordRequestAsync(sam, clientId, Report(samId));
        Assert.Equal(
            [Core.Triage.Outcome.ComplyWithOrder, Core.Triage.Outcome.DiscloseWithAuthorization, Core.Triage.Outcome.ClientAccess, Core.Triage.Outcome.AssertPrivilege, Core.Triage.Outcome.MandatedReport],
            [await OutcomeAsync(order), await OutcomeAsync(authorization), await OutcomeAsync(access), await OutcomeAsync(subpoena), await OutcomeAsync(report)]
        );

        Assert.Equal($"/Requests/{order}/Packet", await ReauthenticateAsync(sam, Sam, $"/Requests/{order}/Packet"));
        foreach (var request in new[] { order, authorization, access })
        {
            await BuildAsync(sam, request, ("include", items[0].Id.ToString()));
        }
        // The refused subpoena is answered (privilege asserted): nothing leaves, nothing is recorded.
        await AdvanceAsync(sam, subpoena, "under-review", "responded");
        // The report is made: marking it responded records it.
        await AdvanceAsync(sam, report, "under-review", "responded");

        await using (var db = app.NewDbContext())
        {
            var rows = await db.Disclosures.AsNoTracking().Where(d => d.ClientId == clientId).ToListAsync(Ct);
            Assert.Equal(
                [(order, DisclosureBasis.CourtOrder), (authorization, DisclosureBasis.ClientAuthorization), (access, DisclosureBasis.ToClient), (report, DisclosureBasis.AbuseReport)],
                rows.Select(r => (r.RequestId!.Value, r.Basis)).OrderBy(r => r.Basis switch { DisclosureBasis.CourtOrder => 0, DisclosureBasis.ClientAuthorization => 1, DisclosureBasis.ToClient => 2, _ => 3 })
            );
            Assert.DoesNotContain(rows, r => r.RequestId == subpoena);
        }

        // The practice log (owner): every disclosure of this client, none refused, as CSV and PDF.
        using var owner = await app.SignedInAsync(Owner);
        var log = Csv(await owner.GetPageAsync("/Disclosures?format=csv")).Where(r => r["client"] == clientId.ToString("D")).ToList();
        Assert.Equal(["court order", "client's authorization", "to the client", "mandated abuse report"], log.Select(r => r["basis"]).OrderBy(b => Array.IndexOf(["court order", "client's authorization", "to the client", "mandated abuse report"], b)));
        Assert.All(log, r => Assert.Equal("2026-06-15", r["date"]));
        Assert.Contains(log, r => r["recipient"] == "Example Family Medicine (fictional)" && r["recipient_address"] == "9 Clinic Way, Sacramento, CA");
        var logPdf = await owner.GetAsync("/Disclosures?format=pdf");
        Assert.Equal("application/pdf", logPdf.Content.Headers.ContentType?.MediaType);
        var logText = LeakScan.ExtractedText(await logPdf.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("Disclosure log", logText, StringComparison.Ordinal);
        Assert.Contains("Example Family Medicine (fictional)", logText, StringComparison.Ordinal);

        // The client's accounting (45 C.F.R. § 164.528): the order and the report only.
        var accounting = Csv(await sam.GetPageAsync($"/Clients/{clientId}/Accounting?format=csv"));
        Assert.Equal(["court order", "mandated abuse report"], accounting.Select(r => r["basis"]).Order(StringComparer.Ordinal));
        Assert.All(accounting, r => Assert.Equal(clientId.ToString("D"), r["client"]));
        var accountingPdf = await sam.GetAsync($"/Clients/{clientId}/Accounting?format=pdf");
        var accountingText = LeakScan.ExtractedText(await accountingPdf.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("Accounting of disclosures", accountingText, StringComparison.Ordinal);
        Assert.Contains("Scenario Client (fictional)", accountingText, StringComparison.Ordinal);
        Assert.Contains("Alder & Finch LLP", accountingText, StringComparison.Ordinal); // the order's recipient
        Assert.DoesNotContain("Example Family Medicine", accountingText, StringComparison.Ordinal); // under the client's authorization: left out
        var pageText = await sam.GetTextAsync($"/Clients/{clientId}/Accounting");
        Assert.Equal(2, Regex.Matches(pageText, "data-accounted=\"yes\"").Count);
        Assert.Equal(2, Regex.Matches(pageText, "data-accounted=\"no\"").Count);

        // Staff may read the log; a clinician may not (it names every client's disclosures).
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync("/Disclosures")).StatusCode);
        await using (var db = app.NewDbContext())
        {
            var exports = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.AccountingExport).Select(e => e.Detail!).ToListAsync(Ct);
            Assert.Contains(exports, d => d.StartsWith("scope=practice;format=csv", StringComparison.Ordinal));
            Assert.Contains(exports, d => d.StartsWith("scope=practice;format=pdf", StringComparison.Ordinal));
            Assert.Contains(exports, d => d.StartsWith("scope=client;format=csv;entries=2", StringComparison.Ordinal));
            Assert.Contains(exports, d => d.StartsWith("scope=client;format=pdf;entries=2", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Document_EditedThenFinalized_StoredEncryptedWithHashes_ListedAndDownloadable_NeverChanged()
    {
        var (clientId, _) = await SeedClientAsync("Editor Client (fictional)", (Category.Billing, new DateOnly(2026, 5, 1), "Invoice.", null));
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, RequestTests<TApp>.Subpoena(samId));
        var editor = $"/Requests/{requestId}/Document?kind=privilege-assertion-letter";
        Assert.Contains(editor, WebUtility.HtmlDecode(await sam.GetPageAsync($"/Requests/{requestId}")), StringComparison.Ordinal);
        var form = await sam.GetTextAsync(editor);
        var composed = WebUtility.HtmlDecode(Regex.Match(form, "<textarea[^>]*>\\n?(.*?)</textarea>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Contains("Alder & Finch LLP", composed, StringComparison.Ordinal); // the text as the composer wrote it, filled from the request
        var edited = composed.Replace("Alder & Finch LLP", "Alder & Finch LLP (EDITED-IN-APP)", StringComparison.Ordinal) + "\nA closing sentence added by the clinician.\n";
        var action = $"/Requests/{requestId}/Document?handler=Finalize&kind=privilege-assertion-letter";

        // Bad text: the line named, nothing stored.
        var bad = await sam.SubmitAsync(editor, action, ("text", "Hello\n\n#: a subtitle without a title"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("line 3: a subtitle", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.FinalizedDocuments.CountAsync(d => d.RequestId == requestId, Ct));
        }

        Assert.Equal($"/Requests/{requestId}#finalized", Browser.Location(await sam.SubmitAsync(editor, action, ("text", edited))));
        var final = $"/Requests/{requestId}/Document?handler=Final&kind=privilege-assertion-letter&version=1";
        var pdf = await (await sam.GetAsync(final + "&format=pdf")).Content.ReadAsByteArrayAsync(Ct);
        var docx = await (await sam.GetAsync(final + "&format=docx")).Content.ReadAsByteArrayAsync(Ct);
        var text = await (await sam.GetAsync(final + "&format=txt")).Content.ReadAsByteArrayAsync(Ct);
        Assert.Contains("(EDITED-IN-APP)", LeakScan.ExtractedText(pdf), StringComparison.Ordinal);
        Assert.Contains("A closing sentence added by the clinician.", LeakScan.ExtractedText(pdf), StringComparison.Ordinal);
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            Assert.Contains("(EDITED-IN-APP)", word.MainDocumentPart!.Document!.InnerText, StringComparison.Ordinal);
        }
        Assert.Equal(edited.Replace("\r\n", "\n", StringComparison.Ordinal), Encoding.UTF8.GetString(text).Replace("\r\n", "\n", StringComparison.Ordinal));

        var page = await sam.GetPageAsync($"/Requests/{requestId}");
        await using (var db = app.NewDbContext())
        {
            var row = await db.FinalizedDocuments.AsNoTracking().SingleAsync(d => d.RequestId == requestId, Ct);
            Assert.Equal((1, samId, Core.Triage.DocumentKind.PrivilegeAssertionLetter), (row.Version, row.FinalizedById, row.Kind));
            Assert.Equal(SHA256.HashData(pdf), row.PdfSha256);
            Assert.Equal(SHA256.HashData(docx), row.DocxSha256);
            Assert.Equal(SHA256.HashData(text), row.TextSha256);
            Assert.DoesNotContain("EDITED-IN-APP", Encoding.Latin1.GetString(row.TextCipher), StringComparison.Ordinal);
            Assert.Contains(Convert.ToHexStringLower(row.PdfSha256), page, StringComparison.Ordinal);
            Assert.Contains(Convert.ToHexStringLower(row.DocxSha256), page, StringComparison.Ordinal);
            // A finalized version is never changed: the context refuses, and editing again is version 2.
            var tracked = await db.FinalizedDocuments.SingleAsync(d => d.Id == row.Id, Ct);
            tracked.Version = 7;
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }
        var again = await sam.GetTextAsync(editor);
        Assert.Contains("finalized version 1", again, StringComparison.Ordinal);
        Assert.Contains("(EDITED-IN-APP)", again, StringComparison.Ordinal);
        Assert.Equal($"/Requests/{requestId}#finalized", Browser.Location(await sam.SubmitAsync(editor, action, ("text", edited + "\nVersion two.\n"))));
        await using (var db = app.NewDbContext())
        {
            var versions = await db.FinalizedDocuments.AsNoTracking().Where(d => d.RequestId == requestId).OrderBy(d => d.Version).ToListAsync(Ct);
            Assert.Equal([1, 2], versions.Select(v => v.Version));
            Assert.Equal(SHA256.HashData(pdf), versions[0].PdfSha256);
            Assert.Contains(await db.AuditEntries.AsNoTracking().Where(e => e.ClientId == clientId).Select(e => e.Action).ToListAsync(Ct), a => a == AuditActions.DocumentFinalize);
        }
        // Another clinician's request: a 404, not the editor.
        using var priya = await app.SignedInAsync(DemoSeeder.Accounts[2]);
        Assert.Equal(HttpStatusCode.NotFound, (await priya.GetAsync(editor)).StatusCode);
    }

    /// <summary>Moves a request through the given statuses from the request page (re-authenticating when recording a report asks for it).</summary>
    private static async Task AdvanceAsync(Browser browser, Guid requestId, params string[] statuses)
    {
        var path = $"/Requests/{requestId}";
        foreach (var to in statuses)
        {
            var html = await browser.GetPageAsync(path);
            var version = Regex.Match(html, "name=\"Version\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
            var response = await browser.PostAsync(path + "?handler=Status", ("to", to), ("Version", version), ("__RequestVerificationToken", Browser.Token(html)));
            Assert.Equal(path, Browser.Location(response));
        }
    }

    /// <summary>Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows by header.</summary>
    internal static List<Dictionary<string, string>> Csv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                throw new FormatException($"not RFC 4180 at character {i}");
            }
        }
        Assert.Empty(row);
        var header = rows[0];
        return rows.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
    }
}

public sealed class SqliteDisclosureTests(SqliteClockedDemoApp app) : DisclosureTests<SqliteClockedDemoApp>(app);

public sealed class PostgresDisclosureTests(PostgresClockedDemoApp app) : DisclosureTests<PostgresClockedDemoApp>(app);
