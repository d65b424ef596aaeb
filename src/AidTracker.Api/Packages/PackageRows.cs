using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Packages;

/// <summary>A package as Dapper reads it: storage types only (text dates, minor units, the partial date as three columns).</summary>
public sealed class PackageRow : IVersionedRow
{
    public long Id { get; set; }
    public string Donor { get; set; } = "";
    public string Title { get; set; } = "";
    public string Instrument { get; set; } = "";
    public string? AnnouncedOn { get; set; }
    public string? AnnouncedOnPrecision { get; set; }
    public string? AnnouncedOnEnd { get; set; }
    public long? ValueAmountMinor { get; set; }
    public string? ValueCurrency { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public string? DeletedAt { get; set; }
    public long Version { get; set; }

    /// <summary>The data version when the row was read (not in history rows).</summary>
    public long DataVersion { get; set; }

    /// <summary>The row version, then the data version: If-Match reads only the first.</summary>
    public string ETag => ETags.ForRow(Version, DataVersion);

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
