using Confide.Data.Crypto;

namespace Confide.Security.Tests;

/// <summary>
/// Architecture test: every encryption binding (<see cref="FieldRef"/>: practice, client, table, row,
/// field) comes from the one catalog, <see cref="EncryptedFields"/>, so a table or field name is spelled
/// once for its writer and all its readers. The IL of every product assembly is scanned for a
/// FieldRef being built (its constructor, or an init setter as a <c>with</c> expression calls it)
/// anywhere but in the catalog. A canary in this test assembly shows the scan catches one.
/// </summary>
public sealed class EncryptedFieldsTests
{
    [Fact]
    public void FieldRefs_AreBuiltOnlyInTheCatalog_InEveryProductAssembly()
    {
        var scanned = 0;
        var inCatalog = 0;
        var violations = new List<string>();
        foreach (var path in DecryptPathTests.ProductAssemblies())
        {
            scanned++;
            foreach (var build in FieldRefScan.Builds(path))
            {
                if (build.Caller == FieldRefScan.Catalog)
                {
                    inCatalog++;
                }
                else
                {
                    violations.Add($"{Path.GetFileName(path)}: {build.Caller} calls {build.Callee}");
                }
            }
        }
        Assert.Equal(DecryptPathTests.Products.Length, scanned);
        // The scan sees the catalog's own constructions: it would not pass by seeing nothing.
        Assert.True(inCatalog >= 10, $"the scan found {inCatalog} FieldRef construction(s) in EncryptedFields: it is not reading the IL it should");
        Assert.True(violations.Count == 0, "an encryption binding built outside Confide.Data.Crypto.EncryptedFields (add a member there and use it):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void TheScan_CatchesAFieldRefBuiltOutsideTheCatalog_InThisAssemblysCanary()
    {
        var builds = FieldRefScan.Builds(typeof(EncryptedFieldsTests).Assembly.Location).Where(b => b.Caller == typeof(FieldRefCanary).FullName).ToList();

        Assert.Contains(builds, b => b.Callee == $"{FieldRefScan.FieldRefType}..ctor");
        Assert.Contains(builds, b => b.Callee == $"{FieldRefScan.FieldRefType}.set_Table");
    }
}

/// <summary>Where the IL builds or re-targets a <see cref="FieldRef"/>, outside the type itself.</summary>
internal static class FieldRefScan
{
    public const string FieldRefType = "Confide.Data.Crypto.FieldRef";
    public const string Catalog = "Confide.Data.Crypto.EncryptedFields";

    public static IEnumerable<IlCall> Builds(string assemblyPath) =>
        IlCalls.Scan(assemblyPath)
            .Where(c => c.Caller != FieldRefType)
            .Where(c => c.Callee == $"{FieldRefType}..ctor" || c.Callee.StartsWith($"{FieldRefType}.set_", StringComparison.Ordinal));
}

/// <summary>
/// Deliberate violations, never called: proof that <see cref="FieldRefScan"/> catches a binding
/// spelled outside the catalog (the product assemblies must have none).
/// </summary>
internal static class FieldRefCanary
{
    public static FieldRef Literal(Guid practiceId, Guid clientId) => new(practiceId, clientId, "Clients", clientId, "name");

    public static FieldRef Retargeted(FieldRef field) => field with { Table = "Releases" };
}
