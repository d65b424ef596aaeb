using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Packages;

/// <summary>A package as Dapper reads it: storage types only (text dates, minor units, the partial date as three columns).</summary>
public sealed class PackageRow : VersionedRow
{
    public string Donor { get; set; } = "";
    public string Title { get; set; } = "";
    public string Instrument { get; set; } = "";
    public string? AnnouncedOn { get; set; }
    public string? AnnouncedOnPrecision { get; set; }
    public string? AnnouncedOnEnd { get; set; }
    public long? ValueAmountMinor { get; set; }
    public string? ValueCurrency { get; set; }
    public string? Notes { get; set; }

    public PackageResponse ToResponse() => new(
        Id,
        Donor,
        Title,
        WireEnum<PackageInstrument>.Parse(Instrument),
        StoredPartialDate.Wire(AnnouncedOn, AnnouncedOnPrecision),
        ValueAmountMinor is { } minor && ValueCurrency is { } currency ? Money.FromMinor(minor, Currencies.MinorUnits(currency)) : null,
        ValueCurrency,
        Notes,
        Timestamps.Parse(CreatedAt),
        Timestamps.Parse(UpdatedAt),
        Version);
}

/// <summary>The values a create or update writes, in storage form, named as <see cref="PackageFields"/>' parameters. Built only from a validated request.</summary>
public sealed record PackageWrite(
    string Donor,
    string Title,
    string Instrument,
    string? AnnouncedOn,
    string? AnnouncedOnPrecision,
    string? AnnouncedOnEnd,
    long? ValueAmountMinor,
    string? ValueCurrency,
    string? Notes)
{
    /// <summary>Maps a request that <see cref="PackageRequestValidator"/> has accepted.</summary>
    public static PackageWrite From(PackageRequest request)
    {
        StoredPartialDate? announced = PartialDate.TryParse(request.AnnouncedOn, out var date) ? StoredPartialDate.From(date) : null;
        var currency = request.ValueCurrency is { } code ? Currencies.Normalize(code) : null;
        return new PackageWrite(
            CountryCodes.Normalize(request.Donor!),
            request.Title!,
            WireEnum<PackageInstrument>.Name(request.Instrument!.Value),
            announced?.Start,
            announced?.Precision,
            announced?.End,
            request.ValueAmount is { } amount && currency is not null ? Money.ToMinor(amount, Currencies.MinorUnits(currency)) : null,
            currency,
            request.Notes);
    }
}
