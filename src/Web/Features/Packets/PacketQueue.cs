using System.Threading.Channels;

namespace Confide.Web.Features.Packets;

/// <summary>A packet to build and the practice it belongs to (the build's database work runs for that practice: row-level security).</summary>
public readonly record struct QueuedPacket(Guid PracticeId, Guid PacketId);

/// <summary>Packets waiting to be built, by practice and id: the page enqueues after saving the packet row; <see cref="PacketWorker"/> reads.</summary>
public sealed class PacketQueue
{
    private readonly Channel<QueuedPacket> _channel = Channel.CreateUnbounded<QueuedPacket>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid practiceId, Guid packetId) => _channel.Writer.TryWrite(new QueuedPacket(practiceId, packetId));

    public IAsyncEnumerable<QueuedPacket> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
