using System.Diagnostics;
using System.Globalization;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace AidTracker.Api.Dataset;

/// <summary>
/// Writes a synthetic, deterministic dataset for benchmarks and load tests: the reference data plus N generated
/// donations, each with its create history row, and the source of every row saying it is synthetic. The shares
/// below are rough shapes of public aid trackers (a few donors give most line items, most rows go to Ukraine, about
/// a third of quantities are undisclosed), not figures from any source.
/// </summary>
public static class SyntheticDataset
{
    public const string SourcePrefix = "synthetic";

    /// <summary>Donors in order of weight; weights fall as 1/rank^1.1, so the first few dominate as in reality.</summary>
    private static readonly string[] Donors =
    [
        "USA", "DEU", "GBR", "POL", "NLD", "CAN", "DNK", "FRA", "NOR", "SWE", "EST", "CZE", "LTU", "FIN", "LVA", "ITA",
        "BEL", "ESP", "AUS", "EU", "SVK", "ROU", "PRT", "AUT", "IRL", "BGR", "HRV", "SVN", "GRC", "LUX", "ISL", "NZL",
        "JPN", "KOR", "TUR", "CHE", "ALB", "MKD", "MNE", "HUN", "CYP", "MLT",
    ];

    private static readonly (string Code, double Weight)[] Recipients = [("UKR", 0.95), ("MDA", 0.02), ("GEO", 0.015), ("ARM", 0.005), ("ISR", 0.01)];

    private static readonly string[] NoteWords =
    [
        "from stockpiles", "with training", "spare parts included", "second tranche", "replacement for losses",
        "delivered via Poland", "financed through the EPF", "with ammunition", "refurbished", "winter package",
    ];

    /// <summary>Round synthetic exchange rates, only so that value_eur is of the right size.</summary>
    private static readonly Dictionary<string, decimal> EuroPer = new()
    {
        ["EUR"] = 1m, ["USD"] = 0.92m, ["GBP"] = 1.17m, ["NOK"] = 0.087m, ["SEK"] = 0.088m, ["DKK"] = 0.134m, ["PLN"] = 0.23m,
    };

    private static readonly string[] CurrencyCodes = ["EUR", "EUR", "EUR", "USD", "USD", "GBP", "NOK", "SEK", "DKK", "PLN"];

    public sealed record Result(int Rows, TimeSpan Elapsed, string Path);

