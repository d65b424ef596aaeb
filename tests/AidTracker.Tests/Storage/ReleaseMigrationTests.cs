using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Releases;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>
/// A release made before migration 0015 promised its exports byte for byte: on a database made by the schema before it
/// (0014) with the rows of tests/fixtures/release-before-0015 and a release of them, migrated, the release's CSV, NDJSON
/// and Parquet files are the bytes that the build before 0015 wrote for it (that folder's files, made by its generate
/// script with that build's own export code), and the CSV's SHA-256 is the one the release stored.
/// </summary>
public sealed class ReleaseMigrationTests
{
    private const string Release = "2022-05";

    private static readonly string Folder = FindFolder();

    private static string FindFolder()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AidTracker.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("No AidTracker.sln above the test's folder.");
        return Path.Combine(root, "tests", "fixtures", "release-before-0015");
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(Folder, name)).Trim();

    [Fact]
    public async Task A_release_made_before_migration_0015_exports_the_same_bytes_and_sha256_after_it()
    {
        await using var database = await EvidenceMigrationTests.OldDatabase.CreateAsync();
        var connection = database.Connection;
        await MigrationRunner.ApplyAsync(connection, database.Migrations.Where(m => m.Version < 15).ToList(), TimeProvider.System);
        await connection.ExecuteAsync(Fixture("rows.sql"));
        var asOf = Fixture("as_of.txt");
        var sha256 = Fixture("donations.csv.sha256");
        await connection.ExecuteAsync("""
            INSERT INTO releases (id, title, notes, as_of, row_count, csv_sha256, created_at, created_by)
            VALUES (@Release, 'Before migration 0015', NULL, @AsOf, @Rows, @Sha256, '2022-05-02T00:00:00.0000000Z', 'admin')
            """, new { Release, AsOf = asOf, Rows = long.Parse(Fixture("row_count.txt")), Sha256 = sha256 });

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        Assert.Equal(LegacyDonationColumns.Format, await connection.ExecuteScalarAsync<long>("SELECT format FROM releases WHERE id = @Release", new { Release }));
        using var migrated = database.Open();
        var export = new TableExport(migrated, TimeProvider.System, new ReleaseLayouts(migrated));
        var release = DonationFilter.All with { AsOf = asOf, Release = Release };
        Assert.Equal(sha256, (await export.DigestCsvAsync(ExportTables.Donations, release, default)).Sha256);
        Assert.Equal(await ReadFixtureAsync("donations.csv"), await WrittenAsync(output => export.WriteCsvAsync(ExportTables.Donations, release, output, default)));
        Assert.Equal(await ReadFixtureAsync("donations.ndjson"), await WrittenAsync(output => export.WriteNdjsonAsync(ExportTables.Donations, release, output, default)));
        Assert.Equal(await ReadFixtureAsync("donations.parquet"), await WrittenAsync(output => export.WriteParquetAsync(ExportTables.Donations, release, output, default)));

        // The same moment without the release reads the current columns.
        var header = System.Text.Encoding.UTF8.GetString(await WrittenAsync(output => export.WriteCsvAsync(ExportTables.Donations, release with { Release = null }, output, default)));
        Assert.StartsWith(ExportTables.Donations.CsvHeader + "\r\n", header, StringComparison.Ordinal);
    }

    private static Task<byte[]> ReadFixtureAsync(string name) => File.ReadAllBytesAsync(Path.Combine(Folder, name));

    private static async Task<byte[]> WrittenAsync(Func<Stream, Task> write)
    {
        using var output = new MemoryStream();
        await write(output);
        return output.ToArray();
    }
}
