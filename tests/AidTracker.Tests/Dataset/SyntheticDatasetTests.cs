using System.Text.Json.Nodes;
using AidTracker.Api.Cli;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Tests;

/// <summary>The generator behind scripts/generate-dataset: deterministic, labelled synthetic, and loadable by the service.</summary>
public sealed class SyntheticDatasetTests : IDisposable
{
    private readonly string _folder = ApiFixture.NewFolder();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var catalogue = BundledData.WeaponSystemCategories();

        var first = SyntheticDataset.Generate(500, 7, catalogue).ToList();
        var again = SyntheticDataset.Generate(500, 7, catalogue).ToList();
        var other = SyntheticDataset.Generate(500, 8, catalogue).ToList();

        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.NotEqual(first.Select(Describe), other.Select(Describe));
    }

    [Fact]
    public void Rows_are_skewed_to_a_few_donors_and_about_a_third_undisclosed()
    {
        var rows = SyntheticDataset.Generate(20_000, 42, BundledData.WeaponSystemCategories()).ToList();

        var byDonor = rows.GroupBy(r => r.Donor).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(byDonor[0] > rows.Count / 5, $"largest donor has {byDonor[0]}");
        Assert.True(byDonor.Count > 30, $"{byDonor.Count} donors");
        Assert.InRange(rows.Count(r => r.QuantityQualifier == "undisclosed") / (double)rows.Count, 0.3, 0.4);
        Assert.All(rows, r => Assert.All(r.Evidence, e => Assert.StartsWith(SyntheticDataset.SourcePrefix, e.Quote, StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.InRange(r.Evidence.Count, 1, 3));
        Assert.All(rows, r => Assert.NotEqual(r.Donor, r.Recipient));
        Assert.All(rows, r => Assert.Equal(r.Status is "partially_delivered" or "delivered", r.Deliveries.Count > 0));
        Assert.All(rows.SelectMany(r => r.Deliveries.Select(d => (r.AnnouncedOn, d.DeliveredOn))).Where(x => x.DeliveredOn is not null),
            x => Assert.True(x.DeliveredOn!.Value.Start >= x.AnnouncedOn!.Value.Start));
        Assert.Contains(rows, r => r.AnnouncedOn!.Value.Precision == AidTracker.Api.Common.DatePrecision.Month);
        Assert.Contains(rows, r => r.Deliveries.Count == 2);
        Assert.Contains(rows, r => r.Status == "partially_delivered");
        Assert.Contains(rows, r => r.Deliveries.Skip(1).Any(d => d.DeliveredOn?.Precision == AidTracker.Api.Common.DatePrecision.Month));
        Assert.All(rows.SelectMany(r => r.Deliveries), d => Assert.NotEmpty(d.Evidence));
        // The bench's shape: about 1.5 instalments a donation, and more citations than donations.
        Assert.InRange(rows.Sum(r => r.Deliveries.Count) / (double)rows.Count, 1.3, 1.7);
        Assert.True(rows.Sum(r => r.Evidence.Count + r.Deliveries.Sum(d => d.Evidence.Count)) > 2 * rows.Count);
    }

    [Fact]
    public void Deliveries_per_day_run_smoothly_to_the_last_day_without_a_spike()
    {
        var perDay = new SortedDictionary<DateOnly, int>();
        foreach (var row in SyntheticDataset.Generate(500_000, 42, BundledData.WeaponSystemCategories()))
        {
            if (row.Deliveries is not [{ DeliveredOn: { Precision: AidTracker.Api.Common.DatePrecision.Day } delivered }, ..]) continue;
            var day = delivered.Start;
            perDay[day] = perDay.GetValueOrDefault(day) + 1;
        }
        var (first, last) = (perDay.Keys.First(), perDay.Keys.Last());

        // Each day against the mean of the 30 days before it: never more than three times that, the last day included.
        for (var day = first.AddDays(30); day <= last; day = day.AddDays(1))
        {
            var before = Enumerable.Range(1, 30).Average(back => perDay.GetValueOrDefault(day.AddDays(-back)));
            Assert.True(perDay.GetValueOrDefault(day) <= 3 * before, $"{day}: {perDay.GetValueOrDefault(day)} deliveries against {before:F1} a day in the 30 days before");
        }
        Assert.True(perDay[last] > 0);
    }

    [Fact]
    public async Task A_generated_database_has_history_for_every_row_and_is_served_as_it_is()
    {
        var path = Path.Combine(_folder, "synthetic.db");

        var result = await SyntheticDataset.WriteSqliteAsync(path, 3000, 42, TimeProvider.System);

        Assert.Equal(3000, result.Rows);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            Assert.Equal(3000, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donations WHERE first_reported_on IS NOT NULL"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM evidence e JOIN sources s ON s.id = e.source_id WHERE s.citation NOT LIKE 'synthetic%'"));
            Assert.Equal(3000, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donation_history WHERE operation = 'create'"));
            Assert.Equal(await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM evidence"), await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM evidence_history"));
            Assert.Equal(await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM deliveries"), await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM delivery_history"));
            Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        }
        SqliteConnection.ClearAllPools();
        await using var app = new ServedFrom(_folder);
        var page = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=USA&limit=5");
        Assert.Equal(5, page["items"]!.AsArray().Count);
        Assert.All(page["items"]!.AsArray(), item => Assert.StartsWith("synthetic", item!["evidence"]![0]!["source_title"]!.GetValue<string>(), StringComparison.Ordinal));
        // The rollup, the search index, the delivered totals and the kept JSON that the generator wrote in bulk are exact.
        await app.AssertDerivedTablesAreExactAsync();

        // The search index was filled in bulk, and its trigger put back: old rows and new ones are found.
        var stingers = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?weapon_system=fim-92-stinger&limit=1000"))["items"]!.AsArray().Count;
        var found = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?q=stinger&limit=1000"))["items"]!.AsArray().Count;
        Assert.True(stingers > 0);
        Assert.Equal(stingers, found);
        await app.InitializeAsync();
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("notes", "added after generation")));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Single((await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?q=%22added%20after%20generation%22"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_csv_has_the_seed_columns_and_one_line_per_row()
    {
        var path = Path.Combine(_folder, "synthetic.csv");

        await SyntheticDataset.WriteCsvAsync(path, 1000, 42);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(1001, lines.Length);
        Assert.Equal("donor,recipient,funder,weapon_system,package,quantity,quantity_qualifier,status,announced_on,committed_on,value_amount,value_currency,value_basis,value_eur,notes,source,quote", lines[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--out x.db --rows many")]
    [InlineData("--out x.db --rows -1")]
    [InlineData("--out x.db --format xlsx")]
    [InlineData("--out x.db --colour red")]
    public async Task The_command_refuses_bad_arguments(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var exit = await GenerateDatasetCommand.RunAsync(new ServiceProviderWithClock(), args.Select(a => a.Replace("x.db", Path.Combine(_folder, "x.db"), StringComparison.Ordinal)).ToList(), TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task The_command_refuses_to_replace_an_existing_file_and_leaves_it_as_it_was()
    {
        var path = Path.Combine(_folder, "real.db");
        await File.WriteAllTextAsync(path, "a database someone needs");

        var exit = await GenerateDatasetCommand.RunAsync(new ServiceProviderWithClock(), ["--out", path, "--rows", "10"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, exit);
        Assert.Equal("a database someone needs", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task The_command_refuses_a_folder_that_does_not_exist()
    {
        var path = Path.Combine(_folder, "typo", "x.db");

        var exit = await GenerateDatasetCommand.RunAsync(new ServiceProviderWithClock(), ["--out", path, "--rows", "10"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    private static string Describe(DonationWrite row) => string.Join('|',
        row.Donor, row.Recipient, row.WeaponSystem, row.Quantity, row.QuantityQualifier, row.Status, row.AnnouncedOn, row.ValueAmountMinor, row.ValueCurrency,
        row.ValueBasis, row.ValueEurCents, row.Notes, row.FirstReportedOn,
        string.Join(';', row.Evidence), string.Join(';', row.Deliveries.Select(d => $"{d.DeliveredOn} {d.Quantity} {d.QuantityQualifier} {string.Join(',', d.Evidence)}")));

    /// <summary>The service on a generated file; keys are made only when the test asks (InitializeAsync).</summary>
    private sealed class ServedFrom(string folder) : ApiFixture(folder);

    private sealed class ServiceProviderWithClock : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TimeProvider) ? TimeProvider.System : null;
    }
}
