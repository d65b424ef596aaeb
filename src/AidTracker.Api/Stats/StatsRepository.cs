using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Stats;

/// <summary>
/// A dimension to group by: its SQL over the donations, the join it needs (if any), and the name column joined after
/// it. <paramref name="Multiplies"/>: a donation can fall in several of its groups (source_kind), so the groups do not
/// add up to the total. <paramref name="RollupSql"/>: its SQL over donation_rollup <c>d</c>, when it lives at that grain.
/// </summary>
public sealed record Dimension(string Name, string Sql, string? Join = null, string? NameJoin = null, string? NameColumn = null, bool Multiplies = false, string? RollupSql = null);

/// <summary>The measures as Dapper reads them, in storage units; added up for totals and running sums.</summary>
public class MeasureData
{
    public long Count { get; set; }
    public long QuantityPromised { get; set; }
    public long QuantityPromisedIncludesAtLeast { get; set; }
    public long QuantityPromisedApproximateCount { get; set; }
    public long QuantityUndisclosed { get; set; }
    public long QuantityDelivered { get; set; }
    public long QuantityDeliveredIncludesAtLeast { get; set; }
    public long QuantityDeliveredApproximateCount { get; set; }
    public long QuantityDeliveredUndisclosed { get; set; }
    public long ValueEurCents { get; set; }

    public void Add(MeasureData other)
    {
        Count += other.Count;
        QuantityPromised += other.QuantityPromised;
        QuantityPromisedIncludesAtLeast += other.QuantityPromisedIncludesAtLeast;
        QuantityPromisedApproximateCount += other.QuantityPromisedApproximateCount;
        QuantityUndisclosed += other.QuantityUndisclosed;
        QuantityDelivered += other.QuantityDelivered;
        QuantityDeliveredIncludesAtLeast += other.QuantityDeliveredIncludesAtLeast;
        QuantityDeliveredApproximateCount += other.QuantityDeliveredApproximateCount;
        QuantityDeliveredUndisclosed += other.QuantityDeliveredUndisclosed;
        ValueEurCents += other.ValueEurCents;
    }

    /// <summary>The wire measures onto <paramref name="row"/> (a TotalsRow, TimeseriesPoint or LeftApart).</summary>
    public T Onto<T>(T row) where T : StatsMeasures
    {
        row.Count = Count;
        row.Quantity = QuantityPromised;
        row.QuantityPromised = QuantityPromised;
        row.QuantityPromisedIncludesAtLeast = QuantityPromisedIncludesAtLeast;
        row.QuantityPromisedApproximateCount = QuantityPromisedApproximateCount;
        row.QuantityUndisclosed = QuantityUndisclosed;
        row.QuantityDelivered = QuantityDelivered;
        row.QuantityDeliveredIncludesAtLeast = QuantityDeliveredIncludesAtLeast;
        row.QuantityDeliveredApproximateCount = QuantityDeliveredApproximateCount;
        row.QuantityDeliveredUndisclosed = QuantityDeliveredUndisclosed;
        row.ValueEur = Money.FromMinor(ValueEurCents, 2);
        return row;
    }
}

/// <summary>A grouped row as Dapper reads it: every possible dimension, and the measures.</summary>
public sealed class TotalsRowData : MeasureData
{
    public string? Donor { get; set; }
    public string? DonorName { get; set; }
    public string? Recipient { get; set; }
    public string? RecipientName { get; set; }
    public string? Funder { get; set; }
    public string? FunderName { get; set; }
    public string? Category { get; set; }
    public string? WeaponSystem { get; set; }
    public string? WeaponSystemName { get; set; }
    public string? Status { get; set; }
    public long? Package { get; set; }
    public string? PackageTitle { get; set; }
    public string? SourceKind { get; set; }
    public string? Year { get; set; }
    public string? Month { get; set; }

    public TotalsRow ToRow() => Onto(new TotalsRow
    {
        Donor = Donor, DonorName = DonorName, Recipient = Recipient, RecipientName = RecipientName, Funder = Funder, FunderName = FunderName,
        Category = Category, WeaponSystem = WeaponSystem, WeaponSystemName = WeaponSystemName, Status = Status, Package = Package,
        PackageTitle = PackageTitle, SourceKind = SourceKind, Year = Year, Month = Month,
    });
}

