using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Confide.Data.Postgres;

/// <summary>Lets dotnet-ef build the context for Postgres without the web host (no connection is opened).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConfideDbContext>
{
    public ConfideDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ConfideDbContext>();
        options.UseNpgsql("Host=localhost;Database=confide_design_time", o => o.MigrationsAssembly(DataSettings.PostgresMigrationsAssembly));
        return new ConfideDbContext(options.Options);
    }
}
