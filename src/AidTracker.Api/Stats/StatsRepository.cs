using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Stats;

/// <summary>
/// A dimension to group by: its SQL over the donations and over donation_rollup (null for weapon_system, finer than the
/// rollup), and the name column joined after it, if any.
/// </summary>
public sealed record Dimension(string Name, string Sql, bool NeedsWeaponSystems, string? RollupSql, string? NameJoin = null, string? NameColumn = null);

/// <summary>A grouped row as Dapper reads it: every possible dimension, and the measures in storage units.</summary>
public sealed class TotalsRowData
{
    public string? Donor { get; set; }
    public string? DonorName { get; set; }
    public string? Recipient { get; set; }
    public string? RecipientName { get; set; }
    public string? Category { get; set; }
    public string? WeaponSystem { get; set; }
    public string? WeaponSystemName { get; set; }
    public string? Status { get; set; }
    public string? Year { get; set; }
    public string? Month { get; set; }
    public long Count { get; set; }
    public long Quantity { get; set; }
    public long QuantityUndisclosed { get; set; }
    public long ValueEurCents { get; set; }

    public TotalsRow ToRow() => new(
        Donor, DonorName, Recipient, RecipientName, Category, WeaponSystem, WeaponSystemName, Status, Year, Month,
        Count, Quantity, QuantityUndisclosed, Money.FromMinor(ValueEurCents, 2));
}

