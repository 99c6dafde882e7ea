using System.Net;
using System.Security.Cryptography;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Packets;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// Hostile PDFs through the web app: every bomb refused at upload with an error on the file field
/// and nothing stored; a hostile file that reached the database anyway fails its packet with the
/// reason, audited, nothing disclosed; a file with scripts and attachments goes in without them.
/// </summary>
public abstract class HostilePdfTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Intake(Guid clientId) => $"/Requests/Intake?clientId={clientId}";

    [Fact]
    public async Task Upload_EachBomb_IsRefused_WithAnErrorOnTheFileField_AndNothingIsStored()
    {
        var ana = await DemoAccess.ClientIdAsync(app, "Ana Ferreira (fictional)");
        var fields = RequestTests<TApp>.Subpoena(await app.UserIdAsync(Sam));
        using var sam = await app.SignedInAsync(Sam);
        int before;
        await using (var db = app.NewDbContext())
        {
            before = await db.Requests.CountAsync(Ct) + await db.RequestFiles.CountAsync(Ct) + await db.Attachments.CountAsync(Ct);
        }
        foreach (var (name, bomb, cap) in new[]
        {
            ("nested.pdf", HostilePdfs.NestedArrays(), "nest deeper than 100 levels"),
            ("pages.pdf", HostilePdfs.PageTree(), "more than 5000 pages"),
            ("zip.pdf", HostilePdfs.ZipBomb(1), "inflate to more than 512 MB"),
        })
        {
            var response = await sam.SubmitMultipartAsync(Intake(ana), Intake(ana), fields, ("Upload", name, "application/pdf", bomb));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
            var error = System.Text.RegularExpressions.Regex.Match(page, "data-valmsg-for=\"Upload\"[^>]*>([^<]*)<");
            Assert.True(error.Success, $"{name}: no error on the Upload field");
            Assert.Contains("This PDF could not be read safely", error.Groups[1].Value, StringComparison.Ordinal);
            Assert.Contains(cap, error.Groups[1].Value, StringComparison.Ordinal);
        }

        // The record page's upload says the same.
        Guid itemId;
        await using (var db = app.NewDbContext())
        {
            itemId = await db.RecordItems.Where(r => r.ClientId == ana && r.Category == Category.Intake).Select(r => r.Id).SingleAsync(Ct);
        }
        var recordPath = $"/Clients/{ana}/Records/{itemId}";
        var token = Browser.Token(await sam.GetPageAsync(recordPath));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(HostilePdfs.NestedArrays());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "nested.pdf");
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var record = await sam.PostAsync($"{recordPath}?handler=Upload", form);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
        Assert.Contains("This PDF could not be read safely", WebUtility.HtmlDecode(await record.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);

        await using (var db = app.NewDbContext())
        {
            Assert.Equal(before, await db.Requests.CountAsync(Ct) + await db.RequestFiles.CountAsync(Ct) + await db.Attachments.CountAsync(Ct));
        }
        // Nothing of the scans is left in the scratch directory.
        var scratch = app.Services.GetRequiredService<Documents.Sandbox.PdfChildProcess>().ScratchRoot;
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Fact]
    public async Task Upload_AFileWithScriptsAndAttachments_IsStored_AndItsPacketCarriesNoneOfThem()
    {
        const string Hidden = "ZqxActiveHidden41";
        var pdf = HostilePdfs.ActiveContent("ActiveVisibleWord", Hidden);
        var packetId = await PacketAsync(app, pdf, PacketStatus.Queued, 0);
        await RunAsync(packetId);
        await using var db = app.NewDbContext();
        var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
        Assert.Equal(PacketStatus.Done, packet.Status);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ConfideDbContext>().Scope.Use(DemoSeeder.PracticeId); // on PostgreSQL the keys are read as the practice
        var bytes = await scope.ServiceProvider.GetRequiredService<RecordCipher>().DecryptAsync(EncryptedFields.PacketPdf(packet), packet.PdfCipher!, Ct);
        Assert.Contains("ActiveVisibleWord", LeakScan.ExtractedText(bytes), StringComparison.Ordinal);
        Assert.Empty(LeakScan.Find(bytes, [Hidden, "JavaScript", "EmbeddedFile"]));
    }

    [Fact]
    public async Task Packet_FromBombsThatReachedTheDatabase_FailsWithTheReason_Audited_NothingDisclosed()
    {
        foreach (var (bomb, reason) in new[]
        {
            (HostilePdfs.NestedArrays(), "unsafe-pdf.refused-nesting"),
            (HostilePdfs.PageTree(), "unsafe-pdf.refused-pages"),
            (HostilePdfs.ZipBomb(1), "unsafe-pdf.refused-decompressed"),
            (HostilePdfs.Truncated(HostilePdfs.ActiveContent("a", "b")), "unsafe-pdf.crashed"),
        })
        {
            var packetId = await PacketAsync(app, bomb, PacketStatus.Queued, 0);
            await RunAsync(packetId);
            await using var db = app.NewDbContext();
            var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
            Assert.Equal((PacketStatus.Failed, reason), (packet.Status, packet.Failure));
            Assert.Null(packet.PdfCipher);
            Assert.Null(packet.ManifestCipher);
            Assert.False(await db.Disclosures.AnyAsync(d => d.PacketId == packetId, Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PacketFailed && e.TargetId == packetId.ToString("N") && e.Detail == $"failure={reason}", Ct));
        }
    }

    private async Task RunAsync(Guid packetId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PacketBuildRun>().RunAsync(DemoSeeder.PracticeId, packetId, Ct);
    }

    /// <summary>
    /// A packet of one billing item whose attachment is <paramref name="pdf"/>, stored directly as
    /// the record page stores attachments (so no upload check ran), for a court order to disclose
    /// billing recorded through the intake page; the packet is left as <paramref name="status"/>
    /// after <paramref name="attempts"/> builds.
    /// </summary>
    internal static async Task<Guid> PacketAsync(AppFactory app, byte[] pdf, PacketStatus status, int attempts)
    {
        var samId = await app.UserIdAsync(Sam);
        Guid clientId;
        Guid attachmentId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var client = new Client { PracticeId = DemoSeeder.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
            client.NameCipher = await cipher.EncryptAsync(EncryptedFields.ClientName(client), "Hostile Upload Client (fictional)", Ct);
            db.Clients.Add(client);
            db.ClientAssignments.Add(new ClientAssignment { ClientId = client.Id, ClinicianId = samId });
            var item = new RecordItem { ClientId = client.Id, Category = Category.Billing, Date = new DateOnly(2026, 5, 1), AuthorId = samId, ContentCipher = [] };
            item.ContentCipher = await cipher.EncryptAsync(EncryptedFields.RecordItemContent(client, item), "Scanned statement.", Ct);
            db.RecordItems.Add(item);
            var a = new Attachment { RecordItemId = item.Id, ClientId = client.Id, FileNameCipher = [], ContentType = "application/pdf", Size = pdf.Length, Sha256 = SHA256.HashData(pdf), ContentCipher = [] };
            a.FileNameCipher = await cipher.EncryptAsync(EncryptedFields.AttachmentName(client, a), "statement.pdf", Ct);
            a.ContentCipher = await cipher.EncryptAsync(EncryptedFields.AttachmentContent(client, a), pdf, Ct);
            db.Attachments.Add(a);
            await db.SaveChangesAsync(Ct);
            (clientId, attachmentId) = (client.Id, a.Id);
        }
        var order = RequestTests<TApp>.With(
            RequestTests<TApp>.With(RequestTests<TApp>.With(RequestTests<TApp>.Subpoena(samId), "Input.Instrument", "court-order"), "Input.OrderSignedByJudge", "true"),
            "Input.OrderCategories",
            "billing"
        );
        using var sam = await app.SignedInAsync(Sam);
        var requestId = RequestTests<TApp>.RequestIdFrom(await sam.SubmitAsync(Intake(clientId), Intake(clientId), [.. order]));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var determination = await db.RequestDeterminations.Where(d => d.RequestId == requestId).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstAsync(Ct);
            var packet = new Packet
            {
                PracticeId = DemoSeeder.PracticeId,
                ClientId = clientId,
                RequestId = requestId,
                DeterminationId = determination,
                Status = status,
                BuildAttempts = attempts,
                ReviewCipher = [],
                CreatedById = samId,
            };
            var review = new PacketReview("Court", null, "Court order", "Demo practice", "Sam", [new ReviewItem(attachmentId, true, [], "whole", [])]);
            packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), Ct);
            db.Packets.Add(packet);
            await db.SaveChangesAsync(Ct);
            return packet.Id;
        }
    }
}

public sealed class SqliteHostilePdfTests(SqliteClockedDemoApp app) : HostilePdfTests<SqliteClockedDemoApp>(app);

public sealed class PostgresHostilePdfTests(PostgresClockedDemoApp app) : HostilePdfTests<PostgresClockedDemoApp>(app);
