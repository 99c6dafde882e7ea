using Confide.Data.Crypto;

namespace Confide.Security.Tests;

/// <summary>
/// Architecture test: every read of client content goes through the one authorization point,
/// <c>Confide.Data.Access.ClientContent</c>. The IL of every product assembly (Core, Data, Documents,
/// Web, the CLI (confide.dll), the migrations) is scanned for calls to RecordCipher's decrypt methods (allowed only in
/// ClientContent and the crypto layer itself) and to the lower unwrapping and opening primitives
/// (<c>Envelope.Open</c>, <c>MasterKey.Unwrap*</c>: the crypto layer only). Lambdas and async state
/// machines count as their enclosing type. A canary in this test assembly shows the scan catches a
/// new direct call.
/// </summary>
public sealed class DecryptPathTests
{
    internal static readonly string[] Products = ["Confide.Core", "Confide.Data", "Confide.Data.Sqlite", "Confide.Data.Postgres", "Confide.Documents", "Confide.PdfWorker", "Confide.Web", "confide"];

    [Fact]
    public void ClientContent_IsTheOnlyCallerOfRecordCipherDecrypt_InEveryProductAssembly()
    {
        var scanned = new List<string>();
        var violations = new List<string>();
        var allowedDecrypts = 0;
        foreach (var path in ProductAssemblies())
        {
            var calls = DecryptScan.Calls(path);
            scanned.Add(Path.GetFileName(path));
            violations.AddRange(calls.Where(c => !c.Allowed).Select(c => $"{Path.GetFileName(path)}: {c.Caller} calls {c.Callee}"));
            allowedDecrypts += calls.Count(c => c.Allowed && c.Caller == "Confide.Data.Access.ClientContent");
        }
        Assert.Equal(Products.Length, scanned.Count);
        // The scan sees the authorized calls too: it would not pass by seeing nothing.
        Assert.True(allowedDecrypts >= 2, $"the scan found {allowedDecrypts} decrypt call(s) in ClientContent: it is not reading the IL it should");
        Assert.True(violations.Count == 0, "client content decrypted outside the authorization point (route it through ClientContent):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void TheScan_CatchesADirectCall_InThisAssemblysCanary()
    {
        var calls = DecryptScan.Calls(typeof(DecryptPathTests).Assembly.Location).Where(c => !c.Allowed).ToList();

        Assert.Contains(calls, c => c.Caller == typeof(DirectDecryptCanary).FullName && c.Callee == "Confide.Data.Crypto.RecordCipher.DecryptAsync");
        // Inside an async method (its state machine): still attributed to the canary.
        Assert.Contains(calls, c => c.Caller == typeof(DirectDecryptCanary).FullName && c.Callee == "Confide.Data.Crypto.RecordCipher.DecryptStringAsync");
        Assert.Contains(calls, c => c.Caller == typeof(DirectDecryptCanary).FullName && c.Callee == "Confide.Data.Crypto.Envelope.Open");
        Assert.All(calls, c => Assert.Equal(typeof(DirectDecryptCanary).FullName, c.Caller));
    }

    /// <summary>The product assemblies as built beside this one (the CLI, confide.dll, from its own output directory, same configuration).</summary>
    internal static IEnumerable<string> ProductAssemblies()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        foreach (var name in Products)
        {
            var local = Path.Combine(here, name + ".dll");
            var cli = Path.Combine(RepoPaths.Root, "src", "Cli", "bin", configuration, "net10.0", name + ".dll");
            var path = File.Exists(local) ? local : cli;
            Assert.True(File.Exists(path), $"{name}.dll not found beside the tests nor at {cli}: build the solution first (dotnet build Confide.slnx -c {configuration})");
            yield return path;
        }
    }
}

/// <summary>A call to a decrypting member found in IL: who calls (outermost type), what, and whether that caller may.</summary>
internal sealed record DecryptCall(string Caller, string Callee, bool Allowed);

internal static class DecryptScan
{
    private const string Cipher = "Confide.Data.Crypto.RecordCipher";
    private const string CryptoNamespace = "Confide.Data.Crypto";
    private const string AuthorizationPoint = "Confide.Data.Access.ClientContent";

    public static List<DecryptCall> Calls(string assemblyPath) =>
        [.. IlCalls.Scan(assemblyPath).Where(c => Restriction(c.Callee) is not null).Select(c => new DecryptCall(c.Caller, c.Callee, Restriction(c.Callee)!(c.Caller)))];

    /// <summary>Null: not a restricted member; else who may call it.</summary>
    private static Func<string, bool>? Restriction(string callee)
    {
        var dot = callee.LastIndexOf('.');
        var type = callee[..dot];
        var name = callee[(dot + 1)..];
        if (type == Cipher && name.StartsWith("Decrypt", StringComparison.Ordinal))
        {
            return caller => caller == AuthorizationPoint || InCrypto(caller);
        }
        if ((type == $"{CryptoNamespace}.Envelope" && name == "Open") || (type == $"{CryptoNamespace}.MasterKey" && name.StartsWith("Unwrap", StringComparison.Ordinal)))
        {
            return InCrypto;
        }
        return null;
    }

    private static bool InCrypto(string caller) => caller.StartsWith(CryptoNamespace + ".", StringComparison.Ordinal);
}

/// <summary>
/// A deliberate violation, never called: proof that <see cref="DecryptScan"/> catches a direct call
/// to the decrypt methods (the product assemblies must have none).
/// </summary>
internal static class DirectDecryptCanary
{
    public static Task<byte[]> Bypass(RecordCipher cipher, FieldRef field, byte[] ciphertext) => cipher.DecryptAsync(field, ciphertext, CancellationToken.None);

    public static async Task<string> BypassAsync(RecordCipher cipher, FieldRef field, byte[] ciphertext) =>
        await cipher.DecryptStringAsync(field, ciphertext, CancellationToken.None);

    public static byte[] Open(byte[] key, byte[] message) => Envelope.Open(key, [], message);
}
