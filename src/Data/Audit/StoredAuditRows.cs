using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Confide.Core.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Confide.Data.Audit;

/// <summary>Rows of an audit table stored under a practice id that is not one as the app writes it (NULL, garbage, another spelling of an id).</summary>
/// <param name="Table">The table (<c>AuditEntries</c> or <c>AuditCheckpoints</c>).</param>
/// <param name="PracticeId">The stored value, shown safely: quoted, at most 40 characters, control characters escaped.</param>
/// <param name="Rows">How many rows hold it.</param>
public sealed record StrayAuditRows(string Table, string PracticeId, long Rows);

/// <summary>What the audit tables hold: the practices with a chain or checkpoints, and the rows under no valid practice id.</summary>
/// <param name="Practices">Every practice with a practice row, an audit entry or a stored checkpoint, in id order.</param>
/// <param name="Stray">Rows whose practice id is NULL, not an id, or not written the way the app writes ids: each is tampering.</param>
public sealed record AuditChains(IReadOnlyList<Guid> Practices, IReadOnlyList<StrayAuditRows> Stray);

/// <summary>One stored audit entry: the entry, or what makes the row unreadable (with its sequence number when that much could be read).</summary>
internal readonly record struct StoredEntry(AuditRecord Entry, long? Sequence, string? Problem);

/// <summary>One stored checkpoint row: the row, or what makes it unreadable (with its id and entry count when those could be read).</summary>
internal sealed record StoredCheckpointRow(StoredCheckpoint? Row, Guid Id, long EntryCount, string? Problem);

/// <summary>
/// Reads the audit tables exactly as stored, cell by cell, for verification. Each value must have the
/// type and the form the data layer writes — on SQLite, which keeps any value in any column, an
/// INTEGER where a number belongs, an id as upper-case text, a time as UTC ticks; on PostgreSQL
/// the column's own type — and no required value may be NULL. A row that does not is reported as
/// malformed, naming its columns and never its values; reading garbage never throws (a verifier must
/// not crash on what it is there to check). Only a database that cannot be read at all throws
/// (<see cref="DbException"/>).
/// </summary>
internal static class StoredAuditRows
{
    public const string EntriesTable = "AuditEntries";
    public const string CheckpointsTable = "AuditCheckpoints";

    private static readonly string[] EntryColumns =
        ["Id", "PracticeId", "Sequence", "At", "ActorUserId", "Action", "TargetType", "TargetId", "ClientId", "Detail", "PrevHash", "Hash", "Format"];

    private static readonly string[] CheckpointColumns = ["Id", "PracticeId", "EntryCount", "HeadHash", "At", "Format", "Signature", "PublicKey", "KeyId"];

    /// <summary>The practices of the audit tables and the practice table, and the audit rows under no valid practice id.</summary>
    public static async Task<AuditChains> DiscoverAsync(ConfideDbContext db, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        var practices = new SortedSet<Guid>();
        var stray = new List<StrayAuditRows>();
        await using var session = await Session.OpenAsync(db, ct).ConfigureAwait(false);
        await using (var reader = await session.QueryAsync("""SELECT "Id" FROM "Practices" """, null, ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (Cell.TryGuid(Cell.Raw(reader, 0), sqlite, out var id))
                {
                    practices.Add(id); // a practice row's id is not audit data: one that is not an id names no chain
                }
            }
        }
        foreach (var table in new[] { EntriesTable, CheckpointsTable })
        {
            await using var reader = await session.QueryAsync($"""SELECT "PracticeId", COUNT(*) FROM "{table}" GROUP BY "PracticeId" """, null, ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var raw = Cell.Raw(reader, 0);
                if (Cell.TryGuid(raw, sqlite, out var id))
                {
                    practices.Add(id);
                }
                else
                {
                    stray.Add(new StrayAuditRows(table, Cell.Show(raw), reader.GetInt64(1)));
                }
            }
        }
        return new AuditChains([.. practices], stray);
    }

