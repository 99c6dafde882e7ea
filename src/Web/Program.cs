using Confide.Core.Law;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Entities;
using Confide.Web;
using Confide.Web.Features.Requests;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;

// `--demo` is ours, not a configuration key: take it out before the host reads the command line.
var demo = args.Contains(StartupOptions.DemoArgument, StringComparer.Ordinal);
var demoAcknowledged = args.Contains(StartupOptions.DemoAcknowledgedArgument, StringComparer.Ordinal);
var builder = WebApplication.CreateBuilder(args.Where(a => a is not (StartupOptions.DemoArgument or StartupOptions.DemoAcknowledgedArgument)).ToArray());
if (StartupOptions.DemoRefusal(demo, demoAcknowledged, builder.Environment) is { } refusal)
{
    // The demo accounts' passwords and TOTP secrets are printed in the README: never by accident outside development.
    await Console.Error.WriteLineAsync(refusal);
    return 2;
}

var configuration = builder.Configuration;
var urlsGiven =
    !string.IsNullOrEmpty(configuration["urls"])
    || !string.IsNullOrEmpty(configuration["http_ports"])
    || !string.IsNullOrEmpty(configuration["https_ports"])
    || configuration.GetSection("Kestrel:Endpoints").Exists();
if (!urlsGiven)
{
    builder.WebHost.UseUrls(StartupOptions.DefaultUrl);
}

// Quiet framework logs by default (configuration can still raise them). Logs carry identifiers and
// outcomes only; EF never logs parameter values (sensitive data logging stays off).
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

builder.Services.AddSingleton(new StartupOptions(demo));
builder.Services.AddConfideData(configuration);
builder.Services.AddConfideKeyRing(configuration);
builder.Services.AddHostedService<StartupTasks>();
builder.Services.AddSingleton<SetupCode>();
builder.Services.AddSingleton(AuditCheckpointSettings.From(configuration));
builder.Services.AddSingleton<AuditCheckpointService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointService>());
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddSingleton(sp => new TriageEngine(LawLibrary.Embedded, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddScoped<RequestRecords>();
builder.Services.AddScoped<RequestService>();
builder.Services.AddScoped<PracticeClock>();
builder.Services.AddScoped<Confide.Web.Features.Releases.ReleaseService>();
builder.Services.AddScoped<Confide.Web.Features.Releases.ConsentCheck>();
builder.Services.AddSingleton<Confide.Web.Features.Releases.PortalFailureCounter>();
builder.Services.AddHostedService<PortalFailureRetention>();
builder.Services.AddPortalRateLimit(configuration);
builder.Services.AddSingleton(sp => SignInThrottle.From(configuration, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddTrustedProxies(configuration);
builder.Services.AddSingleton(new Confide.Documents.Packets.PacketOptions { BatesPrefix = "CONF" });
builder.Services.AddPdfChildProcess(configuration); // every parse of an uploaded PDF runs in a limited child process
builder.Services.AddSingleton<Confide.Web.Features.Packets.PacketQueue>();
builder.Services.AddScoped<Confide.Web.Features.Packets.PacketService>();
builder.Services.AddScoped<Confide.Web.Features.Packets.PacketBuildRun>();
builder.Services.AddScoped<Confide.Web.Features.Packets.AttachmentPages>();
builder.Services.AddHostedService<Confide.Web.Features.Packets.PacketWorker>();

builder
    .Services.AddIdentity<User, Role>(o =>
    {
        // OWASP ASVS 5 (V6.2): at least 12 characters, no composition rules, long passphrases allowed.
        o.Password.RequiredLength = AccountRules.MinPasswordLength;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
    })
    .AddEntityFrameworkStores<ConfideDbContext>()
    .AddUserStore<ConfideUserStore>() // the same EF store, with the TOTP secret sealed at rest and each account sealed
    .AddSignInManager<ConfideSignInManager>() // the account seal checked at sign-in and at every stamp validation
    .AddDefaultTokenProviders()
    .AddClaimsPrincipalFactory<ConfideClaimsFactory>();

builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/SignIn";
    o.LogoutPath = "/Account/SignOut";
    o.AccessDeniedPath = "/Account/TwoFactorRequired";
    o.ExpireTimeSpan = TimeSpan.FromMinutes(15); // idle sign-out: sliding, so 15 minutes without a request
    o.SlidingExpiration = true;
    SessionLifetime.Apply(o);
    SecureCookie(o.Cookie, "confide.auth");
});
// Each sign-in cookie is checked against the account's security stamp every minute, so signing out
// (which changes the stamp), a lockout or a password change ends every copy of a session promptly.
// The check rebuilds the principal from the database: carry over how the user signed in (the TOTP
// step and a fresh re-authentication), which the database does not know, or every session would
// lose its second factor at its first check.
builder.Services.Configure<SecurityStampValidatorOptions>(o =>
{
    o.ValidationInterval = TimeSpan.FromMinutes(1);
    o.OnRefreshingPrincipal = context => SessionLifetime.CarryOver(context.CurrentPrincipal, context.NewPrincipal);
});
builder.Services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o => SecureCookie(o.Cookie, "confide.2fa"));
builder.Services.AddAntiforgery(o =>
{
    SecureCookie(o.Cookie, "confide.csrf");
});

builder
    .Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(AccountRules.TwoFactorPolicy, p => p.RequireAuthenticatedUser().RequireClaim("amr", "mfa"));

builder.Services.AddRazorPages(o =>
{
    o.Conventions.AuthorizeFolder("/Clients", AccountRules.TwoFactorPolicy);
    o.Conventions.AuthorizeFolder("/Requests", AccountRules.TwoFactorPolicy);
    o.Conventions.AuthorizePage("/Home", AccountRules.TwoFactorPolicy);
    o.Conventions.AuthorizePage("/Calendar", AccountRules.TwoFactorPolicy);
    o.Conventions.AuthorizeFolder("/Releases", AccountRules.TwoFactorPolicy);
    o.Conventions.AuthorizePage("/Disclosures", AccountRules.TwoFactorPolicy);
});

var app = builder.Build();

app.UseForwardedHeaders(); // only from Confide:TrustedProxies: the client's address and scheme
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts(); // only over HTTPS: tells browsers never to use plain http for this host again
}
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseHttpsOnly(); // Secure-only cookies cannot work over plain http: refuse it plainly rather than fail in a form
}
app.UseStaticFiles(new StaticFileOptions { FileProvider = new EmbeddedFileProvider(typeof(StartupOptions).Assembly, "Confide.Web.Assets"), OnPrepareResponse = SecurityHeaders.CacheStatic });
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UsePracticeScope();
app.UseAuthorization();
app.MapHealth();
app.MapCalendarFeed();
app.MapRazorPages();

await app.RunAsync();
return 0;

// HttpOnly, SameSite=Strict, path /. Outside Development: always Secure and named with the __Host-
// prefix (browsers then refuse the cookie from plain http or with a domain, so no sibling host or
// network attacker can plant or read it); in Development, Secure whenever the request is, so plain
// http://127.0.0.1 works.
void SecureCookie(CookieBuilder cookie, string name)
{
    var strict = !builder.Environment.IsDevelopment();
    cookie.Name = strict ? "__Host-" + name : name;
    cookie.HttpOnly = true;
    cookie.SameSite = SameSiteMode.Strict;
    cookie.Path = "/";
    cookie.SecurePolicy = strict ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}
