
namespace Confide.Cli.Tests;

/// <summary>
/// The built <c>confide</c> as a real process finds the web app's database the way the web app does:
/// the default <c>./data/confide.db</c> under the current directory, <c>appsettings.json</c> in the
/// current directory, environment variables over both.
/// </summary>
public sealed class CliConfigurationTests(SqliteStore store) : IClassFixture<SqliteStore>
{
    [Fact]
    public async Task Process_DefaultSettings_FindsDataConfideDbUnderTheCurrentDirectory()
    {
        var practice = await store.NewPracticeAsync(3);

        // The store's database is <dir>/data/confide.db: the default, seen from <dir>.
        var (code, stdout, stderr) = await RunConfide(store.Dir.FullName, [], "audit", "verify", "--practice", practice.ToString());

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"practice {practice:D}: intact, 3 entries", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_AppSettingsJson_ThenEnvironmentOverridesIt()
    {
        var practice = await store.NewPracticeAsync(2);
        var cwd = Directory.CreateTempSubdirectory("confide-cli-cwd-");
        try
        {
            var settings = $$"""
                {
                  "Database": { "Provider": "sqlite" },
                  "ConnectionStrings": { "Confide": "Data Source={{store.Dir.FullName}}/data/confide.db" }
                }
                """;
            await File.WriteAllTextAsync(Path.Combine(cwd.FullName, "appsettings.json"), settings, TestContext.Current.CancellationToken);

            var fromFile = await RunConfide(cwd.FullName, [], "audit", "verify", "--practice", practice.ToString());
            var absent = Path.Combine(cwd.FullName, "elsewhere.db");
            var fromEnvironment = await RunConfide(
                cwd.FullName,
                [("ConnectionStrings__Confide", $"Data Source={absent}")],
                "audit",
                "verify",
                "--practice",
                practice.ToString()
            );
            var badProvider = await RunConfide(cwd.FullName, [("Database__Provider", "mysql")], "audit", "verify");

            Assert.True(fromFile.Code == 0, $"{fromFile}");
            Assert.Contains($"practice {practice:D}: intact, 2 entries", fromFile.Stdout, StringComparison.Ordinal);
            Assert.True(fromEnvironment.Code == 2, $"{fromEnvironment}");
            Assert.Contains($"the SQLite file '{absent}' does not exist", fromEnvironment.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(absent));
            Assert.True(badProvider.Code == 2, $"{badProvider}");
            Assert.Contains("Database:Provider is 'mysql'", badProvider.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            cwd.Delete(recursive: true);
        }
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunConfide(string directory, (string Name, string Value)[] environment, params string[] args) =>
        ConfideProcess.RunAsync(directory, environment, args);
}
