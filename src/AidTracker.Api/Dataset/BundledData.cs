using System.Globalization;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Dapper;

namespace AidTracker.Api.Dataset;

public sealed record LoadedCounts(int Countries, int WeaponSystems, int Donations);

/// <summary>
/// The data that ships with the service (Dataset/Seed): ISO 3166-1 countries plus EU and NATO, the weapon catalogue,
/// and the records of the seed document. Loaded in one transaction, and only into a database with no countries,
/// so that a restart never loads it twice.
/// </summary>
public static class BundledData
{
    public const string SeedAuthor = "bundled-seed";

    /// <param name="includeRecords">False for a synthetic dataset: reference data only, none of the seed document's records.</param>
    public static async Task<LoadedCounts?> LoadIfEmptyAsync(
        Database connections, TimeProvider clock, CancellationToken cancellationToken, bool includeRecords = true)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var hasCountries = await write.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM countries)", transaction: write.Transaction, cancellationToken: cancellationToken));
        if (hasCountries) return null;

        var countries = Read("countries.csv").Select(row => new CountryRow
        {
            Code = row["code"],
            Name = row["name"],
            Kind = row["kind"],
            Iso2 = NullIfEmpty(row["iso2"]),
            EuMember = long.Parse(row["eu_member"], CultureInfo.InvariantCulture),
            NatoMember = long.Parse(row["nato_member"], CultureInfo.InvariantCulture),
            EuSince = NullIfEmpty(row["eu_since"]),
            EuUntil = NullIfEmpty(row["eu_until"]),
            NatoSince = NullIfEmpty(row["nato_since"]),
            Aliases = AliasList(row["aliases"]),
        }).ToList();
        var weaponSystems = Read("weapon_systems.csv").Select(row => new WeaponSystemRow
        {
            Id = row["id"],
            Name = row["name"],
            Category = row["category"],
            SipriCategory = NullIfEmpty(row["sipri_category"]),
            UnrocaCategory = NullIfEmpty(row["unroca_category"]),
            Description = NullIfEmpty(row["description"]),
            Aliases = AliasList(row["aliases"]),
        }).ToList();
        var donations = includeRecords ? Read("donations.csv").Select(ToWrite).ToList() : [];

        await write.Connection.ExecuteAsync(new CommandDefinition(CountryRepository.Insert, countries, write.Transaction, cancellationToken: cancellationToken));
        await write.Connection.ExecuteAsync(new CommandDefinition(WeaponSystemRepository.Insert, weaponSystems, write.Transaction, cancellationToken: cancellationToken));
        var at = await write.ChangedAtAsync(clock, cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"{CountryRepository.CopyToHistory}; {WeaponSystemRepository.CopyToHistory}", new { At = at }, write.Transaction, cancellationToken: cancellationToken));
        var change = new ChangeContext(SeedAuthor, null, clock);
        foreach (var donation in donations)
        {
            await DonationRepository.InsertAsync(write, donation, change, cancellationToken);
        }
        await write.CommitAsync(cancellationToken);
        return new LoadedCounts(countries.Count, weaponSystems.Count, donations.Count);
    }

    /// <summary>The bundled catalogue's ids and categories, in id order.</summary>
    public static IReadOnlyList<(string Id, string Category)> WeaponSystemCategories() =>
        Read("weapon_systems.csv").Select(row => (row["id"], row["category"])).OrderBy(w => w.Item1, StringComparer.Ordinal).ToList();

    /// <summary>A seed row in the export's columns; the schema's constraints check it as it is inserted.</summary>
    private static DonationWrite ToWrite(IReadOnlyDictionary<string, string> row) => new(
        row["donor"],
        row["recipient"],
        row["weapon_system"],
        NullIfEmpty(row["quantity"]) is { } quantity ? long.Parse(quantity, CultureInfo.InvariantCulture) : null,
        row["quantity_qualifier"],
        row["status"],
        row["announced_on"],
        NullIfEmpty(row["delivered_on"]),
        NullIfEmpty(row["value_amount"]) is { } amount ? Money.ToMinor(decimal.Parse(amount, CultureInfo.InvariantCulture), Currencies.MinorUnits(row["value_currency"])) : null,
        NullIfEmpty(row["value_currency"]),
        NullIfEmpty(row["value_eur"]) is { } eur ? Money.ToMinor(decimal.Parse(eur, CultureInfo.InvariantCulture), 2) : null,
        long.Parse(row["value_is_estimate"], CultureInfo.InvariantCulture),
        row["funding"],
        row["source"],
        NullIfEmpty(row["source_url"]),
        NullIfEmpty(row["notes"]));

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string file)
    {
        using var reader = new StreamReader(EmbeddedResources.Open($"Dataset/Seed/{file}"));
        return CsvReader.ReadAll(reader);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A CSV cell of aliases, separated by '|' (no alias holds one), as the aliases column stores them.</summary>
    private static string AliasList(string cell) => Aliases.ToJson(cell.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
