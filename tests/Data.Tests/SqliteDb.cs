using Confide.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Tests;

/// <summary>A migrated in-memory SQLite database, alive while this object is, with one practice.</summary>
internal sealed class SqliteDb : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public Guid PracticeId { get; } = Guid.NewGuid();

    public static async Task<SqliteDb> CreateAsync()
    {
        var db = new SqliteDb();
        await db._connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var context = db.NewContext();
        await context.Database.MigrateAsync(TestContext.Current.CancellationToken);
        context.Practices.Add(new Practice { Id = db.PracticeId, Name = "Test practice", Address = "1 Test St", Jurisdiction = "US-CA" });
        await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        return db;
    }

    public ConfideDbContext NewContext() =>
        new(new DbContextOptionsBuilder<ConfideDbContext>().UseSqlite(_connection, o => o.MigrationsAssembly(DataSettings.SqliteMigrationsAssembly)).Options);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
