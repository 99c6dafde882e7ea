using System.Threading.Channels;

namespace Confide.Web.Packets;

/// <summary>Packets waiting to be built, by id: the page enqueues after saving the packet row; <see cref="PacketWorker"/> reads.</summary>
public sealed class PacketQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid packetId) => _channel.Writer.TryWrite(packetId);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
