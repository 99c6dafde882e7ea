using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Web.Tests;

/// <summary>"Today" is the practice's day: around midnight UTC a California and a New York practice are on different dates.</summary>
public abstract class PracticeClockTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    [Theory]
    [InlineData("2026-06-16T03:00:00Z", "2026-06-15", "2026-06-15")] // 20:00 in Sacramento, 23:00 in New York
    [InlineData("2026-06-16T05:00:00Z", "2026-06-15", "2026-06-16")] // 22:00 in Sacramento, 01:00 in New York
    [InlineData("2026-06-16T08:00:00Z", "2026-06-16", "2026-06-16")] // 01:00 in Sacramento
    [InlineData("2026-01-16T07:30:00Z", "2026-01-15", "2026-01-16")] // winter: UTC-8 and UTC-5
    public async Task Today_FollowsThePracticesTimeZone(string utc, string california, string newYork)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = app.NewDbContext();
        var eastern = await db.Practices.FirstOrDefaultAsync(p => p.Name == "Eastern clock test", ct);
        if (eastern is null)
        {
            eastern = new Practice { Name = "Eastern clock test", Address = "1 Main St", Jurisdiction = "US-NY", TimeZone = "America/New_York" };
            db.Practices.Add(eastern);
            await db.SaveChangesAsync(ct);
        }
        var clock = new PracticeClock(db, new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(DateOnly.Parse(california, System.Globalization.CultureInfo.InvariantCulture), await clock.TodayAsync(DemoSeeder.PracticeId, ct));
        Assert.Equal(DateOnly.Parse(newYork, System.Globalization.CultureInfo.InvariantCulture), await clock.TodayAsync(eastern.Id, ct));
    }

    [Fact]
    public void Times_AreShownInThePracticesZone_WithTheirOffset()
    {
        var la = Practice.ZoneOf("America/Los_Angeles");
        var at = new DateTimeOffset(2026, 6, 16, 3, 5, 0, TimeSpan.Zero);
        Assert.Equal("June 15, 2026 20:05 (UTC-07:00)", PracticeZones.Format(at, la));
        Assert.Equal("January 15, 2026 19:05 (UTC-08:00)", PracticeZones.Format(at.AddMonths(-5), la));
        Assert.Equal("June 16, 2026 08:35 (UTC+05:30)", PracticeZones.Format(at, Practice.ZoneOf("Asia/Kolkata")));
    }

    [Theory]
    [InlineData("US-CA", "America/Los_Angeles")]
    [InlineData("US-TX", "America/Chicago")]
    [InlineData("US-AZ", "America/Phoenix")]
    [InlineData("US-HI", "Pacific/Honolulu")]
    [InlineData("US-NY", "America/New_York")]
    public void EveryStatesDefaultZone_IsOneThisMachineKnows(string jurisdiction, string zone)
    {
        Assert.Equal(zone, PracticeZones.DefaultFor(jurisdiction));
        foreach (var state in Core.Requests.Jurisdictions.All)
        {
            Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(PracticeZones.DefaultFor(state), out _), state);
            Assert.True(PracticeZones.IsOffered(PracticeZones.DefaultFor(state)), state);
        }
    }
}

public sealed class SqlitePracticeClockTests(SqliteDemoApp app) : PracticeClockTests<SqliteDemoApp>(app);

public sealed class PostgresPracticeClockTests(PostgresDemoApp app) : PracticeClockTests<PostgresDemoApp>(app);
