using System.Net;
using System.Security.Cryptography;
using System.Text;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Packets;
using Confide.Web.Features.Releases;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Confide.Web.Tests;

/// <summary>
/// Issue 10, items 3 and 4, on the release tests' demo practice: consent is checked again when records
/// leave (packet review, build start, the worker), a revocation flags the open requests that relied on
/// the release ("re-check needed": queue, request page, owner's home) until they are triaged again;
/// the revocation link asks for the client's date of birth and locks after a few wrong answers; refused
/// portal requests and old failure rows stay bounded.
/// </summary>
public abstract partial class ReleaseTests<TApp>
    where TApp : AppFactory
{
    private const string BornOn = "1990-01-01"; // NewClientAsync's date of birth

    /// <summary>A client with one progress note, a signed release to the subpoena's firm, and a subpoena that the release covers.</summary>
    private async Task<(Guid Client, Guid Release, Guid Request, Guid Item, string RevokeToken)> CoveredRequestAsync(Browser sam, string name, string mark)
    {
        var client = await NewClientAsync(sam, $"{name} (fictional)");
        var added = await sam.SubmitAsync($"/Clients/{client}", $"/Clients/{client}?handler=Record", ("item.Category", "progress-notes"), ("item.Date", D(Today.AddDays(-10))), ("item.Content", $"Session note {mark}."));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var release = await DraftAsync(sam, client, Today.AddDays(200));
        var (_, revoke) = await SignBothAsync(app, await SendAsync(sam, release), name);
        var request = await RecordSubpoenaAsync(sam, client);
        Assert.Contains("data-outcome=\"disclose-with-authorization\"", await sam.GetTextAsync($"/Requests/{request}"), StringComparison.Ordinal);
        await using var db = app.NewDbContext();
        var item = await db.RecordItems.AsNoTracking().Where(i => i.ClientId == client).Select(i => i.Id).SingleAsync(Ct);
        return (client, release, request, item, revoke);
    }

    private async Task<HttpResponseMessage> RevokeAsync(Browser anon, string revokeToken, string name, string bornOn)
    {
        var page = $"/portal/{revokeToken}";
        return await anon.SubmitAsync(page, $"{page}?handler=Revoke", ("TypedName", name), ("DateOfBirth", bornOn), ("Confirm", "true"));
    }

    [Fact]
    public async Task RevokedAfterTriage_ReviewAndBuildRefused_RequestFlaggedWithWhy_OwnersHomeListsIt_TriageClearsIt()
    {
        using var sam = await app.SignedInAsync(Sam);
        var (_, release, request, item, revokeToken) = await CoveredRequestAsync(sam, "Noor Haddad", "CONSENTREVIEWMARK");
        var packet = $"/Requests/{request}/Packet";
        Assert.Equal(packet, await DisclosureTests<TApp>.ReauthenticateAsync(sam, Sam, packet));
        var before = await sam.GetTextAsync(packet);
        Assert.Contains("CONSENTREVIEWMARK", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-refused\"", before, StringComparison.Ordinal);

        // The client revokes through the revocation link: a wrong date of birth revokes nothing, the right one does.
        using var anon = new Browser(app);
        var wrong = WebUtility.HtmlDecode(await (await RevokeAsync(anon, revokeToken, "Noor Haddad", "1991-02-03")).Content.ReadAsStringAsync(Ct));
        Assert.Contains("That date of birth does not match our records. Nothing was revoked.", wrong, StringComparison.Ordinal);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(ReleaseStatus.Signed, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == release, Ct)).Status);
            Assert.Null((await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).RecheckReason);
        }
        var revoked = await RevokeAsync(anon, revokeToken, "Noor Haddad", BornOn);
        Assert.Contains("This release is revoked", await revoked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The revocation flagged the open request that relied on it, audited.
        await using (var db = app.NewDbContext())
        {
            var row = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct);
            Assert.StartsWith("The client revoked the general release signed", row.RecheckReason, StringComparison.Ordinal);
            Assert.NotNull(row.RecheckSince);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RequestRecheck && e.TargetId == request.ToString("N") && e.Detail == $"release={release:N};cause=revoked", Ct));
        }

        // Packet review proposes nothing and says why.
        var review = await sam.GetTextAsync(packet);
        Assert.Contains("id=\"consent-refused\"", review, StringComparison.Ordinal);
        Assert.Contains("The client revoked the general release", review, StringComparison.Ordinal);
        Assert.DoesNotContain("CONSENTREVIEWMARK", review, StringComparison.Ordinal);
        // A build posted from a page opened before the revocation is refused: 409, nothing queued.
        var build = await sam.SubmitAsync($"/Requests/{request}", $"{packet}?handler=Build", ("include", item.ToString()));
        Assert.Equal(HttpStatusCode.Conflict, build.StatusCode);
        Assert.Contains("The client revoked the general release", WebUtility.HtmlDecode(await build.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.Packets.AnyAsync(p => p.RequestId == request, Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ConsentRefused && e.TargetId == request.ToString("N") && e.Detail!.Contains($"stage=review;failing={release:N}:revoked"), Ct));
        }

        // The request's page and the queue say "re-check needed", with why.
        var detail = await sam.GetTextAsync($"/Requests/{request}");
        Assert.Contains("id=\"recheck\"", detail, StringComparison.Ordinal);
        Assert.Contains("The client revoked the general release", detail, StringComparison.Ordinal);
        var queueRow = "";
        for (var p = 1; p <= 20 && queueRow.Length == 0; p++)
        {
            queueRow = System.Text.RegularExpressions.Regex.Match(await sam.GetTextAsync($"/Requests?p={p}"), $"data-request=\"{request}\"(?s:(?!</tr>).)*</tr>").Value;
        }
        Assert.Contains("re-check needed", queueRow, StringComparison.Ordinal);
        // The owner's home lists it.
        using (var owner = await app.SignedInAsync(DemoSeeder.Accounts[0]))
        {
            var home = await owner.GetTextAsync("/Home");
            Assert.Contains("id=\"rechecks\"", home, StringComparison.Ordinal);
            Assert.Matches($"id=\"rechecks\"(?s:.)*data-request=\"{request}\"", home);
        }

        // Triaged again: no release is used any more, and the flag is cleared.
        await using (var db = app.NewDbContext())
        {
            var version = (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).Version;
            Assert.Equal(HttpStatusCode.Redirect, (await sam.SubmitAsync($"/Requests/{request}", $"/Requests/{request}?handler=Retriage", ("Version", version.ToString()))).StatusCode);
            var row = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct);
            Assert.Equal((Core.Triage.Outcome.AssertPrivilege, null, null), (row.Outcome, row.RecheckReason, row.RecheckSince));
        }
        Assert.DoesNotContain("id=\"recheck\"", await sam.GetTextAsync($"/Requests/{request}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrittenRevocationRecordedByThePractice_FlagsTheOpenRequestsThatReliedOnIt()
    {
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var (_, release, request, _, _) = await CoveredRequestAsync(sam, "Ada Mwangi", "CONSENTSTAFFMARK");
        var page = $"/Releases/{release}";
        var missing = await sam.SubmitAsync(page, $"{page}?handler=Revoke", ("ClientName", ""), ("Confirm", "true"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("Type the client's name as they signed the written revocation.", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        var recorded = await sam.SubmitAsync(page, $"{page}?handler=Revoke", ("ClientName", "Ada Mwangi"), ("Confirm", "true"));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        await using var db = app.NewDbContext();
        Assert.Equal(ReleaseStatus.Revoked, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == release, Ct)).Status);
        Assert.StartsWith("The client revoked the general release", (await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).RecheckReason, StringComparison.Ordinal);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ReleaseRevoke && e.TargetId == release.ToString("N") && e.ActorUserId == samId && e.Detail == "by=practice", Ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RequestRecheck && e.TargetId == request.ToString("N"), Ct));
        Assert.Contains("id=\"recheck\"", await sam.GetTextAsync($"/Requests/{request}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedBetweenReviewAndBuild_BuildStartRefuses_NothingQueued()
    {
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var (client, release, request, item, revokeToken) = await CoveredRequestAsync(sam, "Ilse Brandt", "CONSENTBUILDMARK");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId);
        var grant = (await scope.ServiceProvider.GetRequiredService<ClientContent>().OpenAsync(new Reader(samId, DemoSeeder.PracticeId, false, true, false), client, ContentPurpose.Record, null, Ct)).Grant!;
        var packets = scope.ServiceProvider.GetRequiredService<PacketService>();
        var requestRow = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct);
        var proposal = await packets.ProposeAsync(grant, requestRow, await db.Clients.AsNoTracking().SingleAsync(c => c.Id == client, Ct), Ct);
        Assert.True(proposal.Consent.Holds);
        Assert.Contains(proposal.Items, i => i.Id == item);

        using var anon = new Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(anon, revokeToken, "Ilse Brandt", BornOn)).StatusCode);

        var refused = await Assert.ThrowsAsync<ConsentRefusedException>(() => packets.CreateAsync(samId, requestRow, proposal, [new ReviewItem(item, false, [], null, [])], null, Ct));
        Assert.Equal([(release, "revoked")], refused.Result.Problems.Select(p => (p.ReleaseId!.Value, p.Code)));
        await using var check = app.NewDbContext();
        Assert.False(await check.Packets.AnyAsync(p => p.RequestId == request, Ct));
        Assert.NotNull((await check.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).RecheckReason);
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == AuditActions.ConsentRefused && e.TargetId == request.ToString("N") && e.Detail!.Contains("stage=build"), Ct));
    }

    [Fact]
    public async Task RevokedAfterThePacketWasQueued_TheWorkerStops_DisclosingNothing_Audited()
    {
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var (client, release, request, item, revokeToken) = await CoveredRequestAsync(sam, "Tomas Okafor", "CONSENTWORKERMARK");
        Guid packetId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Queued as the packet page queues it (the worker is not told: the test runs the build itself).
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            db.Scope.Use(DemoSeeder.PracticeId);
            var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
            var determination = await db.RequestDeterminations.Where(d => d.RequestId == request).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstAsync(Ct);
            var packet = new Packet { PracticeId = DemoSeeder.PracticeId, ClientId = client, RequestId = request, DeterminationId = determination, Status = PacketStatus.Queued, ReviewCipher = [], CreatedById = samId };
            var review = new PacketReview(Recipient, null, "The client's written authorization", "Demo practice", "Sam", [new ReviewItem(item, false, [], null, [])]);
            packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), Ct);
            db.Packets.Add(packet);
            await db.SaveChangesAsync(Ct);
            packetId = packet.Id;
        }
        using var anon = new Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(anon, revokeToken, "Tomas Okafor", BornOn)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PacketBuildRun>().RunAsync(DemoSeeder.PracticeId, packetId, Ct);
        }
        await using (var db = app.NewDbContext())
        {
            var packet = await db.Packets.AsNoTracking().SingleAsync(p => p.Id == packetId, Ct);
            Assert.Equal((PacketStatus.Failed, "consent-refused"), (packet.Status, packet.Failure));
            Assert.Null(packet.PdfCipher);
            Assert.Null(packet.ManifestCipher);
            Assert.False(await db.Disclosures.AnyAsync(d => d.ClientId == client, Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PacketFailed && e.TargetId == packetId.ToString("N") && e.Detail == "failure=consent-refused", Ct));
            Assert.True(
                await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ConsentRefused && e.TargetId == request.ToString("N") && e.Detail!.Contains($"stage=worker;failing={release:N}:revoked;packet={packetId:N}"), Ct)
            );
            Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PacketBuilt && e.TargetId == packetId.ToString("N"), Ct));
            Assert.NotNull((await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).RecheckReason);
        }
        var shown = $"/Requests/{request}/Packet?packetId={packetId}";
        Assert.Equal(shown, await DisclosureTests<TApp>.ReauthenticateAsync(sam, Sam, shown));
        Assert.Contains("Consent no longer holds", await sam.GetTextAsync(shown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevocationLink_WrongDatesOfBirthLockIt_ReplayedAndForgedLinksAreRefused_AndCountedWithoutARowEach()
    {
        using var sam = await app.SignedInAsync(Sam);
        var client = await NewClientAsync(sam, "Lena Sorensen (fictional)");
        var release = await DraftAsync(sam, client, Today.AddDays(200));
        var (copyToken, revokeToken) = await SignBothAsync(app, await SendAsync(sam, release), "Lena Sorensen");
        var prefix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(revokeToken)))[..8];
        using var anon = new Browser(app);
        var token = Browser.Token(await anon.GetPageAsync($"/portal/{revokeToken}"));
        // A revocation without a date of birth is refused, naming the field.
        var none = await anon.SubmitAsync($"/portal/{revokeToken}", $"/portal/{revokeToken}?handler=Revoke", ("TypedName", "Lena Sorensen"), ("Confirm", "true"));
        Assert.Contains("Enter your date of birth as YYYY-MM-DD.", WebUtility.HtmlDecode(await none.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        for (var i = 1; i < ReleaseService.MaxSecondChecks; i++)
        {
            var wrong = await RevokeAsync(anon, revokeToken, "Lena Sorensen", $"19{60 + i}-05-0{i}");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        // The last wrong answer locks the link: from then on it is the plain 404, even with the right date.
        var last = await anon.SubmitAsync($"/portal/{revokeToken}", $"/portal/{revokeToken}?handler=Revoke", ("TypedName", "Lena Sorensen"), ("DateOfBirth", "1959-12-31"), ("Confirm", "true"));
        Assert.Equal(HttpStatusCode.NotFound, last.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/portal/{revokeToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync($"/portal/{copyToken}")).StatusCode); // the copy link is a link of its own
        for (var i = 0; i < 30; i++)
        {
            var replay = await anon.PostAsync($"/portal/{revokeToken}?handler=Revoke", ("TypedName", "Lena Sorensen"), ("DateOfBirth", BornOn), ("Confirm", "true"), ("__RequestVerificationToken", token));
            Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        }
        // Forged revocation links: refused the same way.
        var since = new DateTimeOffset(Clock.GetUtcNow().UtcTicks / PortalFailureCounter.Window.Ticks * PortalFailureCounter.Window.Ticks, TimeSpan.Zero);
        for (var i = 0; i < 40; i++)
        {
            var forged = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var response = await anon.PostAsync($"/portal/{forged}?handler=Revoke", ("TypedName", "Lena Sorensen"), ("DateOfBirth", BornOn), ("Confirm", "true"), ("__RequestVerificationToken", token));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await using var db = app.NewDbContext();
        Assert.Equal(ReleaseStatus.Signed, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == release, Ct)).Status);
        var link = await db.PortalTokens.AsNoTracking().SingleAsync(t => t.ReleaseId == release && t.Purpose == PortalTokenPurpose.Revoke, Ct);
        Assert.Equal(ReleaseService.MaxSecondChecks, link.FailedChecks);
        Assert.NotNull(link.LockedAt);
        var refusals = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.PortalRefused && e.TargetId == release.ToString("N")).OrderBy(e => e.Sequence).Select(e => e.Detail).ToListAsync(Ct);
        // One entry per wrong answer (at most MaxSecondChecks), then one for the locked link in this hour, not one per replay.
        Assert.Equal(
            [.. Enumerable.Repeat($"token={prefix};reason=second-check", ReleaseService.MaxSecondChecks - 1), $"token={prefix};reason=locked", $"token={prefix};reason=locked"],
            refusals
        );
        // 30 replays and 40 forgeries: counted in memory, at most one row per kind this hour.
        var counter = app.Services.GetRequiredService<PortalFailureCounter>();
        Assert.True(counter.InWindow("locked") >= 30);
        Assert.True(counter.InWindow("unknown") >= 40);
        Assert.Equal(1, await db.PortalFailures.CountAsync(f => f.Reason == "locked" && f.HashPrefix == prefix, Ct));
        Assert.InRange(await db.PortalFailures.CountAsync(f => f.Reason == "unknown" && f.At >= since, Ct), 0, 1);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ReleaseRevoke && e.TargetId == release.ToString("N"), Ct));
    }

    [Fact]
    public async Task PortalFailureRetention_DeletesRowsOlderThanThePeriod_KeepsNewerOnes()
    {
        var now = Clock.GetUtcNow();
        const string old = "aaaaaaaa";
        await using (var db = app.NewDbContext())
        {
            db.PortalFailures.Add(new PortalFailure { At = now.AddDays(-31), Reason = "expired", HashPrefix = old });
            db.PortalFailures.Add(new PortalFailure { At = now.AddDays(-29), Reason = "expired", HashPrefix = "cccccccc" });
            await db.SaveChangesAsync(Ct);
        }
        var retention = app.Services.GetServices<IHostedService>().OfType<PortalFailureRetention>().Single();
        Assert.True(await retention.RunOnceAsync(Ct) >= 1);
        await using var check = app.NewDbContext();
        Assert.False(await check.PortalFailures.AnyAsync(f => f.HashPrefix == old, Ct));
        Assert.True(await check.PortalFailures.AnyAsync(f => f.HashPrefix == "cccccccc", Ct));
    }
}
