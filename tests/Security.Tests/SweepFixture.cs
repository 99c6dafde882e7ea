namespace Confide.Security.Tests;

/// <summary>One app, one seeded world and the discovered routes, shared by the sweeps (SQLite).</summary>
public class SweepFixture : IAsyncLifetime
{
    public SweepFixture()
        : this(new SecurityApp())
    {
    }

    protected SweepFixture(SecurityApp app) => App = app;

    public SecurityApp App { get; }
    public World World { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        World = await World.SeedAsync(App);
    }

    public async Task<Session> SignInAsync(World.Account account)
    {
        var session = new Session(App, account.Name);
        await session.SignInAsync(account.Email, World.Password, account.TotpSecret);
        return session;
    }

    /// <summary>Signed in with the password alone (two-factor never enrolled): a session without amr=mfa.</summary>
    public async Task<Session> SignInWithPasswordOnlyAsync(World.Account account)
    {
        var session = new Session(App, account.Name + " (password only)");
        var signedIn = await session.SubmitAsync("/Account/SignIn", ("Input.Email", account.Email), ("Input.Password", World.Password));
        Assert.Equal("/Account/Authenticator", signedIn.Location);
        return session;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The same on PostgreSQL, under the app's role: row-level security is in the way of every attempt too.</summary>
public sealed class PostgresSweepFixture() : SweepFixture(new PostgresSecurityApp());
