using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Sources;

/// <summary>
/// A source's fields, declared once, in wire order (migration 0012's sources and source_history): the SQL of reads,
/// writes and history, the sort keys and the copy verb's columns come from here. A partial date is three columns: its
/// first day (on the wire as the date in its precision), its precision and its last day.
/// </summary>
public static class SourceFields
{
    public static readonly RecordTable Table = new("sources", "source_history", "source_id",
    [
        new("id", "id", RecordStorage.Key) { Type = ColumnType.Integer, Sorts = true,
            Meaning = "The source's identifier in AidTracker; stable, never reused." },
        new("kind", "kind", RecordStorage.Written) { Type = ColumnType.Text, Sorts = true,
            Meaning = "What the source is.", AllowedValues = string.Join(", ", WireEnum<SourceKind>.Names), Enum = WireEnum<SourceKind>.Names },
        new("publisher", "publisher", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true, Sorts = true,
            Meaning = "Who published it (a ministry, a newspaper); empty when the source does not say." },
        new("title", "title", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true, Sorts = true,
            Meaning = "Its title; empty when it has none." },
        new("url", "url", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "Its address; empty when it has none.", AllowedValues = "absolute http(s) URL" },
        new("archived_url", "archived_url", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "An archived copy's address (such as the Wayback Machine's); empty when there is none.", AllowedValues = "absolute http(s) URL" },
        new("published_on", "published_on", RecordStorage.Written) { Type = ColumnType.Date, Sorts = true,
            Meaning = "When it was published, as precisely as known: yyyy, yyyy-MM or yyyy-MM-dd.", AllowedValues = "partial date", Pattern = PartialDate.Pattern },
        new("published_on_precision", "published_on_precision", RecordStorage.Written),
        new("published_on_end", "published_on_end", RecordStorage.Written),
        new("accessed_on", "accessed_on", RecordStorage.Written) { Type = ColumnType.Date, Nullable = true,
            Meaning = "When it was read (ISO 8601 date); empty when not recorded.", AllowedValues = "ISO 8601 date, not in the future" },
        new("language", "language", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "Its language, as a BCP 47 tag (en, uk, de-CH); empty when not recorded.", AllowedValues = "BCP 47 tag" },
        new("reliability", "reliability", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true, Sorts = true,
            Meaning = "The Admiralty grade of the source's reliability, A (completely reliable) to F (cannot be judged); empty when not graded.", AllowedValues = "A, B, C, D, E, F", Enum = ["A", "B", "C", "D", "E", "F"] },
        new("citation", "citation", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "How to cite it, where a title or address does not suffice." },
        new("notes", "notes", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "Free text." },
        .. RecordField.Stamps("source"),
    ]);

    /// <summary>The fields that <c>q</c> searches, folded for case and accents.</summary>
    public static readonly IReadOnlyList<string> Searched = ["title", "publisher", "citation", "notes"];
}
