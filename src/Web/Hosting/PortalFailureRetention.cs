using Confide.Data;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Hosting;

/// <summary>
/// Deletes <c>PortalFailures</c> rows older than <c>Confide:PortalFailureRetentionDays</c> (default 30),
/// once at start and then every hour. With <see cref="Features.Releases.PortalFailureCounter"/> writing
/// at most one row per kind of failure per hour, the table stays bounded whatever a caller sends.
/// The app's database role may not delete from the table (it is append-only for it): on PostgreSQL the
/// deletion runs on the owner connection (<c>ConnectionStrings:ConfideAdmin</c>), which a policy of the
/// <c>ConsentRowLevelSecurity</c> migration lets delete. Logs counts only.
/// </summary>
internal sealed class PortalFailureRetention(DataSettings settings, IConfiguration configuration, TimeProvider time, ILogger<PortalFailureRetention> logger) : BackgroundService
{
    public const string RetentionKey = "Confide:PortalFailureRetentionDays";

    public static readonly TimeSpan Poll = TimeSpan.FromHours(1);

    /// <summary>How long rows are kept.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a whole number of days from 1 to 3650; the message names the key.</exception>
    public TimeSpan Retention
    {
        get
        {
            var text = configuration[RetentionKey];
            if (string.IsNullOrWhiteSpace(text))
            {
                return TimeSpan.FromDays(30);
            }
            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 3650
                ? TimeSpan.FromDays(days)
                : throw new InvalidOperationException($"Configuration key {RetentionKey} is '{text}': expected a whole number of days from 1 to 3650.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunGuardedAsync(stoppingToken);
            using var timer = new PeriodicTimer(Poll, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunGuardedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunGuardedAsync(CancellationToken ct)
    {
        try
        {
            await RunOnceAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never stop the app over retention: the next tick tries again.
            logger.LogError(e, "Deleting old portal failures failed");
        }
    }

    /// <summary>One pass: deletes the rows older than the retention period; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - Retention;
        await using var db = settings.NewAdminContext();
        var deleted = await db.PortalFailures.Where(f => f.At < before).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} portal failure rows older than {Days} days", deleted, Retention.TotalDays);
        }
        return deleted;
    }
}