/// <summary>The SQL of the statistics. Aggregates run over the same filter SQL as the lists.</summary>
public sealed class StatsRepository(Database connections)
{
    public static readonly IReadOnlyDictionary<string, Dimension> Dimensions = new Dimension[]
    {
        new("donor", "d.donor", false, "d.donor", "LEFT JOIN countries dc ON dc.code = g.donor", "dc.name AS donor_name"),
        new("recipient", "d.recipient", false, "d.recipient", "LEFT JOIN countries rc ON rc.code = g.recipient", "rc.name AS recipient_name"),
        new("category", "w.category", true, "d.category"),
        new("weapon_system", "d.weapon_system", false, null, "LEFT JOIN weapon_systems wn ON wn.id = g.weapon_system", "wn.name AS weapon_system_name"),
        new("status", "d.status", false, "d.status"),
        // A year-precision announcement has no month: its month group is its year ("2022"), never a month it is not known to.
        new("year", "substr(d.announced_on, 1, 4)", false, "nullif(substr(d.month, 1, 4), '')"),
        new("month", "substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END)", false, "nullif(d.month, '')"),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The names of <see cref="Dimensions"/>, as group_by matches them.</summary>
    public static readonly WireNames DimensionNames = new(Dimensions.Keys);

    public static readonly IReadOnlyList<string> Measures = ["count", "quantity", "quantity_undisclosed", "value_eur"];

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
            .Append(string.Join(", ", order.Select(o => $"g.{(o.Key == "value_eur" ? "value_eur_cents" : o.Key)} {(o.Descending ? "DESC" : "ASC")}")));
        var parameters = source.Parameters;
        parameters.Add("MinCount", minCount);

        await using var connection = await connections.OpenAsync(cancellationToken);
        var groups = (await connection.QueryAsync<TotalsRowData>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
        // Every row is in exactly one group (no dimension is null), so unless having_min_count left groups out, the
        // grand total is their sum: one scan instead of two.
        var total = minCount <= 1
            ? new TotalsRowData
            {
                Count = groups.Sum(g => g.Count),
                Quantity = groups.Sum(g => g.Quantity),
                QuantityUndisclosed = groups.Sum(g => g.QuantityUndisclosed),
                ValueEurCents = groups.Sum(g => g.ValueEurCents),
            }
            : await connection.QuerySingleAsync<TotalsRowData>(new CommandDefinition(
                $"{source.With}SELECT {source.Measures} {source.From} {source.Where}", parameters, cancellationToken: cancellationToken));
        return (groups, total);
    }

    public sealed class PeriodRow
    {
        public string Period { get; set; } = "";
        public string? SplitKey { get; set; }
        public string? SplitName { get; set; }
        public long Count { get; set; }
        public long Quantity { get; set; }
        public long ValueEurCents { get; set; }
    }

    /// <summary>Measures per period (and per value of the split dimension), only for periods that have rows.</summary>
    public async Task<IReadOnlyList<PeriodRow>> PeriodsAsync(
        DonationFilter filter, string interval, string dateColumn, Dimension? split, CancellationToken cancellationToken)
    {
        var byDelivery = dateColumn == "d.delivered_on";
        var source = Source.For(connections.Dialect, filter, split is null ? [] : [split], byAnnouncement: !byDelivery);
        // By delivery, each dated instalment is placed on its own date; its donation's value counts once, on its first.
        if (byDelivery)
        {
            dateColumn = "x.delivered_on";
            source = source with { From = source.From + " JOIN deliveries x ON x.donation_id = d.id" };
        }
        var period = Periods.Sql(interval, source.IsRollup ? "d.month" : dateColumn);
        // Nothing is placed in a finer period than it is known to: a year-precision date only in a yearly series.
        var known = source.IsRollup
            ? (interval == "year" ? "d.month <> ''" : "length(d.month) = 7")
            : $"{dateColumn}_precision IN ({(interval == "year" ? "'year', " : "")}'month', 'day')";
        var quantity = byDelivery ? "CASE WHEN x.quantity_qualifier IN ('exact', 'at_least') THEN x.quantity END" : "d.quantity";
        var value = byDelivery
            ? "CASE WHEN NOT EXISTS (SELECT 1 FROM deliveries y WHERE y.donation_id = x.donation_id AND y.id < x.id) THEN d.value_eur_cents END"
            : "d.value_eur_cents";
        var splitSelect = split is null ? "" : $", {source.Of(split)} AS split_key";
        var splitGroup = split is null ? "" : $", {source.Of(split)}";
        var nameSelect = split?.NameColumn is null ? "" : ", " + split.NameColumn.Replace($"AS {split.Name}_name", "AS split_name", StringComparison.Ordinal);
        var nameJoin = split?.NameJoin?.Replace($"g.{split.Name}", "g.split_key", StringComparison.Ordinal) ?? "";
        var sql = $"""
            {source.With}SELECT g.*{nameSelect} FROM (
                SELECT {period} AS period{splitSelect}, {source.Count} AS count, coalesce(sum({(source.IsRollup ? "d.quantity" : quantity)}), 0) AS quantity,
                    coalesce(sum({(source.IsRollup ? "d.value_eur_cents" : value)}), 0) AS value_eur_cents
                {source.From} {source.Where} AND {(source.IsRollup ? "d.month" : dateColumn)} IS NOT NULL AND {known}
                GROUP BY {period}{splitGroup}) g {nameJoin}
            ORDER BY g.period
            """;
        var parameters = source.Parameters;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PeriodRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    public sealed class PledgedRowData
    {
        public string Key { get; set; } = "";
        public string? Name { get; set; }
        public long OutstandingCount { get; set; }
        public long DeliveredCount { get; set; }
        public long OutstandingQuantity { get; set; }
        public long DeliveredQuantity { get; set; }
        public long QuantityUndisclosed { get; set; }
    }

    private static string PledgedMeasures(Source source) => $"""
        coalesce(sum(CASE WHEN d.status IN ('announced', 'committed') THEN {source.One} END), 0) AS outstanding_count,
        coalesce(sum(CASE WHEN d.status IN ('partially_delivered', 'delivered') THEN {source.One} END), 0) AS delivered_count,
        coalesce(sum(CASE WHEN d.status IN ('announced', 'committed') THEN d.quantity END), 0) AS outstanding_quantity,
        coalesce(sum(CASE WHEN d.status IN ('partially_delivered', 'delivered') THEN d.quantity END), 0) AS delivered_quantity,
        {source.QuantityUndisclosed} AS quantity_undisclosed
        """;

    /// <summary>
    /// Outstanding against delivered per value of <paramref name="by"/>, and for all rows (the sum of the groups);
    /// cancelled rows left out. Quantities sum the rows whose quantity is known; quantity_undisclosed counts the rest.
    /// </summary>
    public async Task<(IReadOnlyList<PledgedRowData> Groups, PledgedRowData Total)> PledgedAsync(
        DonationFilter filter, Dimension by, CancellationToken cancellationToken)
    {
        var source = Source.For(connections.Dialect, filter, [by]);
        var nameSelect = by.NameColumn is null ? "" : ", " + by.NameColumn.Replace($"AS {by.Name}_name", "AS name", StringComparison.Ordinal);
        var nameJoin = by.NameJoin?.Replace($"g.{by.Name}", "g.key", StringComparison.Ordinal) ?? "";
        var sql = $"""
            {source.With}SELECT g.*{nameSelect} FROM (
                SELECT {source.Of(by)} AS key, {PledgedMeasures(source)} {source.From} {source.Where} AND d.status <> 'cancelled'
                GROUP BY {source.Of(by)}) g {nameJoin}
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
            OutstandingQuantity = groups.Sum(g => g.OutstandingQuantity),
            DeliveredQuantity = groups.Sum(g => g.DeliveredQuantity),
            QuantityUndisclosed = groups.Sum(g => g.QuantityUndisclosed),
        };
        return (groups, total);
    }

    /// <summary>
    /// Where an aggregate reads: donation_rollup when every filter and dimension lives at its grain (a donor's totals
    /// read a few hundred groups instead of tens of thousands of rows), otherwise the donations, joined to
    /// weapon_systems only when the filter or a dimension reads the category.
    /// </summary>
    private sealed record Source(string From, string Where, Dictionary<string, object?> Parameters, bool IsRollup, string With = "")
    {
        public static Source For(SqlDialect dialect, DonationFilter filter, IReadOnlyList<Dimension> dimensions, bool byAnnouncement = true)
        {
            if (byAnnouncement && dimensions.All(d => d.RollupSql is not null) && filter.ToRollupSql() is { } rollup)
            {
                return new Source("FROM donation_rollup d", rollup.Sql, rollup.Parameters, true);
            }
            var (where, parameters) = filter.ToSql(dialect);
            var from = filter.Categories.Count > 0 || dimensions.Any(d => d.NeedsWeaponSystems)
                ? "FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system"
                : "FROM donations d";
            return new Source(from, where, parameters, false, filter.With(dialect));
        }

        public string Of(Dimension dimension) => IsRollup ? dimension.RollupSql! : dimension.Sql;

        /// <summary>What one donation adds to a count.</summary>
        public string One => IsRollup ? "d.count" : "1";

        public string Count => IsRollup ? "coalesce(sum(d.count), 0)" : "count(*)";

        public string Measures => $"""
            {Count} AS count, coalesce(sum(d.quantity), 0) AS quantity,
            {QuantityUndisclosed} AS quantity_undisclosed,
            coalesce(sum(d.value_eur_cents), 0) AS value_eur_cents
            """;

        /// <summary>How many rows have no known quantity: what quantity sums and ratios leave out.</summary>
        public string QuantityUndisclosed => IsRollup ? "coalesce(sum(d.quantity_undisclosed), 0)" : "count(*) - count(d.quantity)";
    }
}
