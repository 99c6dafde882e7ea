namespace Confide.Web.Features.Releases;

/// <summary>
/// Counts refused portal requests in memory (singleton), so a flood of them costs no row each. Within
/// a window (<see cref="Window"/>, one hour) a kind of failure is written to <c>PortalFailures</c>
/// (and, for a known link, to the practice's audit) once: the first time. A kind is the reason plus,
/// for a link that exists, its practice and hash prefix (links are made by the practice, not by the
/// caller, so their number is not the caller's to grow); every unknown token is one kind per reason.
/// So the table holds at most (reasons + failing real links) rows per window, and
/// <see cref="Hosting.PortalFailureRetention"/> deletes windows older than the retention period.
/// The counts themselves (how many of each reason in the current window and since start) are here.
/// </summary>
public sealed class PortalFailureCounter(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>At most this many kinds are remembered per window; past it, failures are counted but not written.</summary>
    public const int MaxKinds = 10_000;

    private readonly Lock _lock = new();
    private readonly HashSet<(string Reason, Guid? Practice, string? Prefix)> _written = [];
    private readonly Dictionary<string, long> _inWindow = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _total = new(StringComparer.Ordinal);
    private long _window = long.MinValue;

    /// <summary>
    /// Counts one failure; true when it is the first of its kind in the current window (the caller
    /// writes its one row). <paramref name="practiceId"/> and <paramref name="hashPrefix"/> only for a link that exists.
    /// </summary>
    public bool Count(string reason, Guid? practiceId = null, string? hashPrefix = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var window = time.GetUtcNow().UtcTicks / Window.Ticks;
        lock (_lock)
        {
            if (window != _window)
            {
                _window = window;
                _written.Clear();
                _inWindow.Clear();
            }
            _inWindow[reason] = _inWindow.GetValueOrDefault(reason) + 1;
            _total[reason] = _total.GetValueOrDefault(reason) + 1;
            return _written.Count < MaxKinds && _written.Add((reason, practiceId, practiceId is null ? null : hashPrefix));
        }
    }

    /// <summary>Failures of <paramref name="reason"/> in the current window.</summary>
    public long InWindow(string reason)
    {
        lock (_lock)
        {
            return time.GetUtcNow().UtcTicks / Window.Ticks == _window ? _inWindow.GetValueOrDefault(reason) : 0;
        }
    }

    /// <summary>Failures of <paramref name="reason"/> since the app started.</summary>
    public long Total(string reason)
    {
        lock (_lock)
        {
            return _total.GetValueOrDefault(reason);
        }
    }
}
