using Microsoft.Playwright;

namespace Confide.Browser.Tests;

/// <summary>
/// Debian's chromium, launched by Playwright. Playwright's own browser builds are never downloaded
/// (no `playwright install`): scripts/test.sh installs the Debian package when it is missing, and
/// without it these tests fail with the reason, never skip.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(
            File.Exists(ExecutablePath),
            $"{ExecutablePath} is missing: the browser tests need Debian's chromium (apt-get install -y chromium; bash scripts/test.sh installs it)."
        );
        return await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            }
        );
    }
}
