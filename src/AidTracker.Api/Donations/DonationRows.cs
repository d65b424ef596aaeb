using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

/// <summary>A donation as Dapper reads it: storage types only (text dates, minor units, 0/1 flags).</summary>
public sealed class DonationRow
{
    public long Id { get; set; }
    public string Donor { get; set; } = "";
    public string DonorName { get; set; } = "";
    public string Recipient { get; set; } = "";
    public string RecipientName { get; set; } = "";
    public string WeaponSystem { get; set; } = "";
    public string WeaponSystemName { get; set; } = "";
    public string Category { get; set; } = "";
    public long? Quantity { get; set; }
    public string QuantityQualifier { get; set; } = "";
    public string Status { get; set; } = "";
    public string AnnouncedOn { get; set; } = "";
    public string? DeliveredOn { get; set; }
    public long? ValueAmountMinor { get; set; }
    public string? ValueCurrency { get; set; }
    public long? ValueEurCents { get; set; }
    public long ValueIsEstimate { get; set; }
    public string Funding { get; set; } = "";
    public string Source { get; set; } = "";
    public string? SourceUrl { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public string? DeletedAt { get; set; }
    public long Version { get; set; }

    /// <summary>The reference version when the row was read (not in history rows).</summary>
    public long ReferenceVersion { get; set; }

    public string ETag => ETags.ForRow(Version, ReferenceVersion);

    public DonationResponse ToResponse() => new(
        Id,
        Donor,
        DonorName,
        Recipient,
        RecipientName,
        WeaponSystem,
        WeaponSystemName,
        Category,
        Quantity,
        WireEnum<QuantityQualifier>.Parse(QuantityQualifier),
        WireEnum<DonationStatus>.Parse(Status),
        Timestamps.ParseDate(AnnouncedOn),
        DeliveredOn is null ? null : Timestamps.ParseDate(DeliveredOn),
        ValueAmountMinor is { } minor && ValueCurrency is { } currency ? Money.FromMinor(minor, Currencies.MinorUnits(currency)) : null,
        ValueCurrency,
        ValueEurCents is { } cents ? Money.FromMinor(cents, 2) : null,
        ValueIsEstimate == 1,
        WireEnum<Funding>.Parse(Funding),
        Source,
        SourceUrl,
        Notes,
        Timestamps.Parse(CreatedAt),
        Timestamps.Parse(UpdatedAt),
        Version);
}

/// <summary>A history row: the donation columns plus who changed it, when, and how.</summary>
public sealed class DonationHistoryRow
{
    public string Operation { get; set; } = "";
    public string ChangedAt { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public string? RequestId { get; set; }
    public long? ImportId { get; set; }
    public DonationRow Record { get; set; } = new();

    public DonationHistoryEntry ToEntry() => new(
        Record.Version, WireEnum<ChangeOperation>.Parse(Operation), Timestamps.Parse(ChangedAt), ChangedBy, RequestId, ImportId, Record.ToResponse());
}

/// <summary>The values a create or update writes, in storage form. Built only from a validated request.</summary>
public sealed record DonationWrite(
    string Donor,
    string Recipient,
    string WeaponSystem,
    long? Quantity,
    string QuantityQualifier,
    string Status,
    string AnnouncedOn,
    string? DeliveredOn,
    long? ValueAmountMinor,
    string? ValueCurrency,
    long? ValueEurCents,
    long ValueIsEstimate,
    string Funding,
    string Source,
    string? SourceUrl,
    string? Notes)
{
    /// <summary>Maps a request that <see cref="DonationRequestValidator"/> has accepted.</summary>
    public static DonationWrite From(DonationRequest request)
    {
        var qualifier = request.QuantityQualifier
            ?? (request.Quantity is null ? Donations.QuantityQualifier.Undisclosed : Donations.QuantityQualifier.Exact);
        var currency = request.ValueCurrency is { } code ? Currencies.Normalize(code) : null;
        return new DonationWrite(
            CountryCodes.Normalize(request.Donor!),
            CountryCodes.Normalize(request.Recipient!),
            WeaponSystemIds.Normalize(request.WeaponSystem!),
            request.Quantity,
            WireEnum<QuantityQualifier>.Name(qualifier),
            WireEnum<DonationStatus>.Name(request.Status!.Value),
            Timestamps.Format(request.AnnouncedOn!.Value),
            request.DeliveredOn is { } delivered ? Timestamps.Format(delivered) : null,
            request.ValueAmount is { } amount && currency is not null ? Money.ToMinor(amount, Currencies.MinorUnits(currency)) : null,
            currency,
            request.ValueEur is { } eur ? Money.ToMinor(eur, 2) : null,
            request.ValueIsEstimate == true ? 1 : 0,
            WireEnum<Funding>.Name(request.Funding ?? Donations.Funding.Unspecified),
            request.Source!,
            request.SourceUrl,
            request.Notes);
    }
}
