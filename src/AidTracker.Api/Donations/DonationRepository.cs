using System.Data;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Donations;

public enum WriteStatus { Done, NotFound, Gone, Stale, Refused }

/// <summary>Donations as JSON text, and the sort position after which the next page starts (null on the last page).</summary>
public sealed record DonationDocuments(IReadOnlyList<byte[]> Items, IReadOnlyList<object?>? NextAfter);

/// <summary>The result of an update or delete. <see cref="CurrentVersion"/> is set when the row exists; <see cref="Refusal"/> names the field a refused write failed on.</summary>
public sealed record WriteOutcome(
    WriteStatus Status, DonationRow? Row = null, long? CurrentVersion = null, long ReferenceVersion = 0, (string Field, string Message)? Refusal = null);

/// <summary>The SQL of donations and their history. Every write appends to donation_history in the same transaction.</summary>
public sealed class DonationRepository(Database connections, Rates.ExchangeRates? rates = null)
{
    // The donations drive, the rest are point lookups. Without that order (SQLite's CROSS JOIN) a category filter made
    // SQLite's planner start from weapon_systems and sort every matching row (0.42 s on 1M rows, against 0.00 s).
    /// <summary>The joins of every donation read: <c>d</c> to <c>w</c> (weapon system), <c>dc</c> and <c>rc</c> (countries).</summary>
    public static string Joins(SqlDialect dialect) => $"""
        {dialect.OrderedJoin} {WeaponSystemJoin}
        JOIN countries dc ON dc.code = d.donor
        JOIN countries rc ON rc.code = d.recipient
        """;

    private const string WeaponSystemJoin = "weapon_systems w ON w.id = d.weapon_system";

    private readonly string _selectDonation = $"SELECT d.id, {DonationFields.Select}, {ReferenceVersion} FROM donations d {Joins(connections.Dialect)}";

    /// <summary>The reference version (migration 0010), part of a donation's ETag.</summary>
    private const string ReferenceVersion = "(SELECT reference_version FROM data_version) AS reference_version";

    private readonly string _selectHistory = $"""
        SELECT d.operation, d.changed_at, d.changed_by, d.request_id, d.import_id, d.donation_id AS id, {DonationFields.Select}
        FROM donation_history d {Joins(connections.Dialect)}
        WHERE d.donation_id = @Id
        ORDER BY d.version
        """;

    /// <summary>Inserts one donation from the parameters of <see cref="DonationWrite"/> and <c>@At</c>.</summary>
    public static readonly string InsertRow = $"INSERT INTO donations ({DonationFields.Insert.Columns}) VALUES ({DonationFields.Insert.Values})";

    private static readonly string Insert = $"{InsertRow} RETURNING id";

    private static readonly string Update = $"UPDATE donations SET {DonationFields.UpdateSet} WHERE id = @Id";

    private const string Tombstone = """
        UPDATE donations SET deleted_at = @At, updated_at = @At, version = version + 1 WHERE id = @Id
        """;

    /// <summary>Copies donations, as they stand, into history; the caller adds the WHERE. Parameters: Operation, At, ChangedBy, RequestId, ImportId.</summary>
    public static readonly string CopyToHistory =
        $"INSERT INTO donation_history ({string.Join(", ", DonationFields.HistoryStamp.Concat(DonationFields.Versioned))}) " +
        $"SELECT id, @Operation, @At, @ChangedBy, @RequestId, @ImportId, {string.Join(", ", DonationFields.Versioned)} FROM donations";

    private static readonly string AppendHistory = $"{CopyToHistory} WHERE id = @Id";

    private static readonly string AppendHistoryWithChildren = $"{AppendHistory};\n{DonationChildren.CopyToHistory("d.id = @Id")}";

    private const string SelectState = $"SELECT version, deleted_at, {ReferenceVersion} FROM donations WHERE id = @Id";

