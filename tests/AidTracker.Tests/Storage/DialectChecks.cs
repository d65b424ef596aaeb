using System.Data.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests.Storage;

/// <summary>
/// What every dialect's differing fragments must do, each on its own engine: the tests of each dialect run these on
/// a real connection, in a table <c>things</c> that <see cref="CreateThingsAsync"/> makes.
/// </summary>
internal static class DialectChecks
{
    /// <summary>A temporary table with an id (<paramref name="id"/>: the engine's way), a unique code and a checked size.</summary>
    public static Task CreateThingsAsync(DbConnection connection, string id) => connection.ExecuteAsync($"""
        CREATE TEMPORARY TABLE things ({id}, code TEXT NOT NULL UNIQUE, size BIGINT CHECK (size > 0));
        INSERT INTO things (id, code, size) VALUES (1, 'POL', 1), (2, 'UKR', 2), (3, 'NOR', 3);
        """);

    public static async Task InFindsTheListedKeysAsync(SqlDialect dialect, DbConnection connection)
    {
        var found = await connection.QueryAsync<string>(
            $"SELECT code FROM things WHERE {dialect.In("code", "Keys")} ORDER BY code", new { Keys = new[] { "UKR", "POL", "XXX" } });

        Assert.Equal(["POL", "UKR"], found);
    }

    public static async Task NextIdFollowsIdsWrittenExplicitlyAsync(SqlDialect dialect, DbConnection connection)
    {
        await connection.ExecuteAsync("INSERT INTO things (id, code) VALUES (41, 'FRA')");

        if (dialect.ContinueIdentity("things") is { Length: > 0 } sql) await connection.ExecuteAsync(sql);
        var next = await connection.ExecuteScalarAsync<long>("INSERT INTO things (code) VALUES ('DEU') RETURNING id");

        Assert.Equal(42, next);
    }

    public static async Task UniqueViolationsAreKnownAndChecksAreNotAsync(SqlDialect dialect, DbConnection connection)
    {
        var primaryKey = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("INSERT INTO things (id, code) VALUES (1, 'EST')"));
        var unique = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("INSERT INTO things (code) VALUES ('POL')"));
        var check = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("INSERT INTO things (code, size) VALUES ('LVA', 0)"));

        Assert.True(dialect.IsUniqueViolation(primaryKey));
        Assert.True(dialect.IsUniqueViolation(unique));
        Assert.False(dialect.IsUniqueViolation(check));
    }

    /// <param name="nullMinor">A NULL of the minor units' type, as the engine writes it.</param>
    public static async Task DecimalTextKeepsTheDecimalsAndNullAsync(SqlDialect dialect, DbConnection connection, string nullMinor)
    {
        var (cents, yen, none) = await connection.QuerySingleAsync<(string, string, string?)>(
            $"SELECT {dialect.DecimalText("1205", 2)}, {dialect.DecimalText("1205", 0)}, {dialect.DecimalText(nullMinor, 2)}");

        Assert.Equal(("12.05", "1205", null), (cents, yen, none));
    }
}
