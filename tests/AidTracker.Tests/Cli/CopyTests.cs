using AidTracker.Api.Cli;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Packages;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>
/// The copy verb, on the generated donations and edge cases of <see cref="DonationJsonFixture"/>: from the fixture's
/// database (SQLite, or PostgreSQL in the PostgreSQL leg) into a new SQLite file, and in the PostgreSQL leg on into a
/// new PostgreSQL database: SQLite into PostgreSQL and back.
/// </summary>
public sealed class CopyTests(DonationJsonFixture app) : IClassFixture<DonationJsonFixture>
{
    [Fact]
    public async Task A_copy_keeps_every_row_and_id_and_its_csv_export_has_the_same_sha256()
    {
        var file = Path.Combine(app.Folder, "copy.db");
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{file}"], output, error);

        Assert.True(exit == 0, error.ToString());
        var expected = await new TableExport(app.Connections, TimeProvider.System).DigestCsvAsync(ExportTables.Donations, DonationFilter.All, default);
        Assert.Contains($"CSV export SHA-256, the same on both sides: {expected.Sha256}", output.ToString(), StringComparison.Ordinal);
        using var copy = new SqliteDatabase(file, 5000);
        await AssertSameTablesAsync(app.Connections, copy);

        if (!app.OnPostgres) return;
        var database = await NewPostgresDatabaseAsync();
        try
        {
            exit = await CopyCommand.RunAsync(app.Services, ["--from", $"sqlite:{file}", "--to", $"postgres:{database}"], output, error);
            Assert.True(exit == 0, error.ToString());
            using var back = new PostgresDatabase(database, null);
            await AssertSameTablesAsync(app.Connections, back);
            Assert.Equal(expected, await new TableExport(back, TimeProvider.System).DigestCsvAsync(ExportTables.Donations, DonationFilter.All, default));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(ApiFixture.PostgresServer);
            await connection.ExecuteAsync($"DROP DATABASE {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_copy_continues_ids_after_the_copied_ones_and_keeps_the_search_index_and_rollup()
    {
        var file = Path.Combine(app.Folder, "continued.db");
        Assert.Equal(0, await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{file}"], new StringWriter(), new StringWriter()));

        using var copy = new SqliteDatabase(file, 5000);
        var donations = new DonationRepository(copy);
        var write = SyntheticDataset.Generate(1, 99, BundledData.WeaponSystemCategories(), citing: Donations.SeedSource).Single();
        var row = await donations.CreateAsync(write, new ChangeContext("copy-test", null, TimeProvider.System), default);
        await using var connection = await copy.OpenAsync();
        Assert.Equal(await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM donations WHERE id < @Id", new { row.Id }) + 1, row.Id);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donations_fts") > 100);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT sum(count) FROM donation_rollup") > 100);
    }

    [Fact]
    public async Task A_copy_keeps_sources_and_packages_with_their_history_and_tombstones_and_continues_their_ids()
    {
        var change = new RecordChange("copy-test", "request-1", TimeProvider.System);
        var sources = app.Services.GetRequiredService<RecordRepository<SourceRow>>();
        var packages = app.Services.GetRequiredService<RecordRepository<PackageRow>>();
        var source = await sources.CreateAsync(new SourceWrite("news", null, null, null, null, "2022-03-01", "month", "2022-03-31", null, "uk", "B", "A citation", null), change, default);
        await sources.UpdateAsync(source.Id, null, new SourceWrite("news", "Publisher", null, null, null, "2022-03-01", "month", "2022-03-31", null, "uk", "B", "A citation", null), change, [], default);
        var gone = await sources.CreateAsync(new SourceWrite("other", null, "Gone", null, null, "2022-01-01", "year", "2022-12-31", null, null, null, null, null), change, default);
        await sources.DeleteAsync(gone.Id, null, change, [], default);
        var package = await packages.CreateAsync(new PackageWrite("USA", "PDA", "stockpile_drawdown", "2022-03-12", "day", "2022-03-12", 20000000000, "USD", null), change, default);
        var file = Path.Combine(app.Folder, "records.db");

        Assert.Equal(0, await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{file}"], new StringWriter(), new StringWriter()));

        using var copy = new SqliteDatabase(file, 5000);
        await AssertSameTablesAsync(app.Connections, copy);
        var copiedSources = new RecordRepository<SourceRow>(copy, SourceFields.Table);
        Assert.Equal(["create", "delete"], (await copiedSources.HistoryAsync(gone.Id, default)).Select(h => h.Operation));
        Assert.NotNull((await copiedSources.FindAsync(gone.Id, default))!.DeletedAt);
        Assert.Equal("Publisher", (await copiedSources.FindAsync(source.Id, default))!.Publisher);
        Assert.Equal(20000000000, (await new RecordRepository<PackageRow>(copy, PackageFields.Table).FindAsync(package.Id, default))!.ValueAmountMinor);
        var next = await copiedSources.CreateAsync(new SourceWrite("other", null, "After the copy", null, null, "2024-01-01", "year", "2024-12-31", null, null, null, null, null), change, default);
        Assert.True(next.Id > gone.Id);
    }

    [Fact]
    public async Task A_copy_of_a_database_without_donations_keeps_its_triggers()
    {
        var (empty, copy) = (Path.Combine(app.Folder, "no-donations.db"), Path.Combine(app.Folder, "no-donations-copy.db"));
        await SyntheticDataset.WriteSqliteAsync(empty, 0, 1, TimeProvider.System);
        Assert.Equal(0, await CopyCommand.RunAsync(app.Services, ["--from", $"sqlite:{empty}", "--to", $"sqlite:{copy}"], new StringWriter(), new StringWriter()));

        using var copied = new SqliteDatabase(copy, 5000);
        var write = SyntheticDataset.Generate(1, 7, BundledData.WeaponSystemCategories(), citing: Donations.SeedSource).Single();
        var row = await new DonationRepository(copied).CreateAsync(write, new ChangeContext("copy-test", null, TimeProvider.System), default);
        await using var connection = await copied.OpenAsync();
        Assert.Equal(row.Id, await connection.ExecuteScalarAsync<long>("SELECT rowid FROM donations_fts"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT sum(count) FROM donation_rollup"));
    }

    [Fact]
    public async Task A_copy_into_a_database_that_holds_data_is_refused_and_changes_nothing()
    {
        var file = Path.Combine(app.Folder, "twice.db");
        Assert.Equal(0, await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{file}"], new StringWriter(), new StringWriter()));
        var error = new StringWriter();

        Assert.Equal(1, await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{file}"], new StringWriter(), error));
        Assert.Contains("holds data already", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "sqlite:/nowhere/at/all.db", "--to", "sqlite:x.db")]
    [InlineData("--from", "mysql:x", "--to", "sqlite:x.db")]
    [InlineData("--from", "sqlite:x.db")]
    public async Task Bad_arguments_are_refused_with_usage(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await CopyCommand.RunAsync(app.Services, args, new StringWriter(), error));
        Assert.Matches("^(copy: |Usage:\ncopy )", error.ToString());
    }

    [Fact]
    public async Task A_copy_into_a_folder_that_does_not_exist_is_refused_and_makes_no_folder()
    {
        var folder = Path.Combine(app.Folder, "no-such-folder");
        var error = new StringWriter();

        Assert.Equal(2, await CopyCommand.RunAsync(app.Services, ["--from", Source(), "--to", $"sqlite:{Path.Combine(folder, "copy.db")}"], new StringWriter(), error));

        Assert.Contains($"copy: --to: no folder {folder}", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_copy_from_a_postgres_database_that_cannot_be_reached_says_so()
    {
        var missing = ApiFixture.PostgresServer is { } server
            ? new NpgsqlConnectionStringBuilder(server) { Database = "aidtracker_no_such_database" }.ConnectionString
            : "Host=127.0.0.1;Port=1;Database=aidtracker;Username=nobody;Timeout=5";
        var error = new StringWriter();

        Assert.Equal(2, await CopyCommand.RunAsync(app.Services, ["--from", $"postgres:{missing}", "--to", $"sqlite:{Path.Combine(app.Folder, "never.db")}"], new StringWriter(), error));

        Assert.StartsWith("copy: --from: cannot connect to PostgreSQL", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.Folder, "never.db")));
    }

    private string Source() => app.OnPostgres ? $"postgres:{app.PostgresConnectionString}" : $"sqlite:{app.DatabasePath}";

    /// <summary>Every table the copy carries, row for row, ids included (the search index and rollup are checked by the export and the stats).</summary>
    private static async Task AssertSameTablesAsync(Database expected, Database actual)
    {
        foreach (var (table, order) in new[]
        {
            ("countries", "code"), ("weapon_systems", "id"), ("country_history", "id"), ("weapon_system_history", "id"), ("imports", "id"),
            ("sources", "id"), ("source_history", "id"), ("packages", "id"), ("package_history", "id"), ("donations", "id"), ("donation_history", "id"), ("deliveries", "id"), ("evidence", "id"),
            ("delivery_history", "id"), ("evidence_history", "id"), ("releases", "id"), ("api_keys", "id"), ("settings", "key"),
        })
        {
            Assert.Equal(await RowsAsync(expected, table, order), await RowsAsync(actual, table, order));
        }
        Assert.Equal(await RowsAsync(expected, "donation_rollup", "donor, recipient, category, status, month"),
            await RowsAsync(actual, "donation_rollup", "donor, recipient, category, status, month"));
    }

    private static async Task<List<string>> RowsAsync(Database database, string table, string order)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync($"SELECT * FROM {table} ORDER BY {order}");
        // By column name: PostgreSQL appends the columns a migration adds, where SQLite rebuilt the table in declaration order.
        return rows.Select(row => string.Join('|', ((IDictionary<string, object?>)row).OrderBy(cell => cell.Key, StringComparer.Ordinal).Select(cell => $"{cell.Key}={Convert.ToString(cell.Value, System.Globalization.CultureInfo.InvariantCulture)}"))).ToList();
    }

    /// <summary>A new, empty database on the PostgreSQL leg's server; its connection string.</summary>
    internal static async Task<string> NewPostgresDatabaseAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(ApiFixture.PostgresServer);
        var name = $"aidtracker_copy_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }
        server.Database = name;
        return server.ConnectionString;
    }
}
