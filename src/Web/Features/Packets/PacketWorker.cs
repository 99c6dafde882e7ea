using Confide.Data;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Packets;

/// <summary>
/// Builds queued packets in the background, one at a time, off the request threads: a packet of a
/// thousand pages takes seconds. Packets left queued or half-built by a stopped app are built again at
/// start. Logs carry packet ids and exception types only, never client content.
/// </summary>
public sealed partial class PacketWorker(IServiceScopeFactory scopes, PacketQueue queue, ILogger<PacketWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var (practiceId, id) in await UnfinishedAsync(scope.ServiceProvider.GetRequiredService<ConfideDbContext>(), stoppingToken))
                {
                    queue.Enqueue(practiceId, id);
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

    /// <summary>
    /// The packets left queued or half-built, with their practices: practice by practice, because
    /// row-level security shows each practice's packets only under its own setting.
    /// </summary>
    internal static async Task<IReadOnlyList<QueuedPacket>> UnfinishedAsync(ConfideDbContext db, CancellationToken ct)
    {
        var found = new List<QueuedPacket>();
        foreach (var practiceId in await db.Practices.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct))
        {
            db.Scope.Use(practiceId);
            found.AddRange(
                (await db.Packets.Where(p => p.PracticeId == practiceId && (p.Status == PacketStatus.Queued || p.Status == PacketStatus.Building)).Select(p => p.Id).ToListAsync(ct)).Select(id => new QueuedPacket(practiceId, id))
            );
        }
        return found;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Packet {PacketId}: unexpected failure ({Error})")]
    private partial void LogUnexpected(Guid packetId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packets to resume could not be read ({Error})")]
    private partial void LogResumeFailed(string error);
}
