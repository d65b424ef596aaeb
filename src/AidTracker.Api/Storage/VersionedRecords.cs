using System.Data;
using System.Text;
using System.Text.Json;
using AidTracker.Api.Common;
using Dapper;

namespace AidTracker.Api.Storage;

/// <summary>How a versioned record's field is kept.</summary>
public enum RecordStorage
{
    /// <summary>The row's id: the key of the table, <c>{record}_id</c> in its history.</summary>
    Key,

    /// <summary>Written from the feature's write record (a Dapper parameter named after the column) by create and update.</summary>
    Written,

    /// <summary>Stamped by the write itself (times, version), never taken from a request.</summary>
    Stamped,
}

/// <summary>
/// One column of a versioned record (a source, a package), declared once: its wire name, its column on the table and
/// its history, how it is kept, its export type and codebook text, whether it can be null, and whether the record's
/// list sorts by it. A field whose <see cref="Type"/> is null is stored but not on the wire by itself (a partial
/// date's precision and last day, deleted_at). <see cref="RecordTable"/> derives every SQL text from these.
/// </summary>
public sealed record RecordField(string Name, string Column, RecordStorage Storage)
{
    public ColumnType? Type { get; init; }

    public string Meaning { get; init; } = "";

    public string? AllowedValues { get; init; }

    /// <summary>The only values it takes (their wire names), when it is an enumeration: the exports' enum constraint.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A decimal's digits in all and after the point: Parquet's DECIMAL(precision, scale) in the exports.</summary>
    public (int Precision, int Scale)? Decimal { get; init; }

    /// <summary>A regular expression every wire value matches: <see cref="PartialDate.Pattern"/> for a partial date.</summary>
    public string? Pattern { get; init; }

    public bool Nullable { get; init; }

    /// <summary>The list sorts by this field (<c>sort=</c>); the order of the declarations is the order a problem lists them.</summary>
    public bool Sorts { get; init; }

    /// <summary>A stamp's SQL on insert (<c>@At</c>, <c>1</c>); null leaves it NULL.</summary>
    public string? OnInsert { get; init; }

    /// <summary>A stamp's SQL on update (<c>@At</c>, <c>version + 1</c>); null leaves it as it is.</summary>
    public string? OnUpdate { get; init; }

    /// <summary>The column as read over the record's alias <c>r</c>.</summary>
    public string Sql => "r." + Column;

    /// <summary>Stored as an integer (ids, minor units, versions) rather than text.</summary>
    public bool StoredAsInteger => Type is ColumnType.Integer or ColumnType.Decimal;

