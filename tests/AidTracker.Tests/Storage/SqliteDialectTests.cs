using System.Data.Common;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;

namespace AidTracker.Tests.Storage;

/// <summary>SQLite's fragments where they differ from PostgreSQL's, each run on a real SQLite file.</summary>
public sealed class SqliteDialectTests : IAsyncLifetime
{
    private readonly SqlDialect _dialect = new SqliteDialect();
    private readonly SqliteDatabase _database = new(Path.Combine(ApiFixture.NewFolder(), "dialect.db"), 5000);
    private DbConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = await _database.OpenPrimaryAsync();
        await _connection.ExecuteAsync("""
            CREATE TABLE things (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, size INTEGER CHECK (size > 0));
            INSERT INTO things (id, code, size) VALUES (1, 'POL', 1), (2, 'UKR', 2), (3, 'NOR', 3);
            """);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task In_takes_a_list_that_dapper_expands_item_by_item()
    {
        Assert.Equal("code IN @Keys", _dialect.In("code", "Keys"));

        var found = await _connection.QueryAsync<string>($"SELECT code FROM things WHERE {_dialect.In("code", "Keys")} ORDER BY code", new { Keys = new[] { "UKR", "POL", "XXX" } });

        Assert.Equal(["POL", "UKR"], found);
    }

    [Fact]
    public async Task ContinueIdentity_is_empty_because_sqlite_hands_out_the_id_after_the_highest_itself()
    {
        await _connection.ExecuteAsync("INSERT INTO things (id, code) VALUES (41, 'FRA')");

        var next = await _connection.ExecuteScalarAsync<long>("INSERT INTO things (code) VALUES ('DEU') RETURNING id");

        Assert.Equal("", _dialect.ContinueIdentity("things"));
        Assert.Equal(42, next);
    }

    [Fact]
    public async Task SearchQuery_quotes_each_term_as_a_phrase_that_fts5_matches_and_marks_a_prefix()
    {
        var query = _dialect.SearchQuery([(["anti", "tank"], false), (["leo"], true)]);
        await _connection.ExecuteAsync("""
            CREATE VIRTUAL TABLE notes USING fts5(body);
            INSERT INTO notes (rowid, body) VALUES (1, 'anti tank missiles and Leopard tanks'), (2, 'tank anti'), (3, 'anti tank only');
            """);

        var matched = await _connection.QueryAsync<long>("SELECT rowid FROM notes WHERE notes MATCH @Query ORDER BY rowid", new { Query = query });

        Assert.Equal("\"anti tank\" \"leo\" *", query);
        Assert.Equal([1L], matched);
    }

    [Fact]
    public async Task IsUniqueViolation_is_true_for_a_primary_key_or_unique_refusal_and_false_for_a_check()
    {
        var primaryKey = await Assert.ThrowsAnyAsync<DbException>(() => _connection.ExecuteAsync("INSERT INTO things (id, code) VALUES (1, 'EST')"));
        var unique = await Assert.ThrowsAnyAsync<DbException>(() => _connection.ExecuteAsync("INSERT INTO things (code) VALUES ('POL')"));
        var check = await Assert.ThrowsAnyAsync<DbException>(() => _connection.ExecuteAsync("INSERT INTO things (code, size) VALUES ('LVA', 0)"));

        Assert.True(_dialect.IsUniqueViolation(primaryKey));
        Assert.True(_dialect.IsUniqueViolation(unique));
        Assert.False(_dialect.IsUniqueViolation(check));
    }

    [Fact]
    public async Task DecimalText_writes_minor_units_with_their_decimals_and_keeps_null()
    {
        var (cents, yen, none) = await _connection.QuerySingleAsync<(string, string, string?)>(
            $"SELECT {_dialect.DecimalText("1205", 2)}, {_dialect.DecimalText("1205", 0)}, {_dialect.DecimalText("NULL", 2)}");

        Assert.Equal(("12.05", "1205", null), (cents, yen, none));
    }
}
