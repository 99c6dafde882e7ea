using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Confide.Bench;

/// <summary>
/// Reading one encrypted record item in memory, database I/O excluded: the authorization decision
/// (<see cref="ClientContent.Decide"/>), then, with an empty key cache (a new request scope), unwrapping
/// the practice key with the master key, the client's data key with the practice key, and opening
/// the item's content (about 2 KB, a typical progress note), through <see cref="ClientContent.ReadItemStringAsync"/>.
/// The key rows sit in the context's change tracker, so no query runs.
/// </summary>
internal sealed class RecordReadFixture : IDisposable
{
    private readonly TimeProvider _time = TimeProvider.System;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public RecordReadFixture()
    {
        // Set-up only: an in-memory database for encrypting (which looks for existing keys). It is
        // closed before anything is timed, so a read that queried it would fail ("no such table"):
        // every key row a read needs is in the context's change tracker.
        _connection.Open();
        Db = new ConfideDbContext(new DbContextOptionsBuilder<ConfideDbContext>().UseSqlite(_connection).Options);
        Db.Database.EnsureCreated();
        Master = MasterKey.Create(RandomNumberGenerator.GetBytes(32));
        var practice = Guid.CreateVersion7();
        var author = Guid.CreateVersion7();
        Client = new Client { PracticeId = practice, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        Item = new RecordItem { ClientId = Client.Id, Category = Category.ProgressNotes, AuthorId = author, ContentCipher = [] };
        Field = new FieldRef(practice, Client.Id, "RecordItems", Item.Id, "content");
        var text = string.Concat(Enumerable.Repeat("Session focused on sleep and work stress; practised grounding. ", 32));
        Item.ContentCipher = new RecordCipher(Db, Master, _time).EncryptAsync(Field, text, CancellationToken.None).GetAwaiter().GetResult();
        Reader = new Reader(author, practice, IsOwner: false, IsClinician: true, IsStaff: false);
        Facts = new ClientFacts(practice, Client.Id, Assigned: true, Shredded: false, null, null);
        Length = text.Length;
        _connection.Close();
    }

    public ConfideDbContext Db { get; }
    public MasterKey Master { get; }
    public Client Client { get; }
    public RecordItem Item { get; }
    public FieldRef Field { get; }
    public Reader Reader { get; }
    public ClientFacts Facts { get; }
    public int Length { get; }

    /// <summary>Authorize, unwrap both keys (cold cache), decrypt: one read as a page request does it.</summary>
    public string Read()
    {
        var decision = ClientContent.Decide(Reader, Facts, ContentPurpose.Record, null);
        var content = new ClientContent(Db, new RecordCipher(Db, Master, _time), new AuditTrail(Db, _time), _time);
        return content.ReadItemStringAsync(decision.Grant!, Item, Field, Item.ContentCipher, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Db.Dispose();
        _connection.Dispose();
    }
}

/// <summary><c>dotnet run -c Release --project bench/Confide.Bench -- --filter '*RecordReadBenchmarks*'</c></summary>
[MemoryDiagnoser]
public class RecordReadBenchmarks
{
    private RecordReadFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = new RecordReadFixture();

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    /// <summary>Authorize + unwrap practice key + unwrap data key + decrypt one record item.</summary>
    [Benchmark]
    public string AuthorizeUnwrapDecrypt() => _fixture.Read();
}

/// <summary>
/// <c>record-latency [--calls N] [--warmup-ms M]</c>: per-call timings of <see cref="RecordReadFixture.Read"/>
/// (each call timed on its own, as the <c>latency</c> mode does), p50/p90/p99/p99.9/max, against the
/// 20 µs p99 target.
/// </summary>
internal static class RecordReadLatency
{
    private const double TargetP99Micros = 20;

    public static int Run(string[] args)
    {
        var calls = 200_000;
        var warmupMs = 2_000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--calls" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    calls = n;
                    i++;
                    break;
                case "--warmup-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var w):
                    warmupMs = w;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"record-latency: unknown or incomplete argument '{args[i]}'");
                    Console.Error.WriteLine("usage: record-latency [--calls N (default 200000)] [--warmup-ms M (default 2000)]");
                    return 2;
            }
        }
        using var fixture = new RecordReadFixture();
        if (fixture.Read().Length != fixture.Length)
        {
            Console.Error.WriteLine("record-latency: the decrypted item does not match what was encrypted");
            return 1;
        }
        var until = Stopwatch.GetTimestamp() + (warmupMs * Stopwatch.Frequency / 1000);
        while (Stopwatch.GetTimestamp() < until)
        {
            fixture.Read();
        }
        var ticks = new long[calls];
        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            fixture.Read();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)calls;
        gen0 = GC.CollectionCount(0) - gen0;
        Array.Sort(ticks);
        double Micros(double q) => ticks[Math.Min(calls - 1, (int)Math.Ceiling(q * calls) - 1)] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"Confide record read (authorize + unwrap practice key + unwrap data key + decrypt {fixture.Length:N0} chars), {calls:N0} calls after {warmupMs:N0} ms warm-up");
        Console.WriteLine($"  load      {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  p50 {Micros(0.50):F2} µs  p90 {Micros(0.90):F2} µs  p99 {Micros(0.99):F2} µs  p99.9 {Micros(0.999):F2} µs  max {Micros(1.0):F1} µs  {bytes:F0} B/call  {gen0} gen0 GCs"
            )
        );
        var met = Micros(0.99) <= TargetP99Micros;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target p99 <= {TargetP99Micros} µs: {(met ? "met" : "NOT met")}"));
        return 0;
    }
}
