using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Confide.Web;

/// <summary>
/// Sign-in, sign-out and two-factor events in the audit log, in the same transaction as what Identity
/// saves for them (a failed count, a lockout, a reset count, two-factor turned on): the action runs
/// inside a transaction, its entry is added, one save seals it, one commit. Identifiers and codes
/// only: the user's id, the step, the outcome; never the email typed or the code.
/// A sign-in for an email that names no account belongs to no practice's chain: nothing is recorded.
/// </summary>
internal static class SignInAudit
{
    /// <summary>Runs <paramref name="action"/> in a transaction and appends what <paramref name="entry"/> makes of its result.</summary>
    public static async Task<T> RunAsync<T>(
        ConfideDbContext db,
        IAuditTrail audit,
        User user,
        Func<Task<T>> action,
        Func<T, AuditEvent?> entry,
        CancellationToken ct
    )
    {
        // The practice is not in the cookie yet (or any more): the entry is written as the user's practice (row-level security).
        db.Scope.Use(user.PracticeId);
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await using (transaction)
        {
            var result = await action();
            if (entry(result) is { } e)
            {
                audit.Add(user.PracticeId, user.Id, e);
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
            return result;
        }
    }

    /// <summary>The entry for <paramref name="user"/>'s sign-in step's result.</summary>
    public static AuditEvent ForResult(User user, SignInResult result, SignInStep step, int failedCount)
    {
        ArgumentNullException.ThrowIfNull(user);
        return result switch
        {
            { Succeeded: true } => AuditEvent.SignedIn(user.Id, withCode: step == SignInStep.Code),
            { RequiresTwoFactor: true } => AuditEvent.SignInNeedsCode(user.Id),
            { IsLockedOut: true } => AuditEvent.SignInLockedOut(user.Id, step),
            { IsNotAllowed: true } => AuditEvent.SignInNotAllowed(user.Id, step),
            _ => AuditEvent.SignInFailed(user.Id, step, failedCount),
        };
    }
}
