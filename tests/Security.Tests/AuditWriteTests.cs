using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;

namespace Confide.Security.Tests;

/// <summary>
/// Architecture test: audit entries are written in one place. Everything records what happened
/// through <see cref="IAuditTrail.Add"/> with an <see cref="AuditEvent"/> made by its factory methods
/// (identifiers, codes and counts only; the detail formatted there), and only
/// <see cref="AuditTrail"/> turns one into an <see cref="AuditEntry"/>. The IL of every product
/// assembly is scanned for: an <see cref="AuditEntry"/> made, or its recorded fields set, outside
/// <see cref="AuditTrail"/> (the sealer, <see cref="AuditSealer"/>, sets only the chain's own fields);
/// and any call on the audit writer other than <c>Add</c> (a raw <c>Record(…, "client", …, "k=v;…")</c>
/// writer would be one). A canary in this test assembly shows the scan catches a raw write.
/// </summary>
public sealed class AuditWriteTests
{
    [Fact]
    public void AuditEntries_AreMadeOnlyByTheAuditTrail_InEveryProductAssembly()
    {
        var scanned = 0;
        var adds = 0;
        var violations = new List<string>();
        foreach (var path in DecryptPathTests.ProductAssemblies())
        {
            scanned++;
            foreach (var call in IlCalls.Scan(path))
            {
                if (call.Callee == AuditWriteScan.AddCall)
                {
                    adds++;
                }
                if (AuditWriteScan.IsRawWrite(call))
                {
                    violations.Add($"{Path.GetFileName(path)}: {call.Caller} calls {call.Callee}");
                }
            }
        }
        Assert.Equal(DecryptPathTests.Products.Length, scanned);
        // The scan sees the typed writes: it would not pass by seeing nothing (there are some 65).
        Assert.True(adds >= 50, $"the scan found {adds} call(s) of IAuditTrail.Add: it is not reading the IL it should");
        Assert.True(violations.Count == 0, "an audit entry written outside IAuditTrail.Add (add an AuditEvent factory and call audit.Add):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void TheScan_CatchesARawAuditWrite_InThisAssemblysCanary()
    {
        var raw = IlCalls.Scan(typeof(AuditWriteTests).Assembly.Location).Where(AuditWriteScan.IsRawWrite).ToList();

        Assert.Contains(raw, c => c.Caller == typeof(RawAuditCanary).FullName && c.Callee == "Confide.Data.Entities.AuditEntry..ctor");
        Assert.Contains(raw, c => c.Caller == typeof(RawAuditCanary).FullName && c.Callee == "Confide.Data.Entities.AuditEntry.set_Detail");
        // Inside an async method (its state machine): still attributed to the canary.
        Assert.Contains(raw, c => c.Caller == typeof(RawAuditCanary).FullName && c.Callee == "Confide.Data.Entities.AuditEntry.set_TargetType");
        Assert.All(raw, c => Assert.Equal(typeof(RawAuditCanary).FullName, c.Caller));
    }
}

internal static class AuditWriteScan
{
    public const string AddCall = "Confide.Data.Audit.IAuditTrail.Add";
    private const string Entry = "Confide.Data.Entities.AuditEntry";
    private const string Trail = "Confide.Data.Audit.AuditTrail";
    private const string Writer = "Confide.Data.Audit.IAuditTrail";
    private static readonly string[] Writers = [Trail, Writer];

    // What an entry records; the sealer sets only At (rounded), Sequence, Format, PrevHash and Hash.
    private static readonly HashSet<string> Recorded = ["..ctor", ".set_PracticeId", ".set_ActorUserId", ".set_Action", ".set_TargetType", ".set_TargetId", ".set_ClientId", ".set_Detail"];

    /// <summary>An entry made or its recorded fields set outside <see cref="AuditTrail"/>, or a call on the writer other than <c>Add</c> (or its constructor).</summary>
    public static bool IsRawWrite(IlCall call)
    {
        if (call.Caller == Trail)
        {
            return false;
        }
        if (call.Callee.StartsWith(Entry + ".", StringComparison.Ordinal))
        {
            return Recorded.Contains(call.Callee[Entry.Length..]);
        }
        foreach (var writer in Writers)
        {
            if (call.Callee.StartsWith(writer + ".", StringComparison.Ordinal))
            {
                var member = call.Callee[(writer.Length + 1)..];
                return member is not ("Add" or ".ctor");
            }
        }
        return false;
    }
}

/// <summary>
/// Deliberate violations, never called: an audit row spelled by hand, with a string target type and
/// a hand-joined detail, as the scan must refuse (the product assemblies must have none).
/// </summary>
internal static class RawAuditCanary
{
    public static void Raw(ConfideDbContext db, Guid practiceId, Guid clientId) =>
        db.AuditEntries.Add(new AuditEntry { PracticeId = practiceId, Action = AuditActions.ClientView, TargetType = "client", TargetId = clientId.ToString("N"), Detail = "items=3" });

    public static async Task RawAsync(ConfideDbContext db, AuditEntry entry)
    {
        await Task.Yield();
        entry.TargetType = "client";
        db.AuditEntries.Add(entry);
    }
}