/// <summary>
/// The SQL of the statistics. Aggregates run over the same filter SQL as the lists: over donation_rollup when every
/// filter and dimension lives at its grain (donor, recipient, category, status, month of announcement) and the
/// question is of the present, else over the donations, whose covering indexes hold every measure.
/// </summary>
public sealed class StatsRepository(Database connections)
{
    private const string WeaponSystems = "JOIN weapon_systems w ON w.id = d.weapon_system";

    public static readonly IReadOnlyDictionary<string, Dimension> Dimensions = new Dimension[]
    {
        new("donor", "d.donor", null, "LEFT JOIN countries dc ON dc.code = g.donor", "dc.name AS donor_name", RollupSql: "d.donor"),
        new("recipient", "d.recipient", null, "LEFT JOIN countries rc ON rc.code = g.recipient", "rc.name AS recipient_name", RollupSql: "d.recipient"),
        new("funder", "d.funder", null, "LEFT JOIN countries fc ON fc.code = g.funder", "fc.name AS funder_name"),
        new("category", "w.category", WeaponSystems, RollupSql: "d.category"),
        new("weapon_system", "d.weapon_system", null, "LEFT JOIN weapon_systems wn ON wn.id = g.weapon_system", "wn.name AS weapon_system_name"),
        new("status", "d.status", RollupSql: "d.status"),
        new("package", "d.package_id", null, "LEFT JOIN packages pk ON pk.id = g.package", "pk.title AS package_title"),
        // Each kind a donation's evidence cites, once: a donation citing a news report and an official one counts under both.
        new("source_kind", "sk.kind",
            "LEFT JOIN (SELECT DISTINCT e.donation_id, s.kind FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id IS NOT NULL) sk ON sk.donation_id = d.id",
            Multiplies: true),
        // A year-precision announcement has no month: its month group is its year ("2022"), never a month it is not known to.
        // The rollup's month is '' when undated, which these groups call null, as the donations' do.
        new("year", "substr(d.announced_on, 1, 4)", RollupSql: "nullif(substr(d.month, 1, 4), '')"),
        new("month", "substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END)", RollupSql: "nullif(d.month, '')"),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The names of <see cref="Dimensions"/>, as group_by matches them.</summary>
    public static readonly WireNames DimensionNames = new(Dimensions.Keys);

    public static readonly IReadOnlyList<string> Measures = ["count", "quantity", "quantity_promised", "quantity_delivered", "quantity_undisclosed", "value_eur"];

    private static string Sum(string sql) => $"coalesce(sum({sql}), 0)";

    private static string When(string condition, string then = "1") => Sum($"CASE WHEN {condition} THEN {then} END");

    /// <summary>The measures over donations <c>d</c>: the delivered ones from the totals each donation keeps of its deliveries.</summary>
    private static readonly string DonationMeasures = $"""
        count(*) AS count,
        {When("d.quantity_qualifier IN ('exact', 'at_least')", "d.quantity")} AS quantity_promised,
        {When("d.quantity_qualifier = 'at_least'")} AS quantity_promised_includes_at_least,
        {When("d.quantity_qualifier = 'approximate'")} AS quantity_promised_approximate_count,
        count(*) - count(d.quantity) AS quantity_undisclosed,
        {Sum("d.quantity_delivered")} AS quantity_delivered,
        {Sum("d.deliveries_at_least")} AS quantity_delivered_includes_at_least,
        {Sum("d.deliveries_approximate")} AS quantity_delivered_approximate_count,
        {Sum("d.deliveries_undisclosed")} AS quantity_delivered_undisclosed,
        {Sum("d.value_eur_cents")} AS value_eur_cents
        """;

    /// <summary>The measures over donation_rollup <c>d</c>: its groups' sums added up.</summary>
    private static readonly string RollupMeasures = string.Join(", ", DonationRollup.Measures.Select(m => $"{Sum("d." + m)} AS {m}"));

    /// <summary>The measures over deliveries <c>x</c> of donations <c>d</c>: a donation's value counts once, on its first delivery.</summary>
    private static readonly string DeliveryMeasures = $"""
        count(*) AS count,
        0 AS quantity_promised, 0 AS quantity_promised_includes_at_least, 0 AS quantity_promised_approximate_count, 0 AS quantity_undisclosed,
        {When("x.quantity_qualifier IN ('exact', 'at_least')", "x.quantity")} AS quantity_delivered,
        {When("x.quantity_qualifier = 'at_least'")} AS quantity_delivered_includes_at_least,
        {When("x.quantity_qualifier = 'approximate'")} AS quantity_delivered_approximate_count,
        {When("x.quantity_qualifier = 'undisclosed'")} AS quantity_delivered_undisclosed,
        {When("NOT EXISTS (SELECT 1 FROM deliveries y WHERE y.donation_id = x.donation_id AND y.id < x.id)", "d.value_eur_cents")} AS value_eur_cents
        """;

    /// <summary>The grouped rows, in the given order, and the grand total of every filtered row.</summary>
    public async Task<(IReadOnlyList<TotalsRowData> Groups, TotalsRowData Total)> TotalsAsync(
        DonationFilter filter, IReadOnlyList<Dimension> groupBy, int minCount, IReadOnlyList<(string Key, bool Descending)> order,
        CancellationToken cancellationToken)
    {
        var source = Source.For(connections.Dialect, filter, groupBy);
        var dimensions = string.Join(", ", groupBy.Select(d => $"{source.Of(d)} AS {d.Name}"));
        var sql = new StringBuilder(source.With)
            .Append("SELECT g.*").Append(string.Concat(groupBy.Where(d => d.NameColumn is not null).Select(d => ", " + d.NameColumn)))
            .Append($" FROM (SELECT {dimensions}, {source.Measures} {source.From} {source.Where}")
            .Append($" GROUP BY {string.Join(", ", groupBy.Select(source.Of))} HAVING {source.Count} >= @MinCount) g ")
            .Append(string.Join(' ', groupBy.Where(d => d.NameJoin is not null).Select(d => d.NameJoin)))
            .Append(" ORDER BY ")
            .Append(string.Join(", ", order.Select(o => $"g.{(o.Key == "value_eur" ? "value_eur_cents" : o.Key == "quantity" ? "quantity_promised" : o.Key)} {(o.Descending ? "DESC" : "ASC")}")));
        var parameters = source.Parameters;
        parameters.Add("MinCount", minCount);

        await using var connection = await connections.OpenAsync(cancellationToken);
        var groups = (await connection.QueryAsync<TotalsRowData>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
        // Every row is in exactly one group (no dimension multiplies rows), so unless having_min_count left groups out,
        // the grand total is their sum: one scan instead of two.
        TotalsRowData total;
        if (minCount <= 1 && !groupBy.Any(d => d.Multiplies))
        {
            total = new TotalsRowData();
            foreach (var group in groups) total.Add(group);
        }
        else
        {
            var all = Source.For(connections.Dialect, filter, []);
            total = await connection.QuerySingleAsync<TotalsRowData>(new CommandDefinition(
                $"{all.With}SELECT {all.Measures} {all.From} {all.Where}", all.Parameters, cancellationToken: cancellationToken));
        }
        return (groups, total);
    }

    public sealed class PeriodRow : MeasureData
    {
        /// <summary>Why the row is left apart (<c>undated</c>, <c>coarser_than_interval</c>); empty for a period's row.</summary>
        public string Reason { get; set; } = "";
        public string Period { get; set; } = "";
        public string? SplitKey { get; set; }
        public string? SplitName { get; set; }
    }

    public sealed class LeftApartRow : MeasureData
    {
        public string Reason { get; set; } = "";
    }

    /// <summary>The precisions a period of <paramref name="interval"/> can hold, over groups <c>m</c>: never a coarser date in a finer period.</summary>
    private static string Placed(string interval, string groups) =>
        $"{groups}.precision IN ({(interval == "year" ? "'year', " : "")}'month', 'day')";

    /// <summary>The measures of groups <c>m</c> added up.</summary>
    private static readonly string Resummed = string.Join(", ", DonationRollup.Measures.Select(m => $"sum(m.{m}) AS {m}"));

    /// <summary>
    /// Measures per period (and per value of the split dimension), only for periods that have rows; and the records
    /// left apart: dated more coarsely than the interval, or undated.
    /// </summary>
    public async Task<(IReadOnlyList<PeriodRow> Periods, IReadOnlyList<LeftApartRow> LeftApart)> PeriodsAsync(
        DonationFilter filter, string interval, string date, Dimension? split, CancellationToken cancellationToken)
    {
        if (split is { Multiplies: true }) throw new ArgumentException($"{split.Name} counts a donation in several groups: it is not a split.", nameof(split));
        var byDelivery = date == "delivered_on";
        var source = Source.For(connections.Dialect, filter, split is null ? [] : [split], rollup: date == "announced_on");
        var (from, column, measures) = byDelivery
            ? (source.From + " JOIN deliveries x ON x.donation_id = d.id", "x.delivered_on", DeliveryMeasures)
            : (source.From, source.Rollup ? "d.month" : $"d.{date}", source.Measures);
        // Grouped first by the stored date (the rollup's month; a date and its precision), which is what the engine
        // sorts; then each group is placed in its period, or in why it is left apart: 25% less time than placing each row.
        var (precision, precisionGroup) = source.Rollup ? ("''", "") : ($"{column}_precision", $", {column}_precision");
        var period = Periods.Sql(interval, "m.day");
        var (placed, undated) = source.Rollup
            ? (interval == "year" ? "m.day <> ''" : "length(m.day) = 7", "m.day = ''")
            : (Placed(interval, "m"), "m.day IS NULL");
        // By delivery, the delivered_from/delivered_to bounds hold for each instalment, not only for its donation:
        // an instalment outside them is neither placed nor left apart.
        var bounds = new Dictionary<string, object?>();
        if (byDelivery && filter.DeliveredFrom is { } deliveredFrom) bounds["series_from"] = Timestamps.Format(deliveredFrom);
        if (byDelivery && filter.DeliveredTo is { } deliveredTo) bounds["series_to"] = Timestamps.Format(deliveredTo);
        var within = (bounds.ContainsKey("series_from") ? " AND x.delivered_on >= @series_from" : "")
            + (bounds.ContainsKey("series_to") ? " AND x.delivered_on_end <= @series_to" : "");
        var (splitInner, splitGroup, splitOuter) = split is null ? ("", "", "") : ($", {source.Of(split)} AS split_key", $", {source.Of(split)}", ", m.split_key");
        var nameSelect = split?.NameColumn is null ? "" : ", " + split.NameColumn.Replace($"AS {split.Name}_name", "AS split_name", StringComparison.Ordinal);
        var nameJoin = split?.NameJoin?.Replace($"g.{split.Name}", "g.split_key", StringComparison.Ordinal) ?? "";
        var reason = $"CASE WHEN {undated} THEN 'undated' WHEN {placed} THEN '' ELSE 'coarser_than_interval' END";
        var sql = $"""
            {source.With}SELECT g.*{nameSelect} FROM (
                SELECT {reason} AS reason, CASE WHEN {reason} = '' THEN {period} ELSE '' END AS period{splitOuter}, {Resummed}
                FROM (SELECT {column} AS day, {precision} AS precision{splitInner}, {measures}
                    {from} {source.Where}{within}
                    GROUP BY {column}{precisionGroup}{splitGroup}) m
                GROUP BY 1, 2{splitOuter}) g {nameJoin}
            ORDER BY g.period
            """;
        var parameters = source.Parameters;
        foreach (var (name, value) in bounds) parameters[name] = value;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PeriodRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
        // Left apart is one answer for all the series: the split's groups added up (no split dimension counts a donation twice).
        return ([.. rows.Where(row => row.Reason.Length == 0)], [.. rows.Where(row => row.Reason.Length > 0).GroupBy(row => row.Reason).Select(group =>
        {
            var apart = new LeftApartRow { Reason = group.Key };
            foreach (var row in group) apart.Add(row);
            return apart;
        })]);
    }

    public sealed class PledgedRowData
    {
        public string Key { get; set; } = "";
        public string? Name { get; set; }
        public long OutstandingCount { get; set; }
        public long DeliveredCount { get; set; }
        public long ComparedCount { get; set; }
        public long ComparedIncludesAtLeast { get; set; }
        public long QuantityPromised { get; set; }
        public long QuantityDelivered { get; set; }
        public long PromisedUndisclosed { get; set; }
        public long PromisedApproximate { get; set; }
        public long DeliveryUndisclosed { get; set; }
        public long DeliveryApproximate { get; set; }
    }

    /// <summary>Promised and delivered quantities both known: the promise exact or at least, and no delivery approximate or undisclosed.</summary>
    private const string Compared = "d.quantity_qualifier IN ('exact', 'at_least') AND d.deliveries_undisclosed = 0 AND d.deliveries_approximate = 0";

    private static readonly string PledgedMeasures = $"""
        {When("d.status IN ('announced', 'committed')")} AS outstanding_count,
        {When("d.status IN ('partially_delivered', 'delivered')")} AS delivered_count,
        {When(Compared)} AS compared_count,
        {When($"{Compared} AND (d.quantity_qualifier = 'at_least' OR d.deliveries_at_least > 0)")} AS compared_includes_at_least,
        {When(Compared, "d.quantity")} AS quantity_promised,
        {When(Compared, "coalesce(d.quantity_delivered, 0)")} AS quantity_delivered,
        {When("d.quantity_qualifier = 'undisclosed'")} AS promised_undisclosed,
        {When("d.quantity_qualifier = 'approximate'")} AS promised_approximate,
        {When("d.quantity_qualifier IN ('exact', 'at_least') AND d.deliveries_undisclosed > 0")} AS delivery_undisclosed,
        {When("d.quantity_qualifier IN ('exact', 'at_least') AND d.deliveries_undisclosed = 0 AND d.deliveries_approximate > 0")} AS delivery_approximate
        """;

    /// <summary>
    /// Outstanding against delivered per value of <paramref name="by"/>, and for all rows (the sum of the groups);
    /// cancelled rows left out. Quantities compare the records whose promised and delivered quantities are both known.
    /// </summary>
    public async Task<(IReadOnlyList<PledgedRowData> Groups, PledgedRowData Total)> PledgedAsync(
        DonationFilter filter, Dimension by, CancellationToken cancellationToken)
    {
        // Whether a record's quantities compare is a question of each record: never the rollup's.
        var source = Source.For(connections.Dialect, filter, [by], rollup: false);
        var nameSelect = by.NameColumn is null ? "" : ", " + by.NameColumn.Replace($"AS {by.Name}_name", "AS name", StringComparison.Ordinal);
        var nameJoin = by.NameJoin?.Replace($"g.{by.Name}", "g.key", StringComparison.Ordinal) ?? "";
        var sql = $"""
            {source.With}SELECT g.*{nameSelect} FROM (
                SELECT {by.Sql} AS key, {PledgedMeasures} {source.From} {source.Where} AND d.status <> 'cancelled'
                GROUP BY {by.Sql}) g {nameJoin}
            ORDER BY g.outstanding_count + g.delivered_count DESC, g.key
            """;
        var parameters = source.Parameters;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var groups = (await connection.QueryAsync<PledgedRowData>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
        var total = new PledgedRowData
        {
            Key = "total",
            OutstandingCount = groups.Sum(g => g.OutstandingCount),
            DeliveredCount = groups.Sum(g => g.DeliveredCount),
            ComparedCount = groups.Sum(g => g.ComparedCount),
            ComparedIncludesAtLeast = groups.Sum(g => g.ComparedIncludesAtLeast),
            QuantityPromised = groups.Sum(g => g.QuantityPromised),
            QuantityDelivered = groups.Sum(g => g.QuantityDelivered),
            PromisedUndisclosed = groups.Sum(g => g.PromisedUndisclosed),
            PromisedApproximate = groups.Sum(g => g.PromisedApproximate),
            DeliveryUndisclosed = groups.Sum(g => g.DeliveryUndisclosed),
            DeliveryApproximate = groups.Sum(g => g.DeliveryApproximate),
        };
        return (groups, total);
    }

    /// <summary>
    /// Where an aggregate reads: donation_rollup when every dimension and filter lives at its grain (and
    /// <c>rollup</c> allows it: the question is by announcement), else the donations, joined to weapon_systems when
    /// the filter or a dimension reads the category.
    /// </summary>
    private sealed record Source(string From, string Where, Dictionary<string, object?> Parameters, string With, bool Rollup)
    {
        public string Measures => Rollup ? RollupMeasures : DonationMeasures;

        public string Count => Rollup ? "sum(d.count)" : "count(*)";

        public string Of(Dimension dimension) => Rollup ? dimension.RollupSql! : dimension.Sql;

        public static Source For(SqlDialect dialect, DonationFilter filter, IReadOnlyList<Dimension> dimensions, bool rollup = true)
        {
            if (rollup && dimensions.All(d => d.RollupSql is not null) && filter.ToRollupSql() is var (rollupWhere, rollupParameters))
            {
                return new Source("FROM donation_rollup d", rollupWhere, rollupParameters, "", Rollup: true);
            }
            var (where, parameters) = filter.ToSql(dialect);
            var joins = dimensions.Select(d => d.Join).Prepend(filter.Categories.Count > 0 ? WeaponSystems : null)
                .OfType<string>().Distinct();
            return new Source(string.Join(' ', joins.Prepend("FROM donations d")), where, parameters, filter.With(dialect), Rollup: false);
        }
    }
}
