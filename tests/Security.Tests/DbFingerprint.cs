using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Confide.Security.Tests;

/// <summary>A hash of every row of every table but the audit log's, to show a refused request changed nothing (SQLite or PostgreSQL).</summary>
public static class DbFingerprint
{
    public static async Task<string> TakeAsync(SecurityApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = app.NewDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        var postgres = db.Database.IsNpgsql();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = postgres
                ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables.Where(t => !t.Contains("Audit", StringComparison.OrdinalIgnoreCase)))
        {
            await using var select = connection.CreateCommand();
#pragma warning disable CA2100 // the table names come from sqlite_master, not from input
            // PostgreSQL has no rowid: each row as its text, in that order (the owner's connection sees every practice).
            select.CommandText = postgres ? $"SELECT t::text FROM \"{table}\" t ORDER BY 1" : $"SELECT * FROM \"{table}\" ORDER BY rowid";
#pragma warning restore CA2100
            await using var reader = await select.ExecuteReaderAsync(ct);
            hash.AppendData(Encoding.UTF8.GetBytes($"[{table}]"));
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                    hash.AppendData(Encoding.UTF8.GetBytes($"{value}\u001f"));
                }
                hash.AppendData("\u001e"u8);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
