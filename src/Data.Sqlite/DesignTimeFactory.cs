using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Confide.Data.Sqlite;

/// <summary>Lets dotnet-ef build the context for Sqlite without the web host (no connection is opened).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConfideDbContext>
{
    public ConfideDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ConfideDbContext>();
        options.UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(DataSettings.SqliteMigrationsAssembly));
        return new ConfideDbContext(options.Options);
    }
}
