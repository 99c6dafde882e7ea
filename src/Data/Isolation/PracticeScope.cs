using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Confide.Data.Isolation;

/// <summary>
/// The practice a <see cref="ConfideDbContext"/> works for, and on PostgreSQL the setting that
/// row-level security reads (<c>confide.practice_id</c>; ADR 2611-practice-isolation). The web app
/// sets it from the signed-in user's practice claim for every request; the few anonymous lookups
/// (the calendar feed, later the client portal) set a token hash first, which lets them read only
/// the row whose secret they hold, then the practice that row belongs to. Queries still filter by
/// practice themselves: this is the second wall, not the first.
/// </summary>
public sealed class PracticeScope
{
    /// <summary>The practice every command runs for; null until known (then protected tables show nothing).</summary>
    public Guid? PracticeId { get; private set; }

    /// <summary>The SHA-256 of a bearer token being looked up (<c>confide.token_hash</c>), or null.</summary>
    public byte[]? TokenHash { get; private set; }

    /// <summary>False when the connection's settings may differ from these values (set again before the next command).</summary>
    internal bool Applied { get; set; }

    /// <summary>Every following command of this context runs for <paramref name="practiceId"/>.</summary>
    public void Use(Guid practiceId)
    {
        if (PracticeId != practiceId)
        {
            PracticeId = practiceId;
            Applied = false;
        }
    }

    /// <summary>Lets the following commands read the one token row whose hash this is (the <c>token_lookup</c> policies of the RowLevelSecurity migration).</summary>
    public void UseToken(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        TokenHash = (byte[])hash.Clone();
        Applied = false;
    }

    /// <summary>No practice and no token: protected tables show nothing.</summary>
    public void Clear()
    {
        PracticeId = null;
        TokenHash = null;
        Applied = false;
    }
}

/// <summary>
/// Sets <c>confide.practice_id</c> and <c>confide.token_hash</c> on the PostgreSQL session before
/// the first command after every connection open (or close), after every change of the context's
/// <see cref="PracticeScope"/>, and after a rollback (which undoes a setting made inside the
/// transaction). Session settings rather than transaction-local ones: EF runs most commands outside
/// an explicit transaction, where a local setting would end with its own statement. No command of a
/// context runs before its current settings are in place; a pooled connection never carries the
/// previous user's settings into a command, because the first command after an open sets both.
/// </summary>
public sealed class PracticeSessionInterceptor : DbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
{
    public static PracticeSessionInterceptor Instance { get; } = new();

    private const string SetSql = "SELECT set_config('confide.practice_id', @practice, false), set_config('confide.token_hash', @token, false)";

    private PracticeSessionInterceptor()
    {
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Apply(command, eventData.Context);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Apply(command, eventData.Context);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Apply(command, eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command,
        CommandEventData eventData,
        InterceptionResult<DbDataReader> result,
        CancellationToken cancellationToken = default
    )
    {
        await ApplyAsync(command, eventData.Context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command,
        CommandEventData eventData,
        InterceptionResult<object> result,
        CancellationToken cancellationToken = default
    )
    {
        await ApplyAsync(command, eventData.Context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command,
        CommandEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default
    )
    {
        await ApplyAsync(command, eventData.Context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Reset(eventData.Context);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    // Also on close: a connection opened again outside EF (no Opened event) must not be taken for one already set.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Reset(eventData.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Reset(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Reset(eventData.Context);

    public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Reset(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Reset(DbContext? context)
    {
        if (context is ConfideDbContext db)
        {
            db.Scope.Applied = false;
        }
    }

    private static void Apply(DbCommand command, DbContext? context)
    {
        if (context is ConfideDbContext { Scope.Applied: false } db)
        {
            using var set = SetCommand(command, db.Scope);
            set.ExecuteNonQuery();
            db.Scope.Applied = true;
        }
    }

    private static async ValueTask ApplyAsync(DbCommand command, DbContext? context, CancellationToken ct)
    {
        if (context is ConfideDbContext { Scope.Applied: false } db)
        {
            var set = SetCommand(command, db.Scope);
            await using (set.ConfigureAwait(false))
            {
                await set.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            db.Scope.Applied = true;
        }
    }

    private static DbCommand SetCommand(DbCommand command, PracticeScope scope)
    {
        var connection = command.Connection ?? throw new InvalidOperationException("a command without a connection");
        var set = connection.CreateCommand();
        set.Transaction = command.Transaction;
#pragma warning disable CA2100 // constant SQL; the values are parameters
        set.CommandText = SetSql;
#pragma warning restore CA2100
        Add(set, "practice", scope.PracticeId?.ToString("D") ?? "");
        Add(set, "token", scope.TokenHash is { } hash ? Convert.ToHexStringLower(hash) : "");
        return set;
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = DbType.String;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
