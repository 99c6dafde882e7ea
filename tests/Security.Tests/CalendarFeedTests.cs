using System.Net;
using System.Text.RegularExpressions;

namespace Confide.Security.Tests;

/// <summary>
/// The calendar feed opens without a sign-in (its token is the credential), so it is swept apart:
/// each person's feed lists only the deadlines of requests they may see, names no client (no marker
/// of the seeded client appears even in its author's feed), and a stopped feed's address is a 404.
/// </summary>
public abstract partial class CalendarFeedSweep(SweepFixture fixture)
{
    [Fact]
    public async Task EachFeed_ListsOnlyRequestsItsOwnerMaySee_AndNamesNoClient()
    {
        var world = fixture.World;
        var victimEvent = $"UID:{world.Victim[Resource.Request]:N}@confide";

        using var author = await fixture.SignInAsync(world.ClinicianOne);
        var authorFeed = await FeedUrlAsync(author);
        using var anonymous = new Session(fixture.App, "anonymous");
        var own = await anonymous.GetAsync(authorFeed);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Contains(victimEvent, own.Text, StringComparison.Ordinal); // the control: the deadline is in its clinician's feed
        Assert.DoesNotContain(world.Markers, m => own.Everything.Contains(m, StringComparison.Ordinal));

        foreach (var account in new[] { world.ClinicianTwo, world.OwnerB })
        {
            using var other = await fixture.SignInAsync(account);
            var feed = await anonymous.GetAsync(await FeedUrlAsync(other));
            Assert.Equal(HttpStatusCode.OK, feed.Status);
            Assert.True(feed.Text.Contains("BEGIN:VCALENDAR", StringComparison.Ordinal), $"{account.Name}'s feed is not a calendar");
            Assert.False(feed.Text.Contains(victimEvent, StringComparison.Ordinal), $"{account.Name}'s feed lists clinician One's request");
            Assert.DoesNotContain(world.Markers, m => feed.Everything.Contains(m, StringComparison.Ordinal));
        }

        var stopped = await author.SubmitAsync("/Calendar?handler=Stop");
        Assert.Equal(HttpStatusCode.Redirect, stopped.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(authorFeed)).Status);
    }

    /// <summary>Makes the person's feed address (shown once) and returns its path and query.</summary>
    private static async Task<string> FeedUrlAsync(Session session)
    {
        var created = await session.SubmitAsync("/Calendar?handler=Create");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var match = FeedUrl().Match(created.Text);
        Assert.True(match.Success, $"{session.Who}: no feed address on the page");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("id=\"feed-url\">https?://[^/<]+(/calendar/feed\\.ics\\?token=[A-Za-z0-9_-]{43})<")]
    private static partial Regex FeedUrl();
}

public sealed class CalendarFeedTests(SweepFixture fixture) : CalendarFeedSweep(fixture), IClassFixture<SweepFixture>;

/// <summary>On PostgreSQL the anonymous feed finds its row through row-level security's token_lookup policy, then works as its owner's practice.</summary>
public sealed class PostgresCalendarFeedTests(PostgresSweepFixture fixture) : CalendarFeedSweep(fixture), IClassFixture<PostgresSweepFixture>;