    /// <summary>The Dapper parameter of a written field: the write record's property, such as <c>PublishedOnPrecision</c>.</summary>
    public string Parameter => string.Concat(Column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The stamps every versioned record has, in this order, after its own fields.</summary>
    public static IReadOnlyList<RecordField> Stamps(string record) =>
    [
        new("created_at", "created_at", RecordStorage.Stamped) { Type = ColumnType.Timestamp, Sorts = true, OnInsert = "@At", Meaning = $"When the {record} was recorded (UTC, ISO 8601)." },
        new("updated_at", "updated_at", RecordStorage.Stamped) { Type = ColumnType.Timestamp, Sorts = true, OnInsert = "@At", OnUpdate = "@At", Meaning = $"When the {record} last changed (UTC, ISO 8601)." },
        new("deleted_at", "deleted_at", RecordStorage.Stamped) { Nullable = true },
        new("version", "version", RecordStorage.Stamped) { Type = ColumnType.Integer, OnInsert = "1", OnUpdate = "version + 1", Meaning = $"How many times the {record} has been written; its ETag.", AllowedValues = ">= 1" },
        // Not exported (no Type): exports, like public reads, hold published records only. A write sets the state
        // its key gives (RecordChange.ReviewState); only a reviewer's decision sets the comment.
        new("review_state", "review_state", RecordStorage.Stamped) { OnInsert = "@ReviewState", OnUpdate = "@ReviewState" },
        new("review_comment", "review_comment", RecordStorage.Stamped) { Nullable = true },
    ];
}

/// <summary>
/// A table of versioned records and its history table (migration 0012's sources and packages): the fields, and every
/// SQL text derived from them, built once. Every write appends the whole row, as it stands after the write, to the
/// history, with who (the key's name), when and in which request; a delete is a tombstone.
/// </summary>
public sealed class RecordTable
{
    public RecordTable(string table, string historyTable, string historyKey, IReadOnlyList<RecordField> fields)
    {
        Table = table;
        HistoryTable = historyTable;
        Fields = fields;
        Wire = [.. fields.Where(f => f.Type is not null)];
        Written = [.. fields.Where(f => f.Storage == RecordStorage.Written)];
        Versioned = [.. fields.Where(f => f.Storage != RecordStorage.Key).Select(f => f.Column)];
        Stored = ["id", .. Versioned];
        HistoryStamp = [historyKey, "operation", "changed_at", "changed_by", "request_id"];
        Sorts = [.. fields.Where(f => f.Sorts)];

        var columns = string.Join(", ", Versioned.Select(c => "r." + c));
        var inserted = Written.Concat(fields.Where(f => f.OnInsert is not null)).ToList();
        Columns = $"r.id, {columns}, {DataVersion}";
        Select = $"SELECT {Columns} FROM {table} r";
        Insert = $"INSERT INTO {table} ({string.Join(", ", inserted.Select(f => f.Column))}) " +
            $"VALUES ({string.Join(", ", inserted.Select(f => f.OnInsert ?? "@" + f.Parameter))}) RETURNING id";
        var stamps = fields.Where(f => f.OnUpdate is not null).Select(f => $"{f.Column} = {f.OnUpdate}");
        Update = $"UPDATE {table} SET {string.Join(", ", Written.Select(f => $"{f.Column} = @{f.Parameter}").Concat(stamps))} WHERE id = @Id";
        Tombstone = $"UPDATE {table} SET deleted_at = @At, updated_at = @At, version = version + 1 WHERE id = @Id";
        AppendHistory = $"INSERT INTO {historyTable} ({string.Join(", ", HistoryStamp.Concat(Versioned))}) " +
            $"SELECT id, @Operation, @At, @ChangedBy, @RequestId, {string.Join(", ", Versioned)} FROM {table} WHERE id = @Id";
        SelectState = $"SELECT version, deleted_at FROM {table} WHERE id = @Id";
        SelectHistory = $"""
            SELECT r.operation, r.changed_at, r.changed_by, r.request_id, r.{historyKey} AS id, {columns}
            FROM {historyTable} r WHERE r.{historyKey} = @Id ORDER BY r.version
            """;
    }

    /// <summary>The data version (migration 0010): part of a record's ETag, so that what its JSON will carry of others (the records it supports, its line items) moves it too.</summary>
    public const string DataVersion = "(SELECT version FROM data_version) AS data_version";

    public string Table { get; }

    public string HistoryTable { get; }

    /// <summary>Every field, in wire order, the stored-only ones where they belong.</summary>
    public IReadOnlyList<RecordField> Fields { get; }

    /// <summary>The fields on the wire (JSON, codebook), in order.</summary>
    public IReadOnlyList<RecordField> Wire { get; }

    /// <summary>The fields a create or update writes from the feature's write record.</summary>
    public IReadOnlyList<RecordField> Written { get; }

    /// <summary>The columns of a row apart from its id, as the table and its history both hold them.</summary>
    public IReadOnlyList<string> Versioned { get; }

    /// <summary>The columns of the table, id first: what the copy verb copies.</summary>
    public IReadOnlyList<string> Stored { get; }

    /// <summary>The columns of a history row before its versioned columns.</summary>
    public IReadOnlyList<string> HistoryStamp { get; }

