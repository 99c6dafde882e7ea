using System.Data.Common;
using System.Globalization;
using Confide.Data;
using Confide.Data.Audit;
using CsCheck;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Confide.Cli.Tests;

/// <summary>
/// <c>confide audit verify</c> against stored rows changed the way someone holding the database's
/// password could change them (CsCheck draws the change): any column of any audit entry or stored
/// checkpoint set to another value of its type, to a value of another type, to NULL (after the
/// attacker drops the constraint), moved to another practice (an existing one, a new id, or the same
/// id spelled differently), or an entry duplicated. Every change gives exit 3 naming what is wrong —
/// never 1 (a crash), never 0. Each draw runs on a fresh copy of one database (a file copy on SQLite,
/// <c>CREATE DATABASE ... TEMPLATE</c> on PostgreSQL).
/// </summary>
/// <remarks>
/// Not drawn: an entry's or checkpoint's row id changed to another well-formed id (the id is the row's
/// key, not part of what the log says, so it is not hashed), and a checkpoint row copied whole (two
/// instances may sign the same head; a copy says nothing new).
/// </remarks>
public abstract class AuditMutationTests<TStore>
    where TStore : AuditStore, new()
{
    internal enum Change
    {
        OtherValue,
        OtherType,
        Null,
        Moved,
        Duplicated,
    }

    internal enum Kind
    {
        Id,
        Long,
        Int,
        Time,
        Text,
        Bytes,
    }

    internal sealed record Column(string Name, Kind Kind, bool Nullable = false);

    internal sealed record Mutation(string Table, int Row, Column Column, Change Change, int Move, byte[] Random, long Number)
    {
        public override string ToString() =>
            $"{Change} {Table}.{Column.Name} of row {Row} (move {Move}, number {Number}, bytes {Convert.ToHexStringLower(Random)})";
    }

    internal static readonly Column[] EntryColumns =
    [
        new("Id", Kind.Id),
        new("PracticeId", Kind.Id),
        new("Sequence", Kind.Long),
        new("At", Kind.Time),
        new("ActorUserId", Kind.Id, Nullable: true),
        new("Action", Kind.Text),
        new("TargetType", Kind.Text),
        new("TargetId", Kind.Text),
        new("ClientId", Kind.Id, Nullable: true),
        new("Detail", Kind.Text, Nullable: true),
        new("PrevHash", Kind.Bytes),
        new("Hash", Kind.Bytes),
        new("Format", Kind.Int),
    ];

    internal static readonly Column[] CheckpointColumns =
    [
        new("Id", Kind.Id),
        new("PracticeId", Kind.Id),
        new("EntryCount", Kind.Long),
        new("HeadHash", Kind.Bytes),
        new("At", Kind.Time),
        new("Format", Kind.Int),
        new("Signature", Kind.Bytes),
        new("PublicKey", Kind.Bytes),
        new("KeyId", Kind.Text),
    ];

    private const int EntriesA = 6;
    private const int EntriesB = 4;

    protected abstract int Draws { get; }

    protected abstract bool Postgres { get; }

    internal static Gen<Mutation> Mutations(bool postgres) =>
        from table in Gen.Int[0, 3].Select(i => i == 0 ? "AuditCheckpoints" : "AuditEntries")
        let columns = table == "AuditEntries" ? EntryColumns : CheckpointColumns
        from column in Gen.OneOf(columns)
        from change in Gen.OneOf(Enum.GetValues<Change>())
        from row in Gen.Int[0, table == "AuditEntries" ? EntriesA + EntriesB - 1 : 1]
        from move in Gen.Int[0, postgres ? 1 : 3]
        from random in Gen.Byte.Array[1, 40]
        from number in Gen.Long
        where Applies(change, table, column, postgres)
        select new Mutation(table, row, column, change, move, random, number);

    private static bool Applies(Change change, string table, Column column, bool postgres) =>
        change switch
        {
            Change.Moved => column.Name == "PracticeId",
            Change.Duplicated => table == "AuditEntries" && column.Name == "Id",
            Change.OtherValue => column.Name is not ("Id" or "PracticeId"), // another row id is not a change of the log; moving is drawn on its own
            // PostgreSQL: a column's type is changed for the whole column; the practice id is in the row-level security policies.
            Change.OtherType => !(postgres && column.Name is "PracticeId" or "Id"),
            Change.Null => !(postgres && column.Name == "Id"), // PostgreSQL keeps a primary key NOT NULL whatever the attacker does
            _ => true,
        };

    [Fact]
    public async Task Verify_AnyChangeToAnyStoredRow_Exit3_NeverACrash()
    {
        await using var store = new TStore();
        await store.InitializeAsync();
        var a = await store.NewPracticeAsync(EntriesA);
        var b = await store.NewPracticeAsync(EntriesB);
        await using (var scope = store.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
            var key = scope.ServiceProvider.GetRequiredService<AuditSigningKey>();
            Assert.NotNull((await AuditCheckpoints.WriteAsync(db, key, a, store.Time.GetUtcNow(), TestContext.Current.CancellationToken)).Written);
            Assert.NotNull((await AuditCheckpoints.WriteAsync(db, key, b, store.Time.GetUtcNow(), TestContext.Current.CancellationToken)).Written);
        }
        var intact = store.Cli("audit", "verify");
        Assert.True(intact.Code == 0, intact.ToString());

        var changed = 0;
        var draw = 0;
        foreach (var mutation in Mutations(Postgres).Array[Draws].Generate(new PCG(29, 1206), null, out _))
        {
            draw++;
            var copy = await CopyAsync(store, draw);
            bool applied;
            await using (var connection = await OpenAsync(copy))
            {
                var before = await SnapshotAsync(connection, mutation.Table);
                await ApplyAsync(connection, mutation, [a, b]);
                applied = !before.SequenceEqual(await SnapshotAsync(connection, mutation.Table));
            }
            if (applied)
            {
                changed++;
                var r = CliRunner.Run(["audit", "verify"], Configuration(store, copy));
                Assert.True(r.Code == 3 && r.Stdout.Contains("TAMPERED", StringComparison.Ordinal), $"draw {draw}: {mutation}\n{r}");
            }
            await DropAsync(copy);
        }
        // The draws must really change rows: a change that writes back the same value proves nothing.
        Assert.True(changed >= Draws * 2 / 3, $"only {changed} of {Draws} draws changed a row");
    }

    private static IConfiguration Configuration(AuditStore store, string connectionString) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Database:Provider"] = store.Provider,
                    ["ConnectionStrings:Confide"] = connectionString,
                    ["Keys:MasterKeyFile"] = store.MasterKeyFile,
                }
            )
            .Build();

    /// <summary>A connection string to a fresh copy of the store's database.</summary>
    private async Task<string> CopyAsync(AuditStore store, int draw)
    {
        if (!Postgres)
        {
            SqliteConnection.ClearAllPools();
            var source = new SqliteConnectionStringBuilder(store.ConnectionString).DataSource;
            var target = Path.Combine(store.Dir.FullName, $"draw-{draw}.db");
            await using (var from = new SqliteConnection($"Data Source={source}"))
            await using (var to = new SqliteConnection($"Data Source={target}"))
            {
                await from.OpenAsync();
                await to.OpenAsync();
                from.BackupDatabase(to);
            }
            SqliteConnection.ClearAllPools();
            return $"Data Source={target}";
        }
        var database = new NpgsqlConnectionStringBuilder(store.ConnectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        var name = $"{database}_d{draw}";
        await using var admin = new NpgsqlConnection($"{PostgresStore.Server};Database=postgres");
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
        return $"{PostgresStore.Server};Database={name}";
    }

    private async Task DropAsync(string connectionString)
    {
        if (!Postgres)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(new SqliteConnectionStringBuilder(connectionString).DataSource);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection($"{PostgresStore.Server};Database=postgres");
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<DbConnection> OpenAsync(string connectionString)
    {
        // The attacker's own connection: SQLite's foreign keys are off unless asked for; PostgreSQL's superuser switches its triggers off.
        DbConnection connection = Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString + ";Foreign Keys=False");
        await connection.OpenAsync();
        if (Postgres)
        {
            await ExecAsync(connection, "SET session_replication_role = replica");
        }
        return connection;
    }

    private static async Task<int> ExecAsync(DbConnection connection, string sql, params object?[] values)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            p.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of the table as text with each value's type, sorted: equal snapshots mean nothing changed.</summary>
    private async Task<List<string>> SnapshotAsync(DbConnection connection, string table)
    {
        var rows = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = Postgres ? $"SELECT t::text FROM \"{table}\" t" : $"SELECT * FROM \"{table}\"";
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await ReadRowsAsync(reader, rows);
        }
        rows.Sort(StringComparer.Ordinal);
        if (Postgres)
        {
            // a column's type is part of the row
            await using var types = connection.CreateCommand();
            types.CommandText = $"SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = '{table}'";
            rows.Add((string)(await types.ExecuteScalarAsync())!);
        }
        return rows;
    }

    private static async Task ReadRowsAsync(DbDataReader reader, List<string> rows)
    {
        while (await reader.ReadAsync())
        {
            var cells = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var v = reader.IsDBNull(i) ? null : reader.GetValue(i);
                cells.Add(v switch
                {
                    null => "NULL",
                    byte[] bytes => "x" + Convert.ToHexString(bytes),
                    _ => $"{v.GetType().Name}:{Convert.ToString(v, CultureInfo.InvariantCulture)}",
                });
            }
            rows.Add(string.Join("|", cells));
        }
    }

    /// <summary>The row the mutation names: its id, in id order (entries: practice A's then B's in the order they were appended).</summary>
    private static async Task<object> RowIdAsync(DbConnection connection, Mutation m)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"Id\" FROM \"{m.Table}\" ORDER BY \"Id\"";
        var ids = new List<object>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetValue(0));
            }
        }
        return ids[m.Row % ids.Count];
    }

    private async Task ApplyAsync(DbConnection connection, Mutation m, Guid[] practices)
    {
        var id = await RowIdAsync(connection, m);
        var col = $"\"{m.Column.Name}\"";
        var table = $"\"{m.Table}\"";
        // The unique index on (practice, sequence) would refuse a moved or copied entry: the attacker drops it first.
        await ExecAsync(connection, "DROP INDEX IF EXISTS \"IX_AuditEntries_PracticeId_Sequence\"");
        switch (m.Change)
        {
            case Change.OtherValue:
                await ExecAsync(connection, $"UPDATE {table} SET {col} = @p0 WHERE \"Id\" = @p1", OtherValue(m), id);
                break;
            case Change.OtherType when Postgres:
                // (varchar to text would change nothing a reader sees: text columns become bytes instead)
                var (type, cast) = m.Column.Kind switch
                {
                    Kind.Bytes => ("text", $"encode({col}, 'hex')"),
                    Kind.Text => ("bytea", $"convert_to({col}, 'UTF8')"),
                    _ => ("text", $"{col}::text"),
                };
                await ExecAsync(connection, $"ALTER TABLE {table} ALTER COLUMN {col} TYPE {type} USING {cast}");
                break;
            case Change.OtherType:
                // a value SQLite keeps as given in a column of any affinity: a BLOB, or text where bytes belong
                object other = m.Column.Kind == Kind.Bytes ? "not bytes" : m.Random;
                await ExecAsync(connection, $"UPDATE {table} SET {col} = @p0 WHERE \"Id\" = @p1", other, id);
                break;
            case Change.Null:
                if (Postgres)
                {
                    await ExecAsync(connection, $"ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL");
                }
                else if (!m.Column.Nullable)
                {
                    // SQLite cannot drop a constraint: the attacker rebuilds the table without any.
                    await ExecAsync(connection, $"CREATE TABLE \"copy\" AS SELECT * FROM {table}; DROP TABLE {table}; ALTER TABLE \"copy\" RENAME TO {table}");
                }
                await ExecAsync(connection, $"UPDATE {table} SET {col} = NULL WHERE \"Id\" = @p0", id);
                break;
            case Change.Moved:
                await ExecAsync(connection, $"UPDATE {table} SET {col} = @p0 WHERE \"Id\" = @p1", MovedTo(m, practices, await PracticeOfAsync(connection, m, id)), id);
                break;
            case Change.Duplicated:
                var columns = string.Join(", ", EntryColumns.Skip(1).Select(c => $"\"{c.Name}\""));
                await ExecAsync(connection, $"INSERT INTO {table} (\"Id\", {columns}) SELECT @p0, {columns} FROM {table} WHERE \"Id\" = @p1", Stored(Guid.NewGuid()), id);
                break;
        }
    }

    private object Stored(Guid id) => Postgres ? id : id.ToString("D").ToUpperInvariant();

    private static async Task<Guid> PracticeOfAsync(DbConnection connection, Mutation m, object id)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"PracticeId\" FROM \"{m.Table}\" WHERE \"Id\" = @p0";
        var p = command.CreateParameter();
        p.ParameterName = "@p0";
        p.Value = id;
        command.Parameters.Add(p);
        var value = await command.ExecuteScalarAsync();
        return value is Guid g ? g : Guid.Parse((string)value!);
    }

    /// <summary>Another practice (the other one, or a new id), or on SQLite an id spelled in lower case (the other practice's, or its own).</summary>
    private object MovedTo(Mutation m, Guid[] practices, Guid own)
    {
        var other = practices.First(p => p != own);
        return m.Move switch
        {
            0 => Stored(other),
            1 => Stored(new Guid(m.Random.Concat(new byte[16]).Take(16).ToArray())),
            2 => other.ToString("D"),
            _ => own.ToString("D"),
        };
    }

    /// <summary>Another value of the column's own type, as the app would store one.</summary>
    private object OtherValue(Mutation m) =>
        m.Column.Kind switch
        {
            Kind.Id => Stored(new Guid(m.Random.Concat(new byte[16]).Take(16).ToArray())),
            Kind.Long => m.Number,
            Kind.Int => (int)Math.Abs(m.Number % 1000) + 3, // formats 1 and 2 exist
            Kind.Time => Postgres
                ? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(m.Number % 300_000_000)
                : new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(m.Number % 300_000_000).UtcTicks,
            Kind.Text => Convert.ToBase64String(m.Random),
            _ => m.Random,
        };
}

public sealed class SqliteAuditMutationTests : AuditMutationTests<SqliteStore>
{
    protected override int Draws => 60;

    protected override bool Postgres => false;
}

public sealed class PostgresAuditMutationTests : AuditMutationTests<PostgresStore>
{
    protected override int Draws => 30;

    protected override bool Postgres => true;
}
