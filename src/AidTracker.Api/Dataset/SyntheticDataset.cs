using System.Diagnostics;
using System.Globalization;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Imports;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace AidTracker.Api.Dataset;

/// <summary>
/// Writes a synthetic, deterministic dataset for benchmarks and load tests: the reference data plus N generated
/// donations with their deliveries (about 1.5 instalments a donation, some known to the month only), the evidence
/// of each (citing the generated sources, several a record), the packages a third of them belong to, and the create
/// history of every row; each source, package and quote says it is synthetic. The shares
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

    /// <summary>What was written: donations (Rows) and, for a database, its other generated rows.</summary>
    public sealed record Result(int Rows, TimeSpan Elapsed, string Path, long Deliveries = 0, long Evidence = 0, long Sources = 0, long Packages = 0);

    public static async Task<Result> WriteSqliteAsync(string path, int rows, int seed, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        using var connections = new SqliteDatabase(path, 5000);
        // As the service prepares it (WAL, the migrations); its SQLite version check cannot fail where the service runs.
        await connections.PrepareAsync(clock, NullLogger.Instance, cancellationToken);
        await BundledData.LoadIfEmptyAsync(connections, clock, cancellationToken, includeRecords: false);

        var weaponSystems = BundledData.WeaponSystemCategories();
        long deliveries = 0, evidenceRows = 0, sourceRows = Sources(rows, seed).Count, packageRows = rows == 0 ? 0 : Packages(seed).Count;

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

            // The sources first (ids 1 to n in this new file), as the evidence cites them.
            foreach (var source in Sources(rows, seed))
            {
                await write.Connection.ExecuteAsync(new CommandDefinition(InsertSource, new
                {
                    source.Kind, source.Citation, source.Url, PublishedOn = Timestamps.Format(source.PublishedOn.Start),
                    Precision = WireEnum<DatePrecision>.Name(source.PublishedOn.Precision), End = Timestamps.Format(source.PublishedOn.End), At = at,
                }, write.Transaction, cancellationToken: cancellationToken));
            }
            await write.Connection.ExecuteAsync(new CommandDefinition(SourceHistory, new { At = at }, write.Transaction, cancellationToken: cancellationToken));
            // The packages next (ids 1 to n), as the rows name them.
            foreach (var package in rows == 0 ? [] : Packages(seed))
            {
                await write.Connection.ExecuteAsync(new CommandDefinition(InsertPackage, new
                {
                    package.Donor, package.Title, package.Instrument, AnnouncedOn = Timestamps.Format(package.AnnouncedOn.Start),
                    Precision = WireEnum<DatePrecision>.Name(package.AnnouncedOn.Precision), End = Timestamps.Format(package.AnnouncedOn.End), At = at,
                }, write.Transaction, cancellationToken: cancellationToken));
            }
            await write.Connection.ExecuteAsync(new CommandDefinition(PackageHistory, new { At = at }, write.Transaction, cancellationToken: cancellationToken));

            await using var evidence = Prepared(write.Connection, write.Transaction,
                "INSERT INTO evidence (source_id, donation_id, delivery_id, quote, locator, credibility, supports) VALUES (@SourceId, @DonationId, @DeliveryId, @Quote, NULL, @Credibility, @Supports)",
                "@SourceId", "@DonationId", "@DeliveryId", "@Quote", "@Credibility", "@Supports");
            await using var delivery = Prepared(write.Connection, write.Transaction,
                "INSERT INTO deliveries (id, donation_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier) VALUES (@Id, @DonationId, @On, @Precision, @End, @Quantity, @Qualifier)",
                "@Id", "@DonationId", "@On", "@Precision", "@End", "@Quantity", "@Qualifier");
            long donationId = 0, deliveryId = 0;
            evidenceRows = 0;
            foreach (var row in Generate(rows, seed, weaponSystems))
            {
                for (var i = 0; i < values.Length; i++) values[i].Value = DonationFields.Written[i].Value!(row) ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
                donationId++;
                evidenceRows += row.Evidence.Count + row.Deliveries.Sum(d => d.Evidence.Count);
                foreach (var item in row.Evidence) await Run(evidence.Command, cancellationToken, item.SourceId, donationId, null, item.Quote, item.Credibility, item.Supports);
                foreach (var instalment in row.Deliveries)
                {
                    deliveryId++;
                    var on = instalment.DeliveredOn;
                    await Run(delivery.Command, cancellationToken, deliveryId, donationId, on is { } d ? Timestamps.Format(d.Start) : null,
                        on is { } p ? WireEnum<DatePrecision>.Name(p.Precision) : null, on is { } e ? Timestamps.Format(e.End) : null,
                        instalment.Quantity, instalment.QuantityQualifier);
                    foreach (var item in instalment.Evidence) await Run(evidence.Command, cancellationToken, item.SourceId, donationId, deliveryId, item.Quote, item.Credibility, item.Supports);
                }
            }

            // The delivered totals once the rows are indexed and rolled up (the rollup's update trigger moves their
            // groups), the kept JSON of every row, then the first version of every row into history, with them.
            await bulkInsert.EndAsync(bulk, transaction, 1, long.MaxValue, cancellationToken);
            await write.Connection.ExecuteAsync(new CommandDefinition(
                $"{DonationChildren.RefreshDelivered(DonationChildren.HasDeliveries)}; {DonationChildren.RefreshJson(connections.Dialect, "true")}; {DonationJson.Refresh(connections.Dialect, "true")}; " +
                $"{DonationRepository.CopyToHistory}; {DonationChildren.CopyToHistory("true")}",
                new { Operation = "create", At = at, ChangedBy = "synthetic-generator", RequestId = (string?)null, ImportId = (long?)null },
                write.Transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            deliveries = deliveryId;
            await bulk.ExecuteAsync("ANALYZE; PRAGMA journal_mode = WAL;");
        }
        return new Result(rows, stopwatch.Elapsed, path, deliveries, evidenceRows, sourceRows, packageRows);
    }

    private const string InsertSource = """
        INSERT INTO sources (kind, url, published_on, published_on_precision, published_on_end, citation, created_at, updated_at, version)
        VALUES (@Kind, @Url, @PublishedOn, @Precision, @End, @Citation, @At, @At, 1)
        """;

    private const string SourceHistory = """
        INSERT INTO source_history (source_id, operation, changed_at, changed_by, kind, publisher, title, url, archived_url, published_on,
            published_on_precision, published_on_end, accessed_on, language, reliability, citation, notes, created_at, updated_at, deleted_at, version)
        SELECT id, 'create', @At, 'synthetic-generator', kind, publisher, title, url, archived_url, published_on,
            published_on_precision, published_on_end, accessed_on, language, reliability, citation, notes, created_at, updated_at, deleted_at, version
        FROM sources ORDER BY id
        """;

    private const string InsertPackage = """
        INSERT INTO packages (donor, title, instrument, announced_on, announced_on_precision, announced_on_end, created_at, updated_at, version)
        VALUES (@Donor, @Title, @Instrument, @AnnouncedOn, @Precision, @End, @At, @At, 1)
        """;

    private const string PackageHistory = """
        INSERT INTO package_history (package_id, operation, changed_at, changed_by, donor, title, instrument, announced_on,
            announced_on_precision, announced_on_end, value_amount_minor, value_currency, notes, created_at, updated_at, deleted_at, version)
        SELECT id, 'create', @At, 'synthetic-generator', donor, title, instrument, announced_on,
            announced_on_precision, announced_on_end, value_amount_minor, value_currency, notes, created_at, updated_at, deleted_at, version
        FROM packages ORDER BY id
        """;

    /// <summary>A synthetic package: labelled synthetic in its title, known to the year only, with no value.</summary>
    public sealed record SyntheticPackage(string Donor, string Title, string Instrument, PartialDate AnnouncedOn);

    private const int FirstPackageYear = 2022, PackageYears = 5, PackagesPerDonorYear = 4;

    private static readonly string[] Instruments = ["stockpile_drawdown", "stockpile_drawdown", "procurement", "eu_peace_facility", "other"];

    /// <summary>The packages that the rows of <see cref="Generate"/> name: four a donor a year, 2022 to 2026; the n-th has id n in a new database.</summary>
    public static IReadOnlyList<SyntheticPackage> Packages(int seed) =>
        [.. Donors.SelectMany(donor => Enumerable.Range(FirstPackageYear, PackageYears).SelectMany(year => Enumerable.Range(1, PackagesPerDonorYear).Select(n =>
            new SyntheticPackage(donor, $"{SourcePrefix} package {n} of {donor} in {year} (seed {seed})",
                Instruments[(donor.Length + year + n) % Instruments.Length], PartialDate.Year(year)))))];

    /// <summary>The id of a donor's package of a year in a new database (see <see cref="Packages"/>).</summary>
    private static long PackageId(int donor, int year, int n) =>
        1 + (((long)donor * PackageYears) + (year - FirstPackageYear)) * PackagesPerDonorYear + n;

    /// <summary>A prepared insert and its parameters, in order.</summary>
    private sealed class PreparedInsert(System.Data.Common.DbCommand command) : IAsyncDisposable
    {
        public System.Data.Common.DbCommand Command => command;

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }

    private static PreparedInsert Prepared(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) AddParameter(command, name);
        command.Prepare();
        return new PreparedInsert(command);
    }

    private static Task<int> Run(System.Data.Common.DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A synthetic source: labelled synthetic in its citation, with a publication date (some known to the month only).</summary>
    public sealed record SyntheticSource(string Kind, string Citation, string? Url, PartialDate PublishedOn);

    private static readonly string[] SourceKinds = ["official", "news", "news", "parliamentary", "social_media", "dataset"];

    /// <summary>The sources that the rows of <see cref="Generate"/> cite: one for every 20 rows, at least 20; the n-th has id n in a new database.</summary>
    public static IReadOnlyList<SyntheticSource> Sources(int rows, int seed)
    {
        var random = new Random(seed ^ 0x5eed);
        var first = new DateOnly(2022, 1, 1);
        return [.. Enumerable.Range(1, Math.Max(20, rows / 20)).Select(i =>
        {
            var day = first.AddDays(random.Next(0, 1765));
            var published = random.NextDouble() < 0.1 ? PartialDate.Month(day.Year, day.Month) : PartialDate.Day(day);
            return new SyntheticSource(SourceKinds[random.Next(SourceKinds.Length)], $"{SourcePrefix} source {i} (seed {seed})",
                random.NextDouble() < 0.5 ? $"https://example.org/synthetic/{seed}/source/{i}" : null, published);
        })];
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
        await writer.WriteLineAsync(string.Join(',', DonationImport.DonationColumns.Concat(DonationImport.EvidenceColumns)));
        foreach (var row in Generate(rows, seed, weaponSystems))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var amount = row.ValueAmountMinor is { } minor ? Money.FromMinor(minor, Currencies.MinorUnits(row.ValueCurrency!)).ToString(CultureInfo.InvariantCulture) : "";
            var eur = row.ValueEurCents is { } cents ? Money.FromMinor(cents, 2).ToString(CultureInfo.InvariantCulture) : "";
            // The import takes no deliveries yet: a delivered row goes in as committed, with its first citation.
            var status = row.Deliveries.Count > 0 ? "committed" : row.Status;
            var cells = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["donor"] = row.Donor, ["recipient"] = row.Recipient, ["funder"] = row.Funder ?? "", ["weapon_system"] = row.WeaponSystem,
                ["package"] = "", ["quantity"] = row.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "", ["quantity_qualifier"] = row.QuantityQualifier,
                ["status"] = status, ["announced_on"] = row.AnnouncedOn?.ToString() ?? "", ["committed_on"] = row.CommittedOn?.ToString() ?? "",
                ["value_amount"] = amount, ["value_currency"] = row.ValueCurrency ?? "", ["value_basis"] = row.ValueBasis ?? "", ["value_eur"] = eur,
                ["notes"] = Quote(row.Notes ?? ""),
                ["source"] = row.Evidence[0].SourceId.ToString(CultureInfo.InvariantCulture), ["quote"] = Quote(row.Evidence[0].Quote ?? ""),
            };
            await writer.WriteLineAsync(string.Join(',', DonationImport.DonationColumns.Concat(DonationImport.EvidenceColumns).Select(name => cells[name])));
        }
        return new Result(rows, stopwatch.Elapsed, path);
    }

    /// <summary>The rows, in storage form. The same seed gives the same rows, on any machine.</summary>
    /// <param name="citing">A source every citation cites instead of the generator's own (<see cref="Sources"/>), for a database that holds only that one.</param>
    /// <param name="partialDates">Some announcements and deliveries known to the month or year only; false: every date a day.</param>
    public static IEnumerable<DonationWrite> Generate(
        int rows, int seed, IReadOnlyList<(string Id, string Category)> weaponSystems, long? citing = null, bool partialDates = true)
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

        var sources = Sources(rows, seed);
        for (var i = 1; i <= rows; i++)
        {
            var donorIndex = Pick(random, donorWeights);
            var donor = Donors[donorIndex];
            var recipient = Recipients[Pick(random, recipientWeights)].Code;
            if (recipient == donor) recipient = "UKR";
            var (weaponId, category) = weaponSystems[Pick(random, weaponWeights)];

            // Denser in 2022–2023, as the record of the war is; some announcements are known to the month or year only.
            var announcedDay = first.AddDays((int)(span * Math.Pow(random.NextDouble(), 1.4)));
            var announced = random.NextDouble() switch
            {
                < 0.05 when partialDates => PartialDate.Year(announcedDay.Year),
                < 0.2 when partialDates => PartialDate.Month(announcedDay.Year, announcedDay.Month),
                _ => PartialDate.Day(announcedDay),
            };
            var status = random.NextDouble() switch
            {
                < 0.2 => "announced",
                < 0.35 => "committed",
                < 0.95 => "delivered",
                _ => "cancelled",
            };

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

            // Deliveries: one to four instalments (about 1.5 per donation over the whole set) from the announcement's
            // first day, each citing a source; a delivery due after the dataset's last day has not happened yet, and the
            // donation is still committed. Instalments past the last day are not made: the donation is then partially
            // delivered. A split quantity is shared out; an undisclosed one stays undisclosed in every instalment.
            var deliveries = new List<DeliveryWrite>();
            if (status == "delivered")
            {
                var day = announced.Start.AddDays(random.Next(0, 300));
                if (day > last) status = "committed";
                else
                {
                    var planned = 1 + random.Next(4);
                    if (quantity is { } whole && whole < planned) planned = (int)whole;
                    var left = quantity;
                    for (var k = 0; k < planned && day <= last; k++)
                    {
                        var part = quantity is null ? null : k == planned - 1 ? left : Math.Max(1, quantity.Value / planned);
                        left -= part;
                        // The first instalment is dated to the day (or not at all); later ones are often known to the month
                        // only, when that month does not begin before the announcement.
                        var month = PartialDate.Month(day.Year, day.Month);
                        var on = k == 0
                            ? random.NextDouble() < 0.8 ? PartialDate.Day(day) : (PartialDate?)null
                            : partialDates && random.NextDouble() < 0.5 && month.Start >= announced.Start ? month : PartialDate.Day(day);
                        deliveries.Add(new DeliveryWrite(null, on, part, qualifier, null, [Evidence(random, sources.Count, "delivery", citing)]));
                        day = day.AddDays(random.Next(20, 90));
                    }
                    if (deliveries.Count < planned) status = "partially_delivered";
                }
            }

            long? amountMinor = null;
            string? currency = null;
            long? eurCents = null;
            string? basis = null;
            if (random.NextDouble() < 0.4)
            {
                currency = CurrencyCodes[random.Next(CurrencyCodes.Length)];
                var amount = Math.Round((decimal)Math.Exp(random.NextDouble() * 10 + 11), 0);
                amountMinor = Money.ToMinor(amount, Currencies.MinorUnits(currency));
                if (random.NextDouble() < 0.7) eurCents = Money.ToMinor(decimal.Round(amount * EuroPer[currency], 2), 2);
                basis = random.NextDouble() < 0.3 ? "estimate" : "reported";
            }

            // About a third of the rows belong to a package of their donor and year (only in the generator's own
            // database, which holds the packages).
            var packageDraw = random.Next(PackagesPerDonorYear * 3);
            long? package = citing is null && packageDraw < PackagesPerDonorYear ? PackageId(donorIndex, announced.Start.Year, packageDraw) : null;
            var notes = random.NextDouble() < 0.2 ? $"{NoteWords[random.Next(NoteWords.Length)]}; {NoteWords[random.Next(NoteWords.Length)]}" : null;
            IReadOnlyList<EvidenceWrite> evidence = [.. Enumerable.Range(0, random.NextDouble() switch { < 0.85 => 1, < 0.97 => 2, _ => 3 }).Select(k => Evidence(random, sources.Count, k == 0 ? "announcement" : "announcement,quantity", citing))];
            var firstReported = citing is not null ? (PartialDate?)null : evidence.Concat(deliveries.SelectMany(d => d.Evidence))
                .Select(e => sources[(int)e.SourceId - 1].PublishedOn).OrderBy(d => d.Start).ThenBy(d => d.End).First();
            yield return new DonationWrite(
                donor, recipient, null, weaponId, package, quantity, qualifier, status, announced, null,
                amountMinor, currency, basis, eurCents, eurCents is null ? null : "reported", null, null, notes)
            {
                Evidence = evidence,
                Deliveries = deliveries,
                FirstReportedOn = firstReported,
            };
        }
    }

    /// <summary>A citation of one of the synthetic sources, quoting nothing real.</summary>
    private static EvidenceWrite Evidence(Random random, int sources, string supports, long? citing)
    {
        var source = 1 + random.Next(sources);
        return new(citing ?? source, $"{SourcePrefix} quote", null, random.NextDouble() < 0.5 ? 1 + random.Next(6) : null, supports);
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