    /// <summary>The columns of the history table, id first: what the copy verb copies.</summary>
    public IReadOnlyList<string> HistoryColumns => ["id", .. HistoryStamp, .. Versioned];

    /// <summary>The fields the list sorts by, in the order a problem names them.</summary>
    public IReadOnlyList<RecordField> Sorts { get; }

    /// <summary>Every column of <c>r</c> and the data version, as a select list.</summary>
    public string Columns { get; }

    /// <summary>Every column of <c>r</c> and the data version; the caller adds WHERE.</summary>
    public string Select { get; }

    internal string Insert { get; }
    internal string Update { get; }
    internal string Tombstone { get; }
    internal string AppendHistory { get; }
    internal string SelectState { get; }
    internal string SelectHistory { get; }
}

/// <summary>A row of a versioned record as Dapper reads it: its id and the stamps every such record has (<see cref="RecordField.Stamps"/>).</summary>
public abstract class VersionedRow
{
    public long Id { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public string? DeletedAt { get; set; }
    public long Version { get; set; }
    public string ReviewState { get; set; } = ReviewStates.Published;
    public string? ReviewComment { get; set; }

    /// <summary>The data version when the row was read (not in history rows): the ETag's second part, after the row version.</summary>
    public long DataVersion { get; set; }
}

/// <summary>
/// Who made a change and in which request, and the clock that stamps it (taken inside the write), and the review state
/// the record is left in: published when the key publishes (an admin's, a trusted editor's, a verb run by the
/// operator), else a draft; a reviewer's decision sets its own.
/// </summary>
public sealed record RecordChange(string ChangedBy, string? RequestId, TimeProvider Clock, bool Publishes = true)
{
    public string ReviewState { get; init; } = Publishes ? ReviewStates.Published : ReviewStates.Draft;
}

/// <summary>How a write ended: <see cref="Referenced"/>, a live row (or, for a change that makes a draft, a published one) refers to the record.</summary>
public enum RecordWriteStatus { Done, NotFound, Gone, Stale, Referenced }

/// <summary>The result of an update or delete; <see cref="CurrentVersion"/> is set when the row exists, <see cref="Reference"/> when a live row refers to it.</summary>
public sealed record RecordWriteOutcome<TRow>(RecordWriteStatus Status, TRow? Row = default, long? CurrentVersion = null, long DataVersion = 0, RecordReference? Reference = null);

/// <summary>
/// Live rows elsewhere that refer to a record, which a delete must not orphan: what they are (for the problem) and
/// the SQL that is true when one refers to the record <c>@Id</c>.
/// </summary>
public sealed record RecordReference(string What, string ExistsSql);

/// <summary>One history row: who changed the record, when, how, and the record as it stood after.</summary>
public sealed class RecordHistoryRow<TRow> where TRow : class, new()
{
    public string Operation { get; set; } = "";
    public string ChangedAt { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public string? RequestId { get; set; }
    public TRow Record { get; set; } = new();
}

/// <summary>
/// A page of a list: the filter's WHERE over <c>r</c> (live rows only is the caller's to say), its parameters, the
/// order, the keyset condition that starts after the previous page (null on the first), and the SQL of the sort keys
/// whose values the cursor keeps.
/// </summary>
public sealed record RecordPageQuery(
    string Where, IReadOnlyDictionary<string, object?> Parameters, string OrderBy, IReadOnlyList<string> KeySql,
    (string Sql, IReadOnlyDictionary<string, object?> Parameters)? After, int Limit);

/// <summary>Rows of a page, and the sort position of the last one when more follow (null on the last page).</summary>
public sealed record RecordPage<TRow>(IReadOnlyList<TRow> Items, IReadOnlyList<object?>? NextAfter);

/// <summary>The SQL of one versioned record type (<see cref="RecordTable"/>): reads, writes, history, both engines.</summary>
public sealed class RecordRepository<TRow>(Database connections, RecordTable table) where TRow : VersionedRow, new()
{
    public RecordTable Table => table;

