using System.Data.Common;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;

namespace AidTracker.Tests.Storage;

/// <summary>SQLite's fragments where they differ from PostgreSQL's, each run on a real SQLite file.</summary>
public sealed class SqliteDialectTests : IAsyncLifetime
{
    private readonly SqlDialect _dialect = SqliteDialect.Instance;
    private readonly SqliteDatabase _database = new(Path.Combine(ApiFixture.NewFolder(), "dialect.db"), 5000);
    private DbConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = await _database.OpenPrimaryAsync();
        await DialectChecks.CreateThingsAsync(_connection, "id INTEGER PRIMARY KEY");
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
        await DialectChecks.InFindsTheListedKeysAsync(_dialect, _connection);
    }

    [Fact]
    public async Task ContinueIdentity_is_empty_because_sqlite_hands_out_the_id_after_the_highest_itself()
    {
        Assert.Equal("", _dialect.ContinueIdentity("things"));
        await DialectChecks.NextIdFollowsIdsWrittenExplicitlyAsync(_dialect, _connection);
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
        await DialectChecks.UniqueViolationsAreKnownAndChecksAreNotAsync(_dialect, _connection);
    }

    [Fact]
    public async Task DecimalText_writes_minor_units_with_their_decimals_and_keeps_null()
    {
        await DialectChecks.DecimalTextKeepsTheDecimalsAndNullAsync(_dialect, _connection, "NULL");
    }
}
