using Confide.Data;
using Confide.Data.Audit;

namespace Confide.Web.Hosting;

/// <summary>
/// When the web app writes signed audit checkpoints into the database: <c>Audit:CheckpointInterval</c>
/// (default one hour) after a practice's last checkpoint, or as soon as <c>Audit:CheckpointEveryEntries</c>
/// (default 1,000) entries were appended since; a practice with entries and no checkpoint gets one at
/// the first look. The service looks every <c>min(interval, 1 minute)</c>.
/// </summary>
internal sealed record AuditCheckpointSettings(TimeSpan Interval, long EveryEntries)
{
    public const string IntervalKey = "Audit:CheckpointInterval";
    public const string EveryEntriesKey = "Audit:CheckpointEveryEntries";

    public TimeSpan Poll => Interval < TimeSpan.FromMinutes(1) ? Interval : TimeSpan.FromMinutes(1);

    /// <exception cref="InvalidOperationException">A value that is not a positive time span or count; the message names the key.</exception>
    public static AuditCheckpointSettings From(IConfiguration configuration)
    {
        var interval = TimeSpan.FromHours(1);
        if (configuration[IntervalKey] is { Length: > 0 } text)
        {
            if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out interval) || interval <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"Configuration key {IntervalKey} is '{text}': expected a positive time span such as 01:00:00.");
            }
        }
        long every = 1000;
        if (configuration[EveryEntriesKey] is { Length: > 0 } count)
        {
            if (!long.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out every) || every < 1)
            {
                throw new InvalidOperationException($"Configuration key {EveryEntriesKey} is '{count}': expected a whole number of at least 1.");
            }
        }
        return new AuditCheckpointSettings(interval, every);
    }
}

/// <summary>
/// Writes signed checkpoints of the practices' audit chains into the database periodically
/// (<see cref="AuditCheckpointSettings"/>), each after verifying the chain against the checkpoints
/// already stored, so that <c>confide audit verify</c> notices entries cut from the end without an
/// exported file. Logs practice ids and counts only.
/// </summary>
internal sealed class AuditCheckpointService(
    IServiceScopeFactory scopes,
    AuditCheckpointSettings settings,
    TimeProvider time,
    ILogger<AuditCheckpointService> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Poll, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Never stop the app over a checkpoint: the next tick tries again.
                    logger.LogError(e, "Writing audit checkpoints failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One look: a checkpoint for every practice that is due one. Returns how many were written.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        var key = scope.ServiceProvider.GetRequiredService<AuditSigningKey>();
        var written = 0;
        foreach (var practice in await AuditCheckpoints.DueAsync(db, time.GetUtcNow(), settings.Interval, settings.EveryEntries, ct))
        {
            var (verification, row) = await AuditCheckpoints.WriteAsync(db, key, practice, time.GetUtcNow(), ct);
            if (row is not null)
            {
                written++;
                logger.LogInformation("Audit checkpoint {CheckpointId} of practice {PracticeId}: {EntryCount} entries", row.Id, practice, row.EntryCount);
            }
            else if (!verification.Intact)
            {
                logger.LogError(
                    "Audit chain of practice {PracticeId} does not verify ({Kind} at entry {Sequence}, {Forged} forged checkpoints): no checkpoint written; run confide audit verify",
                    practice,
                    verification.Chain.Break?.Kind,
                    verification.Chain.Break?.Sequence,
                    verification.Forged.Count
                );
            }
        }
        return written;
    }
}
