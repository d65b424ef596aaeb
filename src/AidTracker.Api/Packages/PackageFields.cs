using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Packages;

/// <summary>
/// A package's fields, declared once, in wire order (migration 0012's packages and package_history): the SQL of reads,
/// writes and history, the sort keys and the copy verb's columns come from here.
/// </summary>
public static class PackageFields
{
    public static readonly RecordTable Table = new("packages", "package_history", "package_id",
    [
        new("id", "id", RecordStorage.Key) { Type = ColumnType.Integer, Sorts = true,
            Meaning = "The package's identifier in AidTracker; stable, never reused." },
        new("donor", "donor", RecordStorage.Written) { Type = ColumnType.Text, Sorts = true,
            Meaning = "Who gives: an ISO 3166-1 alpha-3 country code, or EU or NATO.", AllowedValues = "ISO 3166-1 alpha-3, EU, NATO" },
        new("title", "title", RecordStorage.Written) { Type = ColumnType.Text, Sorts = true,
            Meaning = "The package's name as announced, such as a drawdown's number or a measure's title." },
        new("instrument", "instrument", RecordStorage.Written) { Type = ColumnType.Text, Sorts = true,
            Meaning = "How the package is given.", AllowedValues = string.Join(", ", WireEnum<PackageInstrument>.Names), Enum = WireEnum<PackageInstrument>.Names },
        new("announced_on", "announced_on", RecordStorage.Written) { Type = ColumnType.Date, Nullable = true, Sorts = true,
            Meaning = "When it was announced, as precisely as known: yyyy, yyyy-MM or yyyy-MM-dd; empty when unknown.", AllowedValues = "partial date", Pattern = PartialDate.Pattern },
        new("announced_on_precision", "announced_on_precision", RecordStorage.Written) { Nullable = true },
        new("announced_on_end", "announced_on_end", RecordStorage.Written) { Nullable = true },
        new("value_amount", "value_amount_minor", RecordStorage.Written) { Type = ColumnType.Decimal, Nullable = true,
            Meaning = "The reported value, in value_currency, with that currency's decimals; empty when not reported.", AllowedValues = "> 0",
            Decimal = (22, 4) },
        new("value_currency", "value_currency", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "The currency of value_amount (ISO 4217); empty exactly when value_amount is.", AllowedValues = "ISO 4217 code" },
        new("notes", "notes", RecordStorage.Written) { Type = ColumnType.Text, Nullable = true,
            Meaning = "Free text." },
        .. RecordField.Stamps("package"),
    ]);

    /// <summary>The fields that <c>q</c> searches, folded for case and accents.</summary>
    public static readonly IReadOnlyList<string> Searched = ["title", "notes"];
}
