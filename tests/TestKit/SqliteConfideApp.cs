using Confide.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Confide.TestKit;

/// <summary>
/// The real app (Program.cs as it is) on a SQLite database and a master key file of its own, in a
/// temp directory removed on dispose. Configuration only: nothing in the app is replaced.
/// </summary>
public class SqliteConfideApp : WebApplicationFactory<Program>
{
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("confide-app-");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "sqlite");
        builder.UseSetting("ConnectionStrings:Confide", $"Data Source={Path.Combine(Dir.FullName, "data", "confide.db")}");
        builder.UseSetting("Keys:MasterKeyFile", Path.Combine(Dir.FullName, "confide-master.key"));
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public virtual ConfideDbContext NewDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<ConfideDbContext>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Dir.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}
