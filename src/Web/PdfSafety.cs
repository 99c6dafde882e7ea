using Confide.Data;
using Confide.Documents.Sandbox;

namespace Confide.Web;

/// <summary>
/// The web app's side of the PDF child process: its caps from configuration (<c>Confide:Pdf:*</c>,
/// <see cref="PdfLimits"/>), its private scratch directory under the data directory
/// (<c>Confide:ScratchDirectory</c> to put it elsewhere), swept of what a stopped app left when the
/// app first needs it (at start: the packet worker asks for it), and the packet failure code of an
/// unsafe PDF.
/// </summary>
public static partial class PdfSafety
{
    /// <summary>Overrides the scratch directory (default: <c>scratch</c> in the data directory).</summary>
    public const string ScratchDirectoryKey = "Confide:ScratchDirectory";

    /// <summary>How many times a packet found building at start-up (its build interrupted) is tried again.</summary>
    public const string BuildRetriesKey = "Confide:PacketBuildRetries";

    public const int DefaultBuildRetries = 2;

    /// <summary>The packet failure code of an unsafe PDF: <c>unsafe-pdf.REASON</c>.</summary>
    public static string FailureCode(PdfNotSafeException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"unsafe-pdf.{failure.Reason}";
    }

    /// <summary>The caps, validated (a bad value stops the app at start-up, naming the key).</summary>
    public static PdfLimits Limits(IConfiguration configuration) =>
        (configuration.GetSection(PdfLimits.Section).Get<PdfLimits>() ?? new PdfLimits()).Validated();

    /// <summary>Retries of an interrupted build (<see cref="BuildRetriesKey"/>, default 2, at least 0).</summary>
    public static int BuildRetries(IConfiguration configuration) => Math.Max(0, configuration.GetValue(BuildRetriesKey, DefaultBuildRetries));

    /// <summary>Registers <see cref="PdfChildProcess"/> as a singleton.</summary>
    public static IServiceCollection AddPdfChildProcess(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = Limits(configuration);
        services.AddSingleton(sp =>
        {
            var root = configuration[ScratchDirectoryKey] is { Length: > 0 } configured
                ? Path.GetFullPath(configured)
                : Path.Combine(sp.GetRequiredService<DataSettings>().DataDirectory, "scratch");
            // Before this process made any job; only what no child could still be using (older than its time limit).
            var swept = PdfChildProcess.Sweep(root, limits.Timeout + TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow().UtcDateTime); // file times are the system clock's, whatever clock the app is given
            if (swept > 0)
            {
                LogSwept(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PdfSafety)), swept);
            }
            return new PdfChildProcess(limits, root);
        });
        return services;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} scratch entries left by a stopped app")]
    private static partial void LogSwept(ILogger logger, int count);
}