    /// <summary>One practice's entries in sequence order (then row id), streamed; the caller scopes <paramref name="db"/> to the practice first.</summary>
    public static async IAsyncEnumerable<StoredEntry> EntriesAsync(ConfideDbContext db, Guid practiceId, [EnumeratorCancellation] CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        await using var session = await Session.OpenAsync(db, ct).ConfigureAwait(false);
        var sql = $"""SELECT {Columns(EntryColumns)} FROM "{EntriesTable}" WHERE "PracticeId" = @practice ORDER BY "Sequence", "Id" """;
        await using var reader = await session.QueryAsync(sql, Cell.Stored(practiceId, sqlite), ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var c = new Cell(reader, sqlite);
            var id = c.Guid(0, "Id");
            var practice = c.Guid(1, "PracticeId");
            var sequence = c.Long(2, "Sequence");
            var entry = new AuditRecord(
                practice,
                sequence,
                c.Time(3, "At"),
                c.NullableGuid(4, "ActorUserId"),
                c.String(5, "Action"),
                c.String(6, "TargetType"),
                c.String(7, "TargetId"),
                c.NullableGuid(8, "ClientId"),
                c.NullableString(9, "Detail"),
                c.Bytes(10, "PrevHash"),
                c.Bytes(11, "Hash"),
                c.Int(12, "Format")
            );
            yield return c.Problems.Count == 0
                ? new StoredEntry(entry, sequence, null)
                : new StoredEntry(default, c.Failed("Sequence") ? null : sequence, c.Describe(c.Failed("Id") ? null : id));
        }
    }

    /// <summary>One practice's stored checkpoints; the caller scopes <paramref name="db"/> to the practice first.</summary>
    public static async Task<IReadOnlyList<StoredCheckpointRow>> CheckpointsAsync(ConfideDbContext db, Guid practiceId, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        var rows = new List<StoredCheckpointRow>();
        await using var session = await Session.OpenAsync(db, ct).ConfigureAwait(false);
        var sql = $"""SELECT {Columns(CheckpointColumns)} FROM "{CheckpointsTable}" WHERE "PracticeId" = @practice""";
        await using var reader = await session.QueryAsync(sql, Cell.Stored(practiceId, sqlite), ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var c = new Cell(reader, sqlite);
            var row = new StoredCheckpoint
            {
                Id = c.Guid(0, "Id"),
                PracticeId = c.Guid(1, "PracticeId"),
                EntryCount = c.Long(2, "EntryCount"),
                HeadHash = c.Bytes(3, "HeadHash"),
                At = c.Time(4, "At"),
                Format = c.Int(5, "Format"),
                Signature = c.Bytes(6, "Signature"),
                PublicKey = c.Bytes(7, "PublicKey"),
                KeyId = c.String(8, "KeyId"),
            };
            rows.Add(
                c.Problems.Count == 0
                    ? new StoredCheckpointRow(row, row.Id, row.EntryCount, null)
                    : new StoredCheckpointRow(null, c.Failed("Id") ? Guid.Empty : row.Id, c.Failed("EntryCount") ? 0 : row.EntryCount, c.Describe(null))
            );
        }
        return rows;
    }

    private static string Columns(string[] names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <summary>
    /// The context's connection, opened through EF so that the practice setting row-level security
    /// reads is in place (a first command through EF applies it), with commands made on it directly:
    /// EF's materializer would throw on a value of the wrong type, which is exactly what must be reported.
    /// </summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly ConfideDbContext _db;
        private readonly List<DbCommand> _commands = [];

        private Session(ConfideDbContext db) => _db = db;

        public static async Task<Session> OpenAsync(ConfideDbContext db, CancellationToken ct)
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
            var session = new Session(db);
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1", ct).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return session;
        }

        public async Task<DbDataReader> QueryAsync(string sql, object? practice, CancellationToken ct)
        {
            var command = _db.Database.GetDbConnection().CreateCommand();
            _commands.Add(command);
            command.CommandText = sql;
            command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
            if (practice is not null)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@practice";
                p.Value = practice;
                command.Parameters.Add(p);
            }
            return await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
            await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The cells of one row, each read strictly; the columns that failed are collected, not thrown.</summary>
    private sealed class Cell(DbDataReader reader, bool sqlite)
    {
        private static readonly object Unreadable = new();

        public List<string> Problems { get; } = [];

        public bool Failed(string column) => Problems.Any(p => p.StartsWith(column + " ", StringComparison.Ordinal));

        public string Describe(Guid? rowId) => (rowId is { } id ? $"row {id:D}: " : "") + string.Join("; ", Problems);

