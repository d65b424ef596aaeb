using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Exports;

/// <summary>
/// The exported tables, in the data package's order: each is one <see cref="ExportTable"/> declaration, and its routes,
/// codebook and data package resource follow from being listed here. A table's declaration is built from its feature's
/// field list (as <see cref="Donations"/> from <see cref="DonationFields.Wire"/>), so that a field is declared once.
/// </summary>
public static class ExportTables
{
    /// <summary>The donation fields that are enumerations, with their wire names (declared before <see cref="Donations"/>, which reads it).</summary>
    private static readonly Dictionary<string, IReadOnlyList<string>> DonationEnums = new()
    {
        ["category"] = WeaponCategories.All,
        ["quantity_qualifier"] = WireEnum<QuantityQualifier>.Names,
        ["status"] = WireEnum<DonationStatus>.Names,
        ["value_basis"] = WireEnum<ValueBasis>.Names,
        ["value_eur_method"] = WireEnum<ValueEurMethod>.Names,
    };

    /// <summary>The donations: <see cref="DonationFields.Wire"/>, as GET /api/v1/donations lists them, in id order.</summary>
    public static readonly ExportTable Donations = new()
    {
        Name = "donations",
        Row = "donation",
        Description = "Every donation the filters select, one row each, in id order: the fields of GET /api/v1/donations.",
        Columns = [.. DonationFields.Wire.Select(field => new ExportColumn(field.Name, field.Type!.Value, field.Wire, field.Meaning, field.AllowedValues, field.Unit)
        {
            Nullable = field.Nullable,
            Enum = DonationEnums.GetValueOrDefault(field.Name),
            // value_amount with four decimals, the most any currency has (ISO 4217); value_eur in cents.
            Decimal = field.Type == ColumnType.Decimal ? field.Name == "value_eur" ? (20, 2) : (22, 4) : null,
        })],
        PrimaryKey = ["id"],
        From = (dialect, donations) => $"FROM donations d {DonationRepository.Joins(dialect)} {donations}",
        OrderBy = "d.id",
        JsonObject = DonationJson.Object,
    };

    /// <summary>Every exported table. Adding a table is adding its declaration here.</summary>
    public static readonly IReadOnlyList<ExportTable> All = [Donations];
}
