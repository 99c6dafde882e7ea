using System.Text.Json;

namespace Confide.Core.Tests;

/// <summary>The pure core's tests run on the core alone: nothing of the database, the PDF library or the command line reaches them.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void CoreTests_DependOnNoDatabasePdfOrCommandLinePackage()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, "Confide.Core.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllBytes(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();

        Assert.Contains("Confide.Core", libraries);
        var forbidden = libraries.Where(l =>
            l.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || l.StartsWith("Npgsql", StringComparison.Ordinal)
            || l.StartsWith("PDFsharp", StringComparison.OrdinalIgnoreCase)
            || l is "Confide.Cli" or "Confide.Data" or "Confide.Documents" or "Confide.Web" or "Confide.TestKit"
        );
        Assert.Empty(forbidden);
    }
}
