using AidTracker.Api.Countries;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Extraction;

/// <summary>The gazetteer of the reference data as it stands: every country and weapon system, with its aliases.</summary>
public sealed class ReferenceNames(CountryRepository countries, WeaponSystemRepository weaponSystems)
{
    public async Task<Gazetteer> GazetteerAsync(CancellationToken cancellationToken) => new(
        (await countries.ListAsync(null, cancellationToken)).Select(c => (c.Code, c.Name, Common.Aliases.FromJson(c.Aliases))),
        (await weaponSystems.ListAsync([], null, cancellationToken)).Select(w => (w.Id, w.Name, w.Category, Common.Aliases.FromJson(w.Aliases))));
}
