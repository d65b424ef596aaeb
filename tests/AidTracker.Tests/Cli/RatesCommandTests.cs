using AidTracker.Api.Cli;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Tests;

/// <summary><c>rates import FILE</c>: the ECB's two layouts, all or nothing, idempotent, on the test's engine.</summary>
public sealed class RatesCommandTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<(int Exit, string Output, string Error)> RunAsync(string content, string name = "eurofxref-hist.csv")
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await Commands.RunAsync(app.Services, ["rates", "import", RatesFiles.Write(app.Folder, content, name)], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<List<(string Currency, string Day, string Rate)>> StoredAsync(string currency)
    {
        await using var connection = await app.Connections.OpenAsync();
        return (await connection.QueryAsync<(string, string, string)>(
            "SELECT currency, day, rate FROM exchange_rates WHERE currency = @currency ORDER BY day", new { currency })).AsList();
    }

    [Fact]
    public async Task The_history_layout_is_imported_with_each_rate_as_written_and_a_summary_line()
    {
        var (exit, output, error) = await RunAsync(RatesFiles.History.Replace("USD", "AAA", StringComparison.Ordinal).Replace("1.1162", "1.1160", StringComparison.Ordinal));

        Assert.True(exit == 0, error);
        Assert.Matches(@"^Imported 5 currencies over 5 days, 2022-03-01 to 2022-03-07, from eurofxref-hist\.csv: \d+ new, \d+ changed, \d+ unchanged rates\.\nConverted the euro value of 0 donations that waited for a rate\.\n$", output);
        Assert.Equal(
            [("AAA", "2022-03-01", "1.1160"), ("AAA", "2022-03-02", "1.1106"), ("AAA", "2022-03-03", "1.1076"), ("AAA", "2022-03-04", "1.0929"), ("AAA", "2022-03-07", "1.0892")],
            await StoredAsync("AAA"));
        Assert.Equal([("RUB", "2022-03-01", "117.2010")], await StoredAsync("RUB"));
    }

    [Fact]
    public async Task The_daily_layout_with_spaces_and_a_written_date_is_imported()
    {
        var (exit, output, error) = await RunAsync(RatesFiles.Daily.Replace("BHD", "AAB", StringComparison.Ordinal), "eurofxref.csv");

        Assert.True(exit == 0, error);
        Assert.StartsWith("Imported 4 currencies over 1 day, 2022-03-08 to 2022-03-08, from eurofxref.csv: ", output, StringComparison.Ordinal);
        Assert.Equal([("AAB", "2022-03-08", "0.4110")], await StoredAsync("AAB"));
    }

    [Fact]
    public async Task Columns_are_found_by_their_header_not_their_position()
    {
        var (exit, _, error) = await RunAsync("""
            Date,AAD,AAC,
            2022-03-02,2.5,1.25,
            """);

        Assert.True(exit == 0, error);
        Assert.Equal([("AAC", "2022-03-02", "1.25")], await StoredAsync("AAC"));
        Assert.Equal([("AAD", "2022-03-02", "2.5")], await StoredAsync("AAD"));
    }

    [Fact]
    public async Task Importing_again_changes_nothing_and_an_overlapping_file_adds_the_new_days_and_replaces_a_revised_rate()
    {
        const string first = """
            Date,AAE,AAF,
            2022-03-02,1.5000,N/A,
            2022-03-01,1.4000,7.25,
            """;
        const string overlapping = """
            Date,AAF,AAE,
            2022-03-03,7.5,1.6,
            2022-03-02,N/A,1.5,
            2022-03-01,7.3,1.4000,
            """;
        Assert.Equal(0, (await RunAsync(first)).Exit);

        var again = await RunAsync(first);
        var overlap = await RunAsync(overlapping);

        Assert.Contains(": 0 new, 0 changed, 3 unchanged rates.\n", again.Output, StringComparison.Ordinal);
        Assert.Contains(": 2 new, 1 changed, 2 unchanged rates.\n", overlap.Output, StringComparison.Ordinal);
        // 1.5 equals the stored 1.5000: the text first written stays.
        Assert.Equal([("AAE", "2022-03-01", "1.4000"), ("AAE", "2022-03-02", "1.5000"), ("AAE", "2022-03-03", "1.6")], await StoredAsync("AAE"));
        Assert.Equal([("AAF", "2022-03-01", "7.3"), ("AAF", "2022-03-03", "7.5")], await StoredAsync("AAF"));
    }

    [Theory]
    [InlineData("Day,QQA,\n2022-03-02,1.5,\n", "line 1, column 1: the file is not one of the ECB's rates layouts")]
    [InlineData("Date,QQA,\n2022-03-02,1.5,\n2022-02-30,1.4,\n", "line 3, column Date: '2022-02-30' is not a date")]
    [InlineData("Date,QQA,\n2022-03-02,1.5,\n02/03/2022,1.4,\n", "line 3, column Date: '02/03/2022' is not a date")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4,1,5,\n", "line 3, column 4: the line has 4 cells where the header has 3 (Date and 2 currencies)")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4\n", "line 3, column 3: the line has 2 cells where the header has 3")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4,1e3,\n", "line 3, column QQB: '1e3' is not a rate")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4,\"1,05\",\n", "line 3, column QQB: '1,05' is not a rate")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4,-1,\n", "line 3, column QQB: '-1' is not a rate")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,2,\n2022-03-01,1.4,0.0,\n", "line 3, column QQB: '0.0' is not a rate")]
    [InlineData("Date,QQA,\n2022-03-02,1.5,\n2022-03-01,1.4,\n2022-03-02,1.5,\n", "line 4, column Date: 2022-03-02 is also the day of line 2")]
    [InlineData("Date,QQA,QQBB,\n2022-03-02,1.5,2,\n", "line 1, column QQBB: 'QQBB' is not a currency code")]
    [InlineData("Date,QQA,Q1B,\n2022-03-02,1.5,2,\n", "line 1, column Q1B: 'Q1B' is not a currency code")]
    [InlineData("Date,QQA,,QQB,\n2022-03-02,1.5,,2,\n", "line 1, column 3: '' is not a currency code")]
    [InlineData("Date,QQA,QQA,\n2022-03-02,1.5,2,\n", "line 1, column QQA: QQA is a column twice")]
    [InlineData("Date,QQA,\n", "line 2, column Date: the file has no days")]
    [InlineData("", "line 1, column 1: the file is not one of the ECB's rates layouts")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,,\n", "line 2, column QQB: the cell is empty")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,,2,\n", "line 2, column QQA: the cell is empty")]
    [InlineData("Date,QQA,EUR,\n2022-03-02,1.5,1,\n", "line 1, column EUR: EUR is what the rates are of")]
    [InlineData("Date,QQA,QQB,\n2022-03-02,1.5,\"2,\n", "line 2, column QQB: Line 2: a quoted field is not closed")]
    [InlineData("Date,QQA,QQB,\n\"2022-03-02,1.5,2,\n", "line 2, column Date: Line 2: a quoted field is not closed")]
    [InlineData("Date,\"QQA,QQB,\n", "line 1, column 2: Line 1: a quoted field is not closed")]
    public async Task A_malformed_file_writes_nothing_and_exits_1_naming_the_line_and_column(string content, string message)
    {
        var (exit, output, error) = await RunAsync(content);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.EndsWith("nothing was imported.\n", error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync("QQA"));
    }

    [Fact]
    public async Task A_missing_file_or_no_file_exits_2_with_the_usage()
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Equal(2, await Commands.RunAsync(app.Services, ["rates", "import", Path.Combine(app.Folder, "no-such.csv")], output, error));
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["rates", "import"], output, error));
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["rates", "load", "x.csv"], output, error));
        var file = RatesFiles.Write(app.Folder, RatesFiles.History);
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["rates", "import", file, "--anything"], output, error));
        Assert.Contains("unknown option '--anything'", error.ToString(), StringComparison.Ordinal);

        Assert.Contains("rates import: no file at", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("rates import FILE.csv", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task The_copy_verb_carries_the_rates()
    {
        await RatesFiles.ImportAsync(app.Services, RatesFiles.History);
        var target = Path.Combine(ApiFixture.NewFolder(), "copy.db");
        var source = app.OnPostgres ? $"postgres:{app.PostgresConnectionString}" : $"sqlite:{app.DatabasePath}";

        var exit = await CopyCommand.RunAsync(app.Services, ["--from", source, "--to", $"sqlite:{target}"], new StringWriter(), new StringWriter());

        Assert.Equal(0, exit);
        await using var copy = new SqliteConnection($"Data Source={target};Pooling=False");
        await using var original = await app.Connections.OpenAsync();
        const string Rows = "SELECT currency, day, rate, imported_at, file_sha256 FROM exchange_rates ORDER BY currency, day";
        Assert.Equal(
            (await original.QueryAsync<(string, string, string, string, string)>(Rows)).AsList(),
            (await copy.QueryAsync<(string, string, string, string, string)>(Rows)).AsList());
    }
}
