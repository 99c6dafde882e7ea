namespace Confide.Security.Tests.LayerCanary.Features;

// The canary of LayerTests: "features" that use a "page" (directly, and only inside an async
// method) and one that does not. Never called: the scan reads their IL.

internal static class UsesAPage
{
    public static int Read() => Pages.CanaryPage.Count();
}

internal static class UsesAPageWhenAwaited
{
    public static async Task<int> ReadAsync()
    {
        await Task.Yield();
        return Pages.CanaryPage.Count();
    }
}

internal static class Clean
{
    public static int Read() => 2;
}