    /// <summary>One record, tombstoned or not; null when the id was never used.</summary>
    public async Task<TRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    /// <summary>A page of rows in the query's order, and the sort position of the last one when more rows follow.</summary>
    public async Task<RecordPage<TRow>> ListAsync(RecordPageQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT ").Append(table.Columns);
        foreach (var (key, i) in query.KeySql.Select((key, i) => (key, i))) sql.Append(", ").Append(key).Append(" AS sort_key_").Append(i);
        sql.Append(" FROM ").Append(table.Table).Append(" r ").Append(query.Where);
        var parameters = new DynamicParameters(query.Parameters);
        if (query.After is { } after)
        {
            sql.Append(" AND ").Append(after.Sql);
            parameters.AddDynamicParams(after.Parameters);
        }
        sql.Append(" ORDER BY ").Append(query.OrderBy).Append(" LIMIT @take");
        parameters.Add("take", query.Limit + 1);

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken));
        var parse = reader.GetRowParser<TRow>();
        var keysFrom = reader.FieldCount - query.KeySql.Count;
        var items = new List<TRow>(query.Limit);
        object?[]? last = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == query.Limit) return new RecordPage<TRow>(items, last);
            items.Add(parse(reader));
            if (items.Count == query.Limit)
            {
                last = new object?[query.KeySql.Count];
                for (var i = 0; i < last.Length; i++) last[i] = reader.IsDBNull(keysFrom + i) ? null : reader.GetValue(keysFrom + i);
            }
        }
        return new RecordPage<TRow>(items, null);
    }

    /// <summary>
    /// Records a new row from <paramref name="write"/> (its properties are the written fields' parameters), and its
    /// first history row; <paramref name="alsoRecord"/>, when given, writes more in the same transaction (such as the
    /// stored answer to an Idempotency-Key).
    /// </summary>
    public async Task<TRow> CreateAsync(object write, RecordChange change, CancellationToken cancellationToken, Func<WriteScope, TRow, Task>? alsoRecord = null)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var at = await scope.ChangedAtAsync(change.Clock, cancellationToken);
        var id = await scope.Connection.QuerySingleAsync<long>(new CommandDefinition(
            table.Insert, Parameters(write, at, change), scope.Transaction, cancellationToken: cancellationToken));
        await AppendHistoryAsync(scope, id, "create", change, at, cancellationToken);
        var row = (await FindAsync(scope.Connection, scope.Transaction, id, cancellationToken))!;
        if (alsoRecord is not null) await alsoRecord(scope, row);
        await scope.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// Replaces a live row whose version is one of <paramref name="acceptedVersions"/> (any version when null), in the
    /// review state the change gives. A change that makes it a draft is refused while one of
    /// <paramref name="publishedReferences"/> finds a published record that refers to it (which would then cite what
    /// the public cannot see).
    /// </summary>
    /// <remarks><paramref name="alsoRecord"/> writes what follows from the change in the same transaction (rows derived from this one).</remarks>
    public Task<RecordWriteOutcome<TRow>> UpdateAsync(
        long id, IReadOnlySet<long>? acceptedVersions, object write, RecordChange change, IReadOnlyList<RecordReference> publishedReferences,
        CancellationToken cancellationToken, Func<WriteScope, Task>? alsoRecord = null) =>
        WriteExistingAsync(id, acceptedVersions, "update", change, change.ReviewState == ReviewStates.Published ? [] : publishedReferences, cancellationToken,
            (scope, at) => scope.Connection.ExecuteAsync(new CommandDefinition(table.Update, Parameters(write, at, change, id), scope.Transaction, cancellationToken: cancellationToken)), alsoRecord);

    /// <summary>
    /// A reviewer's decision on a draft at <paramref name="version"/>: the state it decides (in <paramref name="reviewer"/>)
    /// and the comment, as a new version in history made by the reviewer. Stale when the draft changed since.
    /// </summary>
    public Task<RecordWriteOutcome<TRow>> ReviewAsync(long id, long version, string? comment, RecordChange reviewer, CancellationToken cancellationToken) =>
        WriteExistingAsync(id, new HashSet<long> { version }, "update", reviewer, [], cancellationToken,
            (scope, at) => scope.Connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {table.Table} SET review_state = @ReviewState, review_comment = @Comment, updated_at = @At, version = version + 1 WHERE id = @Id",
                new { Id = id, reviewer.ReviewState, Comment = comment, At = at }, scope.Transaction, cancellationToken: cancellationToken)), null);

    /// <summary>Whether the key <paramref name="name"/> made any draft version of the record: four eyes, it may not publish it.</summary>
    public Task<bool> DraftedByAsync(long id, string name, CancellationToken cancellationToken) =>
        ReviewHistory.DraftedByAsync(connections, table.HistoryTable, table.HistoryStamp[0], id, name, cancellationToken);

    /// <summary>Who made version <paramref name="version"/> of the record, and when.</summary>
    public Task<(string ChangedBy, string ChangedAt)> LastChangeAsync(long id, long version, CancellationToken cancellationToken) =>
        ReviewHistory.ChangeAsync(connections, table.HistoryTable, table.HistoryStamp[0], id, version, cancellationToken);

    /// <summary>
    /// Tombstones a live row, unless one of <paramref name="references"/> finds a live row that refers to it: then
    /// nothing is written and the outcome names what refers to it.
    /// </summary>
    public Task<RecordWriteOutcome<TRow>> DeleteAsync(
        long id, IReadOnlySet<long>? acceptedVersions, RecordChange change, IReadOnlyList<RecordReference> references, CancellationToken cancellationToken,
        Func<WriteScope, Task>? alsoRecord = null) =>
        WriteExistingAsync(id, acceptedVersions, "delete", change, references, cancellationToken,
            (scope, at) => scope.Connection.ExecuteAsync(new CommandDefinition(table.Tombstone, new { Id = id, At = at }, scope.Transaction, cancellationToken: cancellationToken)), alsoRecord);

    /// <summary>Every version of a record, oldest first, the deletion included; empty when the id was never used.</summary>
    public async Task<IReadOnlyList<RecordHistoryRow<TRow>>> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordHistoryRow<TRow>, TRow, RecordHistoryRow<TRow>>(
            new CommandDefinition(table.SelectHistory, new { Id = id }, cancellationToken: cancellationToken),
            (entry, record) =>
            {
                entry.Record = record;
                return entry;
            },
            splitOn: "id");
        return rows.AsList();
    }

    private async Task<RecordWriteOutcome<TRow>> WriteExistingAsync(
        long id, IReadOnlySet<long>? acceptedVersions, string operation, RecordChange change, IReadOnlyList<RecordReference> references,
        CancellationToken cancellationToken, Func<WriteScope, string, Task<int>> write, Func<WriteScope, Task>? alsoRecord)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var current = await FindAsync(scope.Connection, scope.Transaction, id, cancellationToken);
        if (current is null) return new RecordWriteOutcome<TRow>(RecordWriteStatus.NotFound);
        if (current.DeletedAt is not null) return new RecordWriteOutcome<TRow>(RecordWriteStatus.Gone, current, current.Version, current.DataVersion);
        if (acceptedVersions is not null && !acceptedVersions.Contains(current.Version))
        {
            return new RecordWriteOutcome<TRow>(RecordWriteStatus.Stale, current, current.Version, current.DataVersion);
        }
        foreach (var reference in references)
        {
            var referred = await scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT {reference.ExistsSql}", new { Id = id }, scope.Transaction, cancellationToken: cancellationToken));
            if (referred) return new RecordWriteOutcome<TRow>(RecordWriteStatus.Referenced, current, current.Version, current.DataVersion, reference);
        }

        var at = await scope.ChangedAtAsync(change.Clock, cancellationToken);
        await write(scope, at);
        await AppendHistoryAsync(scope, id, operation, change, at, cancellationToken);
        if (alsoRecord is not null) await alsoRecord(scope);
        var row = (await FindAsync(scope.Connection, scope.Transaction, id, cancellationToken))!;
        await scope.CommitAsync(cancellationToken);
        return new RecordWriteOutcome<TRow>(RecordWriteStatus.Done, row, row.Version, row.DataVersion);
    }

    internal Task<TRow?> FindAsync(IDbConnection connection, IDbTransaction? transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(
            $"{table.Select} WHERE r.id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));

    private Task AppendHistoryAsync(WriteScope scope, long id, string operation, RecordChange change, string at, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(
            table.AppendHistory,
            new { Id = id, Operation = operation, At = at, change.ChangedBy, change.RequestId },
            scope.Transaction,
            cancellationToken: cancellationToken));

    private static DynamicParameters Parameters(object write, string at, RecordChange change, long? id = null)
    {
        var parameters = new DynamicParameters(write);
        parameters.Add("At", at);
        parameters.Add("ReviewState", change.ReviewState);
        if (id is not null) parameters.Add("Id", id);
        return parameters;
    }
}

/// <summary>What review reads of a record's history (a donation's, a source's, a package's): its table and its key column.</summary>
public static class ReviewHistory
{
    /// <summary>Whether the key <paramref name="name"/> made any draft version of the record: four eyes, it may not publish it.</summary>
    public static async Task<bool> DraftedByAsync(Database connections, string historyTable, string key, long id, string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM {historyTable} WHERE {key} = @Id AND changed_by = @Name AND review_state = '{ReviewStates.Draft}'",
            new { Id = id, Name = name }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Who made version <paramref name="version"/> of the record, and when.</summary>
    public static async Task<(string ChangedBy, string ChangedAt)> ChangeAsync(Database connections, string historyTable, string key, long id, long version, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(string, string)>(new CommandDefinition(
            $"SELECT changed_by, changed_at FROM {historyTable} WHERE {key} = @Id AND version = @Version",
            new { Id = id, Version = version }, cancellationToken: cancellationToken));
    }
}

/// <summary>A partial date as its three columns (X, X_precision, X_end): its first day, its precision and its last day.</summary>
public readonly record struct StoredPartialDate(string Start, string Precision, string End)
{
    public static StoredPartialDate From(PartialDate date) =>
        new(Timestamps.Format(date.Start), WireEnum<DatePrecision>.Name(date.Precision), Timestamps.Format(date.End));

    /// <summary>The wire form of a stored date (<c>2022</c>, <c>2022-03</c>, <c>2022-03-06</c>); null stays null.</summary>
    public static string? Wire(string? start, string? precision) =>
        start is null || precision is null ? null : PartialDate.FromStorage(start, precision).ToString();
}

/// <summary>The position a list's cursor keeps, read back against the keys of its sort.</summary>
public static class RecordPositions
{
    /// <summary>
    /// The values of a cursor's position for sort keys that are integers or not, and can be null or not; null when
    /// the values do not fit the keys (a cursor of another list).
    /// </summary>
    public static IReadOnlyList<object?>? PositionOf(IReadOnlyList<JsonElement> values, IReadOnlyList<(bool Nullable, bool IsInteger)> keys)
    {
        if (values.Count != keys.Count) return null;
        var position = new List<object?>(keys.Count);
        foreach (var ((nullable, isInteger), element) in keys.Zip(values))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Null when nullable: position.Add(null); break;
                case JsonValueKind.Number when isInteger && element.TryGetInt64(out var number): position.Add(number); break;
                case JsonValueKind.String when !isInteger: position.Add(element.GetString()); break;
                default: return null;
            }
        }
        return position;
    }
}