    /// <summary>One donation, tombstoned or not; null when the id was never used.</summary>
    public async Task<DonationRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    /// <summary>
    /// A page of live donations in the query's order, each already JSON (<see cref="DonationJson"/>), and the sort
    /// position of the last one when more rows follow. Runs on a <see cref="PreparedReader"/>: the statement is
    /// prepared once per connection and shape of query.
    /// </summary>
    public async Task<DonationDocuments> ListAsync(DonationQuery query, CancellationToken cancellationToken)
    {
        // With q, the search index drives and the order by id is its own, so the engine reads matches in order and
        // stops at the page's end (SQLite: 0.05 ms for q=javelin on 1M rows) instead of listing all 16,000 first (2.5 ms).
        var dialect = connections.Dialect;
        var search = query.Filter.TextQuery is not null;
        var sort = search ? query.Sort.WithIdFrom(dialect.SearchId) : query.Sort;
        var (where, parameters) = query.Filter.ToSql(dialect, searchJoined: search);
        // The page's ids first, then the JSON of those rows alone: an order no index serves (nulls last) sorts every
        // matching row, and building each one's JSON, with its deliveries and evidence, before the sort cost a donor's
        // page 25 ms instead of 2. Outside, the page is in the query's own order again (the search's id is d.id).
        var keys = query.Sort.Keys;
        var past = query.Filter.AsOf is not null;
        var sql = new StringBuilder(query.Filter.With(dialect)).Append("SELECT ").Append(DonationJson.Object(dialect, fromChildren: past));
        foreach (var key in keys) sql.Append(", ").Append(key.Column.Sql);
        // The page's ids need the weapon system only to filter or sort by category, and never the countries' names; its
        // rows need the joins only to build their JSON from the past, or for a sort key read from the weapon system.
        var byCategory = query.Filter.Categories.Count > 0 || keys.Any(key => key.Column.Sql.StartsWith("w.", StringComparison.Ordinal));
        sql.Append(" FROM (SELECT d.id AS page_id FROM ").Append(search ? dialect.SearchDriven : "donations d").Append(' ')
            .Append(byCategory ? $"{dialect.OrderedJoin} {WeaponSystemJoin}" : "").Append(' ').Append(where);
        if (query.After is not null)
        {
            var (after, positionParameters) = sort.After(query.After);
            sql.Append(" AND ").Append(after);
            foreach (var (name, value) in positionParameters) parameters.Add(name, value);
        }
        sql.Append(" ORDER BY ").Append(sort.OrderBy).Append(" LIMIT @take) page")
            .Append(" JOIN donations d ON d.id = page.page_id ").Append(past || keys.Any(key => !key.Column.Sql.StartsWith("d.", StringComparison.Ordinal)) ? Joins(dialect) : "")
            .Append(" ORDER BY ").Append(query.Sort.OrderBy);
        parameters.Add("take", query.Limit + 1);

        using var connection = await connections.RentReaderAsync(cancellationToken);
        await using var reader = await connection.Command(sql.ToString(), parameters).ExecuteReaderAsync(cancellationToken);
        var items = new List<byte[]>(query.Limit);
        object?[]? last = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == query.Limit) return new DonationDocuments(items, last);
            items.Add(dialect.Utf8(reader, 0));
            if (items.Count == query.Limit)
            {
                last = new object?[keys.Count];
                for (var i = 0; i < keys.Count; i++) last[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
            }
        }
        return new DonationDocuments(items, null);
    }

    /// <summary>Records a donation with its children; <paramref name="alsoRecord"/>, when given, writes more in the same transaction.</summary>
    public async Task<DonationRow> CreateAsync(
        DonationWrite donation, ChangeContext change, CancellationToken cancellationToken, Func<WriteScope, DonationRow, Task>? alsoRecord = null)
    {
        donation = await ConvertAsync(donation, cancellationToken);
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var id = await CreateAsync(write, donation, change, cancellationToken);
        var row = (await FindAsync(write.Connection, write.Transaction, id, cancellationToken))!;
        if (alsoRecord is not null) await alsoRecord(write, row);
        await write.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>Records a donation with its children and its first version inside the caller's transaction; returns its id.</summary>
    public static async Task<long> CreateAsync(WriteScope write, DonationWrite donation, ChangeContext change, CancellationToken cancellationToken)
    {
        var id = await InsertAsync(write, donation, change, cancellationToken);
        await DonationChildren.WriteAsync(write, id, donation.Evidence, donation.Deliveries, keepDeliveries: false, cancellationToken);
        await FinishWriteAsync(write, id, ChangeOperation.Create, change, await write.ChangedAtAsync(change.Clock, cancellationToken), cancellationToken);
        return id;
    }

    /// <summary>
    /// Inserts a donation's row inside the caller's transaction, without its children or history: the caller writes
    /// those, then <see cref="FinishWriteAsync"/>. Returns the new id.
    /// </summary>
    public static async Task<long> InsertAsync(WriteScope write, DonationWrite donation, ChangeContext change, CancellationToken cancellationToken)
    {
        var at = await write.ChangedAtAsync(change.Clock, cancellationToken);
        // QuerySingle reads RETURNING to the end; ExecuteScalar would leave the statement open and block WAL checkpoints.
        return await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
            Insert, WithAt(donation, at), write.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// After a donation's row and children are written: sets its review state (a create or an update is published
    /// when the change publishes, else a draft again; a delete leaves it), derives first_reported_on from its evidence
    /// (which indexes it again for search) and the delivered totals from its deliveries, then appends the version to
    /// history with copies of its deliveries and evidence.
    /// </summary>
    /// <remarks>
    /// A donation left published may cite only published sources and belong only to a published package (so that
    /// nothing public cites what is not): else <see cref="WriteRefusedException"/> (409), and the transaction is rolled back.
    /// </remarks>
    public static async Task FinishWriteAsync(WriteScope write, long id, ChangeOperation operation, ChangeContext change, string at, CancellationToken cancellationToken)
    {
        var state = operation == ChangeOperation.Delete ? "" : SetReviewState;
        await write.Connection.ExecuteAsync(new CommandDefinition(
            state + RefreshOne[write.Dialect], new { Id = id, change.ReviewState }, write.Transaction, cancellationToken: cancellationToken));
        if (operation != ChangeOperation.Delete && change.ReviewState == ReviewStates.Published
            && await UnpublishedCitationAsync(write, id, id, cancellationToken) is { } citation)
        {
            throw new WriteRefusedException(StatusCodes.Status409Conflict, citation.Field, citation.Message);
        }
        await AppendHistoryAsync(write.Connection, write.Transaction, id, operation, change, at, cancellationToken);
    }

    /// <summary>
    /// The first of the donations <paramref name="first"/> to <paramref name="last"/> that cites a source (in its
    /// evidence or its deliveries') or belongs to a package that is not published; null when none does. What a
    /// published donation may not do. One donation is read through its evidence; a range (an import's) through the
    /// few records that are not published (migration 0024's partial indexes), not through every row's evidence.
    /// </summary>
    public static async Task<UnpublishedCitation?> UnpublishedCitationAsync(WriteScope write, long first, long last, CancellationToken cancellationToken) =>
        await write.Connection.QueryFirstOrDefaultAsync<UnpublishedCitation>(new CommandDefinition(
            first == last ? UnpublishedCitedByOne : UnpublishedCitedByRange, new { First = first, Last = last }, write.Transaction, cancellationToken: cancellationToken));

    private const string UnpublishedCitedByOne = $"""
        SELECT e.donation_id, 'source' AS kind, s.id AS id, s.review_state AS review_state, e.delivery_id IS NOT NULL AS in_delivery
        FROM evidence e JOIN sources s ON s.id = e.source_id
        WHERE e.donation_id = @First AND s.review_state <> '{ReviewStates.Published}'
        UNION ALL
        SELECT d.id, 'package', p.id, p.review_state, false FROM donations d JOIN packages p ON p.id = d.package_id
        WHERE d.id = @First AND p.review_state <> '{ReviewStates.Published}'
        ORDER BY 1, 2, 3 LIMIT 1
        """;

    private const string UnpublishedCitedByRange = $"""
        SELECT e.donation_id, 'source' AS kind, s.id AS id, s.review_state AS review_state, e.delivery_id IS NOT NULL AS in_delivery
        FROM sources s JOIN evidence e ON e.source_id = s.id
        WHERE s.review_state <> '{ReviewStates.Published}' AND e.donation_id BETWEEN @First AND @Last
        UNION ALL
        SELECT d.id, 'package', p.id, p.review_state, false FROM packages p JOIN donations d ON d.package_id = p.id
        WHERE p.review_state <> '{ReviewStates.Published}' AND d.deleted_at IS NULL AND {ReviewStates.IsPublished} AND d.id BETWEEN @First AND @Last
        ORDER BY 1, 2, 3 LIMIT 1
        """;

    private const string SetReviewState = "UPDATE donations SET review_state = @ReviewState WHERE id = @Id;\n";

    private static readonly PerDialect<string> RefreshOne = new(dialect =>
        $"{DonationChildren.RefreshDerived(dialect, "id = @Id")};\n{DonationJson.Refresh(dialect, "id = @Id")}");

    private const string Citing = "id IN (SELECT e.donation_id FROM evidence e WHERE e.source_id = @SourceId)";

    private static readonly PerDialect<string> RefreshCiting = new(dialect =>
        $"{DonationChildren.RefreshFromEvidence(dialect, Citing)};\n{DonationJson.Refresh(dialect, Citing)}");

    /// <summary>
    /// Derives first_reported_on and the kept JSON again for every donation whose evidence cites source
    /// <paramref name="sourceId"/>: what a change to a source (its published_on, its title) or its deletion calls inside
    /// its own transaction. The donations' versions do not move (their ETags move with the reference version that every
    /// source write moves).
    /// </summary>
    public static Task<int> RefreshCitingAsync(WriteScope write, long sourceId, CancellationToken cancellationToken) =>
        write.Connection.ExecuteAsync(new CommandDefinition(RefreshCiting[write.Dialect], new { SourceId = sourceId }, write.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Adds an instalment to a live donation whose version is one of <paramref name="acceptedVersions"/>, and sets its
    /// status (<paramref name="status"/>); <paramref name="check"/> refuses the delivery against the donation as it
    /// stands (a field and its message), inside the transaction.
    /// </summary>
    public async Task<WriteOutcome> AddDeliveryAsync(
        long id, IReadOnlySet<long>? acceptedVersions, DeliveryWrite delivery, string status, Func<DonationRow, (string Field, string Message)?> check,
        ChangeContext change, CancellationToken cancellationToken) =>
        await WriteExistingAsync(id, acceptedVersions, ChangeOperation.Update, change, cancellationToken, async (scope, at) =>
        {
            var current = (await FindAsync(scope.Connection, scope.Transaction, id, cancellationToken))!;
            if (check(current) is { } refused) return refused;
            await DonationChildren.WriteAsync(scope, id, null, [delivery], keepDeliveries: true, cancellationToken);
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE donations SET status = @Status, updated_at = @At, version = version + 1 WHERE id = @Id",
                new { Id = id, Status = status, At = at }, scope.Transaction, cancellationToken: cancellationToken));
            return null;
        });

    /// <summary>Replaces a live donation whose version is one of <paramref name="acceptedVersions"/> (any version when null).</summary>
    public async Task<WriteOutcome> UpdateAsync(
        long id, IReadOnlySet<long>? acceptedVersions, DonationWrite donation, ChangeContext change, CancellationToken cancellationToken)
    {
        donation = await ConvertAsync(donation, cancellationToken);
        return await WriteExistingAsync(id, acceptedVersions, ChangeOperation.Update, change, cancellationToken, async (scope, at) =>
        {
            if (await DonationChildren.WriteAsync(scope, id, donation.Evidence, donation.Deliveries, keepDeliveries: false, cancellationToken) is { } index)
            {
                return ($"deliveries[{index}].id", $"Donation {id} has no delivery {donation.Deliveries[index].Id}: leave id out for a new instalment.");
            }
            await scope.Connection.ExecuteAsync(new CommandDefinition(Update, WithAt(donation, at, id), scope.Transaction, cancellationToken: cancellationToken));
            return null;
        });
    }

    /// <summary>A donation whose euro value waits for a rate: an amount in a currency, no euro figure, and the date it converts at.</summary>
    private sealed class WaitingValue
    {
        public long Id { get; set; }
        public long ValueAmountMinor { get; set; }
        public string ValueCurrency { get; set; } = "";
        public string ConvertOn { get; set; } = "";
    }

    /// <summary>
    /// Converts every live donation whose euro value waits for a rate (an amount given, value_eur null: never a
    /// reported one) and for which one is now loaded, each as a new version in history changed by
    /// <paramref name="change"/> (the <c>rates import</c> verb); one transaction, run right after the import commits.
    /// Returns how many were converted.
    /// </summary>
    public async Task<int> ConvertWaitingAsync(ChangeContext change, CancellationToken cancellationToken)
    {
        if (rates is null) return 0;
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var waiting = (await write.Connection.QueryAsync<WaitingValue>(new CommandDefinition(
            """
            SELECT id AS Id, value_amount_minor AS ValueAmountMinor, value_currency AS ValueCurrency,
                coalesce(committed_on, announced_on, first_reported_on) AS ConvertOn
            FROM donations
            WHERE deleted_at IS NULL AND value_amount_minor IS NOT NULL AND value_eur_cents IS NULL
                AND coalesce(committed_on, announced_on, first_reported_on) IS NOT NULL
            ORDER BY id
            """, transaction: write.Transaction, cancellationToken: cancellationToken))).AsList();
        var converted = 0;
        foreach (var donation in waiting)
        {
            if (await rates.ToEurAsync(donation.ValueAmountMinor, donation.ValueCurrency, Timestamps.ParseDate(donation.ConvertOn), cancellationToken) is not { } conversion) continue;
            var at = await write.ChangedAtAsync(change.Clock, cancellationToken);
            await write.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE donations SET value_eur_cents = @EurCents, value_eur_method = @Method, value_eur_rate = @Rate, value_eur_rate_date = @RateDay,
                    updated_at = @At, version = version + 1
                WHERE id = @Id;
                """ + DonationJson.Refresh(connections.Dialect, "id = @Id"),
                // A euro amount is its own value (reported, no rate); any other is converted at the rate of its day.
                donation.ValueCurrency == Rates.ExchangeRates.Euro
                    ? new { donation.Id, conversion.EurCents, Method = "reported", Rate = (string?)null, RateDay = (string?)null, At = at }
                    : new { donation.Id, conversion.EurCents, Method = "converted", Rate = (string?)conversion.Rate, RateDay = (string?)Timestamps.Format(conversion.RateDay), At = at },
                write.Transaction, cancellationToken: cancellationToken));
            await AppendHistoryAsync(write.Connection, write.Transaction, donation.Id, ChangeOperation.Update, change, at, cancellationToken);
            converted++;
        }
        await write.CommitAsync(cancellationToken);
        return converted;
    }

    /// <summary>
    /// The write with its euro value converted where it reports none (<see cref="Rates.EurValues"/>), before the write
    /// turn is taken: the rates are read on a connection of their own. The relevant date falls back to the earliest
    /// publication of the sources its evidence cites, which is what first_reported_on will be.
    /// </summary>
    private async Task<DonationWrite> ConvertAsync(DonationWrite donation, CancellationToken cancellationToken)
    {
        if (rates is null || donation.ValueEurCents is not null || donation.ValueAmountMinor is null) return donation;
        DateOnly? firstReported = null;
        if (donation.CommittedOn is null && donation.AnnouncedOn is null && donation.FirstReportedOn is null && donation.Evidence.Count > 0)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var earliest = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                $"SELECT min(published_on) FROM sources WHERE {connections.Dialect.In("id", "Ids")}",
                new { Ids = donation.Evidence.Select(e => e.SourceId).Distinct().ToArray() }, cancellationToken: cancellationToken));
            if (earliest is not null) firstReported = Timestamps.ParseDate(earliest);
        }
        return await Rates.EurValues.ConvertAsync(rates, donation, firstReported, cancellationToken);
    }

    /// <summary>
    /// A reviewer's decision on a draft at <paramref name="version"/>: the state it decides (published or rejected) and
    /// the comment, as a new version in history made by the reviewer. 412 when the draft changed since.
    /// </summary>
    public Task<WriteOutcome> ReviewAsync(long id, long version, string state, string? comment, ChangeContext reviewer, CancellationToken cancellationToken) =>
        WriteExistingAsync(id, new HashSet<long> { version }, ChangeOperation.Update, reviewer with { ReviewState = state }, cancellationToken, async (scope, at) =>
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE donations SET review_comment = @Comment, updated_at = @At, version = version + 1 WHERE id = @Id",
                new { Id = id, Comment = comment, At = at }, scope.Transaction, cancellationToken: cancellationToken));
            return null;
        });

    /// <summary>Whether the key <paramref name="name"/> made any draft version of the donation: four eyes, it may not publish it.</summary>
    public Task<bool> DraftedByAsync(long id, string name, CancellationToken cancellationToken) =>
        ReviewHistory.DraftedByAsync(connections, "donation_history", "donation_id", id, name, cancellationToken);

    /// <summary>Who made version <paramref name="version"/> of the donation, and when.</summary>
    public Task<(string ChangedBy, string ChangedAt)> LastChangeAsync(long id, long version, CancellationToken cancellationToken) =>
        ReviewHistory.ChangeAsync(connections, "donation_history", "donation_id", id, version, cancellationToken);

    /// <summary>Tombstones a live donation: the row stays, marked deleted, and the history records it.</summary>
    public Task<WriteOutcome> DeleteAsync(long id, IReadOnlySet<long>? acceptedVersions, ChangeContext change, CancellationToken cancellationToken) =>
        WriteExistingAsync(id, acceptedVersions, ChangeOperation.Delete, change, cancellationToken, async (scope, at) =>
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(Tombstone, new { Id = id, At = at }, scope.Transaction, cancellationToken: cancellationToken));
            return null;
        });

    /// <summary>Every version of a donation, oldest first; empty when the id was never used.</summary>
    public async Task<IReadOnlyList<DonationHistoryRow>> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DonationHistoryRow, DonationRow, DonationHistoryRow>(
            new CommandDefinition(_selectHistory, new { Id = id }, cancellationToken: cancellationToken),
            (entry, record) =>
            {
                entry.Record = record;
                return entry;
            },
            splitOn: "id");
        var list = rows.AsList();
        await DonationChildren.LoadHistoryAsync(connection, id, list, cancellationToken);
        return list;
    }

    private async Task<WriteOutcome> WriteExistingAsync(
        long id,
        IReadOnlySet<long>? acceptedVersions,
        ChangeOperation operation,
        ChangeContext change,
        CancellationToken cancellationToken,
        Func<WriteScope, string, Task<(string Field, string Message)?>> write)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var current = await scope.Connection.QuerySingleOrDefaultAsync<DonationState>(new CommandDefinition(
            SelectState, new { Id = id }, scope.Transaction, cancellationToken: cancellationToken));
        if (current is null) return new WriteOutcome(WriteStatus.NotFound);
        if (current.DeletedAt is not null) return new WriteOutcome(WriteStatus.Gone, CurrentVersion: current.Version, ReferenceVersion: current.ReferenceVersion);
        if (acceptedVersions is not null && !acceptedVersions.Contains(current.Version))
        {
            return new WriteOutcome(WriteStatus.Stale, CurrentVersion: current.Version, ReferenceVersion: current.ReferenceVersion);
        }

        var at = await scope.ChangedAtAsync(change.Clock, cancellationToken);
        if (await write(scope, at) is { } refused) return new WriteOutcome(WriteStatus.Refused, Refusal: refused);
        await FinishWriteAsync(scope, id, operation, change, at, cancellationToken);
        var row = await FindAsync(scope.Connection, scope.Transaction, id, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new WriteOutcome(WriteStatus.Done, row, row!.Version, row.ReferenceVersion);
    }

    internal async Task<DonationRow?> FindAsync(IDbConnection connection, IDbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<DonationRow>(new CommandDefinition(
            $"{_selectDonation} WHERE d.id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is not null) await DonationChildren.LoadAsync(connection, transaction, row, cancellationToken);
        return row;
    }

    /// <summary>Which of these source ids name a live source.</summary>
    public async Task<IReadOnlySet<long>> LiveSourcesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return new HashSet<long>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM sources WHERE {connections.Dialect.In("id", "Ids")} AND deleted_at IS NULL", new { Ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
    }

    /// <summary>Whether a live package has this id.</summary>
    public async Task<bool> IsLivePackageAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM packages WHERE id = @Id AND deleted_at IS NULL", new { Id = id }, cancellationToken: cancellationToken)) > 0;
    }

    private static Task AppendHistoryAsync(
        IDbConnection connection, IDbTransaction transaction, long id, ChangeOperation operation, ChangeContext change, string at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            AppendHistoryWithChildren,
            new { Id = id, Operation = WireEnum<ChangeOperation>.Name(operation), At = at, change.ChangedBy, change.RequestId, ImportId = (long?)null },
            transaction,
            cancellationToken: cancellationToken));

    private static DynamicParameters WithAt(DonationWrite donation, string at, long? id = null)
    {
        var parameters = new DynamicParameters();
        foreach (var field in DonationFields.Written) parameters.Add(field.Parameter, field.Value!(donation));
        parameters.Add("At", at);
        if (id is not null) parameters.Add("Id", id);
        return parameters;
    }

    /// <summary>A source or package, not published, that a donation cites or belongs to: the field it is named by, and why that stops publishing.</summary>
    public sealed class UnpublishedCitation
    {
        public long DonationId { get; set; }
        public string Kind { get; set; } = "";
        public long Id { get; set; }
        public string ReviewState { get; set; } = "";

        /// <summary>The citation is in the evidence of one of the donation's deliveries.</summary>
        public bool InDelivery { get; set; }

        /// <summary>What a request names it by: its package, or the evidence (the donation's, or the delivery's that a delivery's body carries).</summary>
        public string Field => Kind == "package" ? "package" : "evidence";

        public string Message => $"The {Kind} {Id} that the donation {(Kind == "source" ? "cites" : "belongs to")} is {(ReviewState == ReviewStates.Draft ? "a draft" : ReviewState)}, not published: a published donation cites only what is public. " +
            (ReviewState == ReviewStates.Draft
                ? $"A reviewer publishes the {Kind} first (POST /api/v1/review/{Kind}s/{Id})."
                : $"Cite another, or correct the {Kind} and have it published.");
    }

    private sealed class DonationState
    {
        public long Version { get; set; }
        public string? DeletedAt { get; set; }
        public long ReferenceVersion { get; set; }
    }
}