    public static async Task<Result> WriteSqliteAsync(string path, int rows, int seed, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        using var connections = new SqliteDatabase(path, 5000);
        // As the service prepares it (WAL, the migrations); its SQLite version check cannot fail where the service runs.
        await connections.PrepareAsync(clock, NullLogger.Instance, cancellationToken);
        await BundledData.LoadIfEmptyAsync(connections, clock, cancellationToken, includeRecords: false);

        var weaponSystems = BundledData.WeaponSystemCategories();

        // A new file that nobody reads until it is finished: no journal and no fsync while loading (a failure leaves a
        // file to delete, not a database to repair), then WAL like every AidTracker database.
        await using (var bulk = await connections.OpenAloneAsync(cancellationToken))
        {
            await bulk.ExecuteAsync("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;");
            await using var transaction = bulk.BeginTransaction();
            var write = (Connection: bulk, Transaction: transaction);

            var at = Timestamps.Format(clock.GetUtcNow());
            var bulkInsert = await BulkInsert.BeginAsync(connections, bulk, transaction, cancellationToken);
            await using var insert = write.Connection.CreateCommand();
            insert.Transaction = write.Transaction;
            insert.CommandText = DonationRepository.InsertRow;
            var values = DonationFields.Written.Select(field => AddParameter(insert, "@" + field.Parameter)).ToArray();
            AddParameter(insert, "@At").Value = at;
            insert.Prepare();

            foreach (var row in Generate(rows, seed, weaponSystems))
            {
                for (var i = 0; i < values.Length; i++) values[i].Value = DonationFields.Written[i].Value!(row) ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await write.Connection.ExecuteAsync(new CommandDefinition(
                DonationRepository.CopyToHistory,
                new { Operation = "create", At = at, ChangedBy = "synthetic-generator", RequestId = (string?)null, ImportId = (long?)null },
                write.Transaction,
                cancellationToken: cancellationToken));
            await bulkInsert.EndAsync(bulk, transaction, 1, long.MaxValue, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await bulk.ExecuteAsync("ANALYZE; PRAGMA journal_mode = WAL;");
        }
        return new Result(rows, stopwatch.Elapsed, path);
    }

    private static System.Data.Common.DbParameter AddParameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The same rows as the import CSV: the columns of Dataset/Seed/donations.csv.</summary>
    public static async Task<Result> WriteCsvAsync(string path, int rows, int seed, CancellationToken cancellationToken = default)
    {
        var weaponSystems = BundledData.WeaponSystemCategories();
        var stopwatch = Stopwatch.StartNew();
        await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync(string.Join(',', DonationFields.Written.Select(field => field.Name)));
        foreach (var row in Generate(rows, seed, weaponSystems))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var amount = row.ValueAmountMinor is { } minor ? Money.FromMinor(minor, Currencies.MinorUnits(row.ValueCurrency!)).ToString(CultureInfo.InvariantCulture) : "";
            var eur = row.ValueEurCents is { } cents ? Money.FromMinor(cents, 2).ToString(CultureInfo.InvariantCulture) : "";
            await writer.WriteLineAsync(string.Join(',',
                row.Donor, row.Recipient, row.WeaponSystem, row.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "", row.QuantityQualifier,
                row.Status, row.AnnouncedOn, row.DeliveredOn ?? "", amount, row.ValueCurrency ?? "", eur,
                row.ValueIsEstimate.ToString(CultureInfo.InvariantCulture), row.Funding, Quote(row.Source), row.SourceUrl ?? "", Quote(row.Notes ?? "")));
        }
        return new Result(rows, stopwatch.Elapsed, path);
    }

    /// <summary>The rows, in storage form. The same seed gives the same rows, on any machine.</summary>
    public static IEnumerable<DonationWrite> Generate(int rows, int seed, IReadOnlyList<(string Id, string Category)> weaponSystems)
    {
        var random = new Random(seed);
        var donorWeights = Cumulative(Donors.Select((_, rank) => 1 / Math.Pow(rank + 1, 1.1)).ToArray());
        var recipientWeights = Cumulative(Recipients.Select(r => r.Weight).ToArray());
        var weaponWeights = Cumulative(weaponSystems.Select(w => w.Category switch
        {
            "small-arms" or "ammunition" => 4.0,
            "anti-tank" or "manpads" or "equipment" => 3.0,
            "artillery" or "armoured-vehicle" or "drone" => 2.0,
            _ => 1.0,
        }).ToArray());
        var first = new DateOnly(2022, 1, 1);
        var last = new DateOnly(2026, 10, 31);
        var span = last.DayNumber - first.DayNumber;

        for (var i = 1; i <= rows; i++)
        {
            var donor = Donors[Pick(random, donorWeights)];
            var recipient = Recipients[Pick(random, recipientWeights)].Code;
            if (recipient == donor) recipient = "UKR";
            var (weaponId, category) = weaponSystems[Pick(random, weaponWeights)];

            // Denser in 2022–2023, as the record of the war is.
            var announced = first.AddDays((int)(span * Math.Pow(random.NextDouble(), 1.4)));
            var status = random.NextDouble() switch
            {
                < 0.25 => "announced",
                < 0.45 => "committed",
                < 0.95 => "delivered",
                _ => "cancelled",
            };
            string? delivered = null;
            if (status == "delivered" && random.NextDouble() < 0.7)
            {
                var day = announced.AddDays(random.Next(0, 300));
                // A delivery due after the dataset's last day has not happened yet: the donation is still committed.
                // (Moving it to the last day put thousands of deliveries there, a spike on every chart.)
                if (day > last) status = "committed";
                else delivered = Timestamps.Format(day);
            }

            long? quantity = null;
            var qualifier = "undisclosed";
            if (random.NextDouble() >= 0.35)
            {
                var scale = category switch
                {
                    "ammunition" => 100_000.0,
                    "small-arms" => 2_000.0,
                    "anti-tank" or "manpads" => 300.0,
                    "equipment" => 5_000.0,
                    _ => 12.0,
                };
                quantity = Math.Max(1, (long)Math.Round(scale * Math.Exp(random.NextDouble() * 3 - 1.5)));
                qualifier = random.NextDouble() switch { < 0.7 => "exact", < 0.9 => "at_least", _ => "approximate" };
            }

            long? amountMinor = null;
            string? currency = null;
            long? eurCents = null;
            var estimate = 0L;
            if (random.NextDouble() < 0.4)
            {
                currency = CurrencyCodes[random.Next(CurrencyCodes.Length)];
                var amount = Math.Round((decimal)Math.Exp(random.NextDouble() * 10 + 11), 0);
                amountMinor = Money.ToMinor(amount, Currencies.MinorUnits(currency));
                if (random.NextDouble() < 0.7) eurCents = Money.ToMinor(decimal.Round(amount * EuroPer[currency], 2), 2);
                estimate = random.NextDouble() < 0.3 ? 1 : 0;
            }

            var funding = random.NextDouble() switch { < 0.5 => "stockpile", < 0.75 => "procurement", _ => "unspecified" };
            var notes = random.NextDouble() < 0.2 ? $"{NoteWords[random.Next(NoteWords.Length)]}; {NoteWords[random.Next(NoteWords.Length)]}" : null;
            yield return new DonationWrite(
                donor, recipient, weaponId, quantity, qualifier, status, Timestamps.Format(announced), delivered,
                amountMinor, currency, eurCents, estimate, funding,
                $"{SourcePrefix} (seed {seed}, row {i})",
                random.NextDouble() < 0.5 ? $"https://example.org/synthetic/{seed}/{i}" : null,
                notes);
        }
    }

    private static double[] Cumulative(double[] weights)
    {
        var total = weights.Sum();
        var running = 0.0;
        return weights.Select(w => running += w / total).ToArray();
    }

    private static int Pick(Random random, double[] cumulative)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static string Quote(string value) => value.Length == 0 ? "" : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
