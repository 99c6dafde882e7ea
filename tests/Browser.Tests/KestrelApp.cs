using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Browser.Tests;

/// <summary>The app on Kestrel at a free 127.0.0.1 port inside the test process, so a real browser can reach it.</summary>
public sealed class KestrelApp : SqliteConfideApp
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Configuration for this app (e.g. lower sign-in limits), on top of the defaults.</param>
    public KestrelApp(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the server (once) and returns its address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reports no address");
        // Kestrel may report localhost or [::]; the browser goes to the IPv4 loopback address it listens on.
        var uri = new Uri(address);
        return new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
    }
}
