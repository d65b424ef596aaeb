using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Rates;

/// <summary>A stored rate: units of the currency per euro on <see cref="Day"/> (yyyy-MM-dd), as the ECB wrote it.</summary>
public sealed class ExchangeRateRow
{
    public string Currency { get; set; } = "";
    public string Day { get; set; } = "";
    public string Rate { get; set; } = "";
}

/// <summary>What an import of a rates file did: rates it added, rates whose value it replaced, rates already stored as the file has them.</summary>
public sealed record RatesImported(int New, int Changed, int Unchanged);

/// <summary>The <c>exchange_rates</c> table: the ECB's rates, one row per currency and business day.</summary>
public sealed class ExchangeRateRepository(Database connections, TimeProvider clock)
{
    private static readonly string[] Columns = ["currency", "day", "rate", "imported_at", "file_sha256"];

    /// <summary>
    /// Stores every rate of <paramref name="file"/> in one transaction: a rate for a new (currency, day) is added, one
    /// whose value differs from the stored one replaces it (with this import's stamp and file), one of equal value
    /// (1.05 and 1.0500 are equal) is left as it is. So importing a file again, or one that overlaps it, changes nothing
    /// but what the ECB revised.
    /// </summary>
    public async Task<RatesImported> ImportAsync(EcbRatesFile file, string fileSha256, CancellationToken cancellationToken)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var stored = (await write.Connection.QueryAsync<ExchangeRateRow>(new CommandDefinition(
                "SELECT currency, day, rate FROM exchange_rates WHERE day >= @First AND day <= @Last",
                new { First = Timestamps.Format(file.FirstDay), Last = Timestamps.Format(file.LastDay) }, write.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => (row.Currency, row.Day), row => ExchangeRates.ParseRate(row.Rate));

        var importedAt = Timestamps.Format(clock.GetUtcNow());
        var changed = new List<object>();
        var unchanged = 0;
        var added = 0;
        await using (var rows = await connections.BeginRowsAsync(write, "exchange_rates", Columns, cancellationToken))
        {
            foreach (var rate in file.Rates)
            {
                var day = Timestamps.Format(rate.Day);
                if (!stored.TryGetValue((rate.Currency, day), out var before))
                {
                    await rows.WriteAsync([rate.Currency, day, rate.Rate, importedAt, fileSha256], cancellationToken);
                    added++;
                }
                else if (before == ExchangeRates.ParseRate(rate.Rate)) unchanged++;
                else changed.Add(new { rate.Currency, Day = day, rate.Rate, ImportedAt = importedAt, FileSha256 = fileSha256 });
            }
            await rows.CompleteAsync(cancellationToken);
        }
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exchange_rates SET rate = @Rate, imported_at = @ImportedAt, file_sha256 = @FileSha256 WHERE currency = @Currency AND day = @Day",
            changed, write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        return new RatesImported(added, changed.Count, unchanged);
    }

    /// <summary>The rate of <paramref name="currency"/> on the latest day from <paramref name="oldest"/> to <paramref name="on"/>; null when there is none.</summary>
    public async Task<ExchangeRateRow?> LatestAsync(string currency, DateOnly oldest, DateOnly on, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ExchangeRateRow>(new CommandDefinition(
            """
            SELECT currency, day, rate FROM exchange_rates
            WHERE currency = @Currency AND day <= @On AND day >= @Oldest
            ORDER BY day DESC LIMIT 1
            """,
            new { Currency = currency, On = Timestamps.Format(on), Oldest = Timestamps.Format(oldest) }, cancellationToken: cancellationToken));
    }
}
