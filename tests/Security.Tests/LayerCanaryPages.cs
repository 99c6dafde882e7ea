namespace Confide.Security.Tests.LayerCanary.Pages;

/// <summary>The "page" of <see cref="LayerTests"/>' canary: what the canary's "features" must not use.</summary>
internal static class CanaryPage
{
    public static int Count() => 1;
}