        /// <summary>The stored value (null for NULL), or <see cref="Unreadable"/> when the driver cannot produce one.</summary>
        public static object? Raw(DbDataReader reader, int i)
        {
            try
            {
                return reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentException or NotSupportedException or InvalidOperationException)
            {
                return Unreadable; // e.g. a PostgreSQL time of 'infinity', which .NET has no value for
            }
        }

        /// <summary>The value an id is stored as: upper-case text on SQLite (EF's form), a uuid on PostgreSQL.</summary>
        public static object Stored(Guid id, bool sqlite) => sqlite ? id.ToString("D").ToUpperInvariant() : id;

        public static bool TryGuid(object? raw, bool sqlite, out Guid id)
        {
            id = System.Guid.Empty;
            if (sqlite)
            {
                return raw is string text && System.Guid.TryParseExact(text, "D", out id) && string.Equals(text, id.ToString("D").ToUpperInvariant(), StringComparison.Ordinal);
            }
            if (raw is System.Guid uuid)
            {
                id = uuid;
                return true;
            }
            return false;
        }

        /// <summary>A stored value, shown without letting it say anything: quoted and cut to 40 characters, control characters escaped, bytes in hex.</summary>
        public static string Show(object? raw)
        {
            switch (raw)
            {
                case null:
                    return "NULL";
                case byte[] bytes:
                    return $"x'{Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(bytes.Length, 16)))}{(bytes.Length > 16 ? "…" : "")}'";
                case string s:
                    var b = new StringBuilder("'");
                    foreach (var ch in s.Take(40))
                    {
                        b.Append(char.IsControl(ch) || char.IsSurrogate(ch) || ch == '\'' ? $"\\u{(int)ch:x4}" : ch);
                    }
                    return b.Append(s.Length > 40 ? "…'" : "'").ToString();
                case IFormattable f:
                    return f.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return raw == Unreadable ? "(unreadable)" : raw.GetType().Name;
            }
        }

        public Guid Guid(int i, string column) => NullableGuid(i, column, required: true) ?? System.Guid.Empty;

        public Guid? NullableGuid(int i, string column, bool required = false)
        {
            var raw = Value(i, column, required);
            if (raw is null)
            {
                return null;
            }
            if (TryGuid(raw, sqlite, out var id))
            {
                return id;
            }
            return Wrong<Guid?>(column, sqlite ? "an id as upper-case text" : "a uuid", null);
        }

        public long Long(int i, string column) =>
            Value(i, column, required: true) switch
            {
                null => default,
                long n => n,
                _ => Wrong(column, "an integer", 0L),
            };

        public int Int(int i, string column) =>
            Value(i, column, required: true) switch
            {
                null => default,
                long n when sqlite && n is >= int.MinValue and <= int.MaxValue => (int)n,
                int n when !sqlite => n,
                _ => Wrong(column, "a 32-bit integer", 0),
            };

        public string String(int i, string column) => NullableString(i, column, required: true) ?? "";

        public string? NullableString(int i, string column, bool required = false) =>
            Value(i, column, required) switch
            {
                null => null,
                string s => s,
                _ => Wrong(column, "text", ""),
            };

        public byte[] Bytes(int i, string column) =>
            Value(i, column, required: true) switch
            {
                null => [],
                byte[] b => b,
                _ => Wrong(column, "bytes", Array.Empty<byte>()),
            };

        public DateTimeOffset Time(int i, string column)
        {
            var raw = Value(i, column, required: true);
            switch (raw)
            {
                case null:
                    return default;
                case long ticks when sqlite && ticks is >= 0 and <= 3_155_378_975_999_999_999: // UTC ticks (ConfideDbContext's converter), within DateTime's range
                    return new DateTimeOffset(ticks, TimeSpan.Zero);
                case DateTime d when !sqlite && d.Kind == DateTimeKind.Utc:
                    return new DateTimeOffset(d);
                case DateTimeOffset o when !sqlite:
                    return o;
                default:
                    return Wrong(column, "a time", default(DateTimeOffset));
            }
        }

        private object? Value(int i, string column, bool required)
        {
            var raw = Raw(reader, i);
            if (raw == Unreadable)
            {
                Problems.Add($"{column} cannot be read");
                return null;
            }
            if (raw is null && required)
            {
                Problems.Add($"{column} is NULL");
            }
            return raw;
        }

        private T Wrong<T>(string column, string expected, T fallback)
        {
            Problems.Add($"{column} is not {expected} as the app stores it");
            return fallback;
        }
    }
}
