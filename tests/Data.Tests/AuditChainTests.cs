using Confide.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Data.Tests;

public sealed class AuditChainTests
{
    [Fact]
    public async Task SaveChangesAsync_SealsEntriesIntoAChain_AcrossSaves()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        await using (var db = store.NewContext())
        {
            var audit = new AuditTrail(db, time);
            audit.Add(store.PracticeId, null, AuditEvent.CalendarFeedRevoked(Guid.NewGuid()));
            audit.Add(store.PracticeId, null, AuditEvent.ClientsListed(store.PracticeId, 2));
            await db.SaveChangesAsync(ct);
            time.Advance(TimeSpan.FromMinutes(1));
            audit.Add(store.PracticeId, Guid.NewGuid(), AuditEvent.ClientCreated(Guid.NewGuid(), guardians: 0));
            await db.SaveChangesAsync(ct);
        }

        await using var fresh = store.NewContext();
        var entries = await fresh.AuditEntries.Where(e => e.PracticeId == store.PracticeId).OrderBy(e => e.Sequence).ToListAsync(ct);
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(AuditSealer.Genesis, entries[0].PrevHash);
        Assert.Equal(entries[1].Hash, entries[2].PrevHash);
        Assert.True(AuditSealer.Verify(entries));
        // Ordering and comparison by time translate on SQLite (stored as UTC ticks).
        Assert.Equal(1, await fresh.AuditEntries.CountAsync(e => e.At > time.GetUtcNow().AddSeconds(-1), ct));
    }

    [Fact]
    public async Task Verify_AnEditedEntry_Fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        await using var db = store.NewContext();
        var audit = new AuditTrail(db, TimeProvider.System);
        audit.Add(store.PracticeId, null, AuditEvent.ClientsListed(store.PracticeId, 1));
        audit.Add(store.PracticeId, null, AuditEvent.ClientsListed(store.PracticeId, 1));
        await db.SaveChangesAsync(ct);
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(ct);

        entries[0].Detail = "reason=other";

        Assert.False(AuditSealer.Verify(entries));
    }
}
