using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Documents.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Packets;

/// <summary>
/// Builds queued packets in the background, one at a time, off the request threads: a packet of a
/// thousand pages takes seconds. Every build is counted (<see cref="Packet.BuildAttempts"/>) before
/// it starts. Packets left queued by a stopped app are built at start; one left half-built (its
/// build was interrupted) is tried again only while it has had at most
/// <c>Confide:PacketBuildRetries</c> retries (default 2), then marked failed
/// (<c>build-interrupted</c>, audited), so nothing can stop the app at every start. Logs carry packet
/// ids and exception types only, never client content.
/// </summary>
public sealed partial class PacketWorker(IServiceScopeFactory scopes, PacketQueue queue, IConfiguration configuration, PdfChildProcess pdfs, ILogger<PacketWorker> log) : BackgroundService
{
    /// <summary>The failure code of a packet whose build was interrupted more often than it may be retried.</summary>
    public const string Interrupted = "build-interrupted";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = pdfs; // made (and its scratch directory swept) before any build starts
        var retries = PdfSafety.BuildRetries(configuration);
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var packet in await FoundAsync(scope.ServiceProvider.GetRequiredService<ConfideDbContext>(), stoppingToken))
                {
                    if (packet.Interrupted && packet.Attempts > retries)
                    {
                        await using var failing = scopes.CreateAsyncScope();
                        await FailInterruptedAsync(failing.ServiceProvider, packet, stoppingToken);
                        LogGaveUp(packet.Id, packet.Attempts);
                        continue;
                    }
                    queue.Enqueue(packet.PracticeId, packet.Id);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            LogResumeFailed(ex.GetType().Name); // no table yet (a database being created): nothing to resume
        }
        await foreach (var (practiceId, id) in queue.ReadAllAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await CountAttemptAsync(scope.ServiceProvider.GetRequiredService<ConfideDbContext>(), practiceId, id, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<PacketBuildRun>().RunAsync(practiceId, id, stoppingToken);
            }
#pragma warning disable CA1031 // one packet's unexpected failure must not stop the builds of the others
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogUnexpected(id, ex.GetType().Name);
            }
        }
    }

    /// <summary>One more build of the packet, saved before it starts (so an interrupted one counts).</summary>
    internal static async Task CountAttemptAsync(ConfideDbContext db, Guid practiceId, Guid packetId, CancellationToken ct)
    {
        db.Scope.Use(practiceId);
        await db.Packets.Where(p => p.Id == packetId && p.PracticeId == practiceId && (p.Status == PacketStatus.Queued || p.Status == PacketStatus.Building))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BuildAttempts, p => p.BuildAttempts + 1), ct);
    }

    /// <summary>Marks a packet whose builds were interrupted too often failed, audited, nothing else written.</summary>
    private static async Task FailInterruptedAsync(IServiceProvider services, UnfinishedPacket found, CancellationToken ct)
    {
        var db = services.GetRequiredService<ConfideDbContext>();
        db.Scope.Use(found.PracticeId);
        var packet = await db.Packets.FirstAsync(p => p.Id == found.Id && p.PracticeId == found.PracticeId, ct);
        packet.Status = PacketStatus.Failed;
        packet.Failure = Interrupted;
        packet.CompletedAt = services.GetRequiredService<TimeProvider>().GetUtcNow();
        services.GetRequiredService<IAuditTrail>().Add(packet.PracticeId, packet.CreatedById, AuditEvent.PacketFailed(packet));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The packets left queued or half-built, with their practices.</summary>
    internal static async Task<IReadOnlyList<QueuedPacket>> UnfinishedAsync(ConfideDbContext db, CancellationToken ct) =>
        [.. (await FoundAsync(db, ct)).Select(p => new QueuedPacket(p.PracticeId, p.Id))];

    /// <summary>
    /// The packets left queued or half-built, with their practices and attempts: practice by
    /// practice, because row-level security shows each practice's packets only under its own setting.
    /// </summary>
    internal static async Task<IReadOnlyList<UnfinishedPacket>> FoundAsync(ConfideDbContext db, CancellationToken ct)
    {
        var found = new List<UnfinishedPacket>();
        foreach (var practiceId in await db.Practices.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct))
        {
            db.Scope.Use(practiceId);
            found.AddRange(
                (
                    await db.Packets.Where(p => p.PracticeId == practiceId && (p.Status == PacketStatus.Queued || p.Status == PacketStatus.Building))
                        .Select(p => new { p.Id, p.Status, p.BuildAttempts })
                        .ToListAsync(ct)
                ).Select(p => new UnfinishedPacket(practiceId, p.Id, p.Status == PacketStatus.Building, p.BuildAttempts))
            );
        }
        return found;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Packet {PacketId}: unexpected failure ({Error})")]
    private partial void LogUnexpected(Guid packetId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packets to resume could not be read ({Error})")]
    private partial void LogResumeFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packet {PacketId}: its build was interrupted after {Attempts} attempts; marked failed")]
    private partial void LogGaveUp(Guid packetId, int attempts);
}

/// <summary>A packet found queued or half-built (<paramref name="Interrupted"/>) at start, with the builds it had.</summary>
internal readonly record struct UnfinishedPacket(Guid PracticeId, Guid Id, bool Interrupted, int Attempts);
