using System.Globalization;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Dapper;

namespace AidTracker.Api.Dataset;

public sealed record SyncedCounts(int CountriesAdded, int CountriesFilled, int WeaponSystemsAdded, int WeaponSystemsFilled)
{
    public bool Any => CountriesAdded + CountriesFilled + WeaponSystemsAdded + WeaponSystemsFilled > 0;
}

/// <summary>
/// Brings a database that already holds reference data up to the bundled reference data (Dataset/Seed), at every
/// start: <see cref="BundledData.LoadIfEmptyAsync"/> loads only into an empty database, so one made before the bundle
/// grew (membership dates, aliases, new catalogue entries) would never get them. Adds the countries and catalogue
/// entries the bundle has and the database lacks (a country whose alpha-2 code is taken is left out), and fills a
/// membership date or the aliases only where the stored value is empty (a null date, <c>[]</c>): what an admin wrote
/// stays. Each change is recorded in country_history or weapon_system_history, as an admin's write is. Idempotent: a
/// second run changes nothing.
/// </summary>
public static class ReferenceDataSync
{
    public static async Task<SyncedCounts> SyncAsync(Database connections, TimeProvider clock, CancellationToken cancellationToken)
    {
        var bundledCountries = BundledCountries();
        var bundledWeapons = BundledWeaponSystems();

        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var storedCountries = (await write.Connection.QueryAsync<CountryRow>(new CommandDefinition(
            $"SELECT code, {CountryRepository.Attributes} FROM countries", transaction: write.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Code, StringComparer.Ordinal);
        var storedWeapons = (await write.Connection.QueryAsync<WeaponSystemRow>(new CommandDefinition(
            $"SELECT id, {WeaponSystemRepository.Attributes} FROM weapon_systems", transaction: write.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(w => w.Id, StringComparer.Ordinal);
        var takenIso2 = storedCountries.Values.Select(c => c.Iso2).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var addedCountries = bundledCountries.Where(c => !storedCountries.ContainsKey(c.Code) && (c.Iso2 is null || !takenIso2.Contains(c.Iso2))).ToList();
        var filledCountries = bundledCountries.Select(c => storedCountries.GetValueOrDefault(c.Code) is { } stored ? Filled(stored, c) : null).OfType<CountryRow>().ToList();
        var addedWeapons = bundledWeapons.Where(w => !storedWeapons.ContainsKey(w.Id)).ToList();
        var filledWeapons = bundledWeapons.Select(w => storedWeapons.GetValueOrDefault(w.Id) is { } stored ? Filled(stored, w) : null).OfType<WeaponSystemRow>().ToList();

        var counts = new SyncedCounts(addedCountries.Count, filledCountries.Count, addedWeapons.Count, filledWeapons.Count);
        if (!counts.Any) return counts;

        var at = await write.ChangedAtAsync(clock, cancellationToken);
        async Task RunAsync(string sql, IEnumerable<object> rows)
        {
            foreach (var row in rows)
            {
                var parameters = new DynamicParameters(row);
                parameters.Add("At", at);
                await write.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, write.Transaction, cancellationToken: cancellationToken));
            }
        }
        await RunAsync($"{CountryRepository.Insert}; {CountryRepository.RecordHistory}", addedCountries);
        await RunAsync(
            $"UPDATE countries SET eu_since = @EuSince, eu_until = @EuUntil, nato_since = @NatoSince, aliases = @Aliases WHERE code = @Code; {CountryRepository.RecordHistory}",
            filledCountries);
        await RunAsync($"{WeaponSystemRepository.Insert}; {WeaponSystemRepository.RecordHistory}", addedWeapons);
        await RunAsync($"UPDATE weapon_systems SET aliases = @Aliases WHERE id = @Id; {WeaponSystemRepository.RecordHistory}", filledWeapons);
        await write.CommitAsync(cancellationToken);
        return counts;
    }

    /// <summary>The stored country with its empty membership dates and aliases filled from the bundle; null when nothing is filled.</summary>
    private static CountryRow? Filled(CountryRow stored, CountryRow bundled)
    {
        var euSince = stored.EuSince ?? bundled.EuSince;
        // An end only after a start, and not before it (the schema's check): an admin's own start keeps its own end.
        var euUntil = stored.EuUntil ?? (stored.EuSince is null && euSince is not null ? bundled.EuUntil : null);
        var natoSince = stored.NatoSince ?? bundled.NatoSince;
        var aliases = IsEmpty(stored.Aliases) ? bundled.Aliases : stored.Aliases;
        if (euSince == stored.EuSince && euUntil == stored.EuUntil && natoSince == stored.NatoSince && aliases == stored.Aliases) return null;
        stored.EuSince = euSince;
        stored.EuUntil = euUntil;
        stored.NatoSince = natoSince;
        stored.Aliases = aliases;
        return stored;
    }

    private static WeaponSystemRow? Filled(WeaponSystemRow stored, WeaponSystemRow bundled)
    {
        if (!IsEmpty(stored.Aliases) || IsEmpty(bundled.Aliases)) return null;
        stored.Aliases = bundled.Aliases;
        return stored;
    }

    private static bool IsEmpty(string aliases) => Aliases.FromJson(aliases).Count == 0;

    /// <summary>The bundled countries (Dataset/Seed/countries.csv) as rows of the countries table.</summary>
    public static List<CountryRow> BundledCountries() => Read("countries.csv").Select(ToCountry).ToList();

    /// <summary>The bundled catalogue (Dataset/Seed/weapon_systems.csv) as rows of the weapon_systems table.</summary>
    public static List<WeaponSystemRow> BundledWeaponSystems() => Read("weapon_systems.csv").Select(ToWeaponSystem).ToList();

    private static CountryRow ToCountry(IReadOnlyDictionary<string, string> row) => new()
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
    };

    private static WeaponSystemRow ToWeaponSystem(IReadOnlyDictionary<string, string> row) => new()
    {
        Id = row["id"],
        Name = row["name"],
        Category = row["category"],
        SipriCategory = NullIfEmpty(row["sipri_category"]),
        UnrocaCategory = NullIfEmpty(row["unroca_category"]),
        Description = NullIfEmpty(row["description"]),
        Aliases = AliasList(row["aliases"]),
    };

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string file)
    {
        using var reader = new StreamReader(EmbeddedResources.Open($"Dataset/Seed/{file}"));
        return CsvReader.ReadAll(reader);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string AliasList(string cell) => Aliases.ToJson(cell.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
