using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

/// <summary>A donation as Dapper reads it: storage types only (text dates, minor units), and its children once loaded.</summary>
public sealed class DonationRow
{
    public long Id { get; set; }
    public string Donor { get; set; } = "";
    public string DonorName { get; set; } = "";
    public string Recipient { get; set; } = "";
    public string RecipientName { get; set; } = "";
    public string? Funder { get; set; }
    public string WeaponSystem { get; set; } = "";
    public string WeaponSystemName { get; set; } = "";
    public string Category { get; set; } = "";
    public long? PackageId { get; set; }
    public long? Quantity { get; set; }
    public string QuantityQualifier { get; set; } = "";
    public string Status { get; set; } = "";
    public string? AnnouncedOn { get; set; }
    public string? AnnouncedOnPrecision { get; set; }
    public string? AnnouncedOnEnd { get; set; }
    public string? CommittedOn { get; set; }
    public string? CommittedOnPrecision { get; set; }
    public string? CommittedOnEnd { get; set; }
    public string? FirstReportedOn { get; set; }
    public string? FirstReportedOnPrecision { get; set; }
    public string? FirstReportedOnEnd { get; set; }
    public long? ValueAmountMinor { get; set; }
    public string? ValueCurrency { get; set; }
    public string? ValueBasis { get; set; }
    public long? ValueEurCents { get; set; }
    public string? ValueEurMethod { get; set; }
    public string? ValueEurRate { get; set; }
    public string? ValueEurRateDate { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public string? DeletedAt { get; set; }
    public string ReviewState { get; set; } = "";
    public string? ReviewComment { get; set; }
    public long Version { get; set; }

    /// <summary>The reference version when the row was read (not in history rows).</summary>
    public long ReferenceVersion { get; set; }

    public IReadOnlyList<DeliveryRow> Deliveries { get; set; } = [];

    /// <summary>All the donation's evidence, its deliveries' included (<see cref="EvidenceRow.DeliveryId"/>).</summary>
    public IReadOnlyList<EvidenceRow> Evidence { get; set; } = [];

    public string ETag => ETags.ForRow(Version, ReferenceVersion);

    public PartialDate? Announced => Date(AnnouncedOn, AnnouncedOnPrecision);

    /// <summary>The sum of the exact and at-least delivered quantities; null when none is known (as the kept column quantity_delivered).</summary>
    public long? QuantityDelivered => Deliveries
        .Where(x => x.Quantity is not null && x.QuantityQualifier is "exact" or "at_least")
        .Select(x => x.Quantity)
        .Aggregate((long?)null, (sum, quantity) => (sum ?? 0) + quantity);

    public DonationResponse ToResponse() => new(
        Id,
        Donor,
        DonorName,
        Recipient,
        RecipientName,
        Funder,
        WeaponSystem,
        WeaponSystemName,
        Category,
        PackageId,
        Quantity,
        WireEnum<QuantityQualifier>.Parse(QuantityQualifier),
        QuantityDelivered,
        WireEnum<DonationStatus>.Parse(Status),
        Announced?.ToString(),
        Date(CommittedOn, CommittedOnPrecision)?.ToString(),
        Date(FirstReportedOn, FirstReportedOnPrecision)?.ToString(),
        ValueAmountMinor is { } minor && ValueCurrency is { } currency ? Money.FromMinor(minor, Currencies.MinorUnits(currency)) : null,
        ValueCurrency,
        ValueBasis is null ? null : WireEnum<ValueBasis>.Parse(ValueBasis),
        ValueEurCents is { } cents ? Money.FromMinor(cents, 2) : null,
        ValueEurMethod is null ? null : WireEnum<ValueEurMethod>.Parse(ValueEurMethod),
        ValueEurRate,
        ValueEurRateDate is null ? null : Timestamps.ParseDate(ValueEurRateDate),
        Notes,
        Timestamps.Parse(CreatedAt),
        Timestamps.Parse(UpdatedAt),
        Version,
        [.. Deliveries.Select(x => x.ToResponse(Evidence))],
        [.. Evidence.Where(e => e.DeliveryId is null).Select(e => e.ToResponse())]);

    private static PartialDate? Date(string? start, string? precision) => start is null ? null : PartialDate.FromStorage(start, precision!);
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
        Record.Version, WireEnum<ChangeOperation>.Parse(Operation), Timestamps.Parse(ChangedAt), ChangedBy, RequestId, ImportId,
        Record.ReviewState, Record.ReviewComment, Record.ToResponse());
}

/// <summary>The values a create or update writes, in storage form, with its children. Built only from a validated request.</summary>
public sealed record DonationWrite(
    string Donor,
    string Recipient,
    string? Funder,
    string WeaponSystem,
    long? PackageId,
    long? Quantity,
    string QuantityQualifier,
    string Status,
    PartialDate? AnnouncedOn,
    PartialDate? CommittedOn,
    long? ValueAmountMinor,
    string? ValueCurrency,
    string? ValueBasis,
    long? ValueEurCents,
    string? ValueEurMethod,
    string? ValueEurRate,
    string? ValueEurRateDate,
    string? Notes)
{
    public IReadOnlyList<EvidenceWrite> Evidence { get; init; } = [];

    /// <summary>Derived from the evidence: written as null by the API, whose write then derives it in SQL; a bulk writer that knows its sources' dates sets it.</summary>
    public PartialDate? FirstReportedOn { get; init; }

    public IReadOnlyList<DeliveryWrite> Deliveries { get; init; } = [];

    /// <summary>Maps a request that <see cref="DonationRequestValidator"/> has accepted.</summary>
    public static DonationWrite From(DonationRequest request)
    {
        var qualifier = request.QuantityQualifier
            ?? (request.Quantity is null ? Donations.QuantityQualifier.Undisclosed : Donations.QuantityQualifier.Exact);
        var currency = request.ValueCurrency is { } code ? Currencies.Normalize(code) : null;
        var hasValue = request.ValueAmount is not null || request.ValueEur is not null;
        return new DonationWrite(
            CountryCodes.Normalize(request.Donor!),
            CountryCodes.Normalize(request.Recipient!),
            request.Funder is { } funder ? CountryCodes.Normalize(funder) : null,
            WeaponSystemIds.Normalize(request.WeaponSystem!),
            request.Package,
            request.Quantity,
            WireEnum<QuantityQualifier>.Name(qualifier),
            WireEnum<DonationStatus>.Name(request.Status!.Value),
            PartialDate.TryParse(request.AnnouncedOn, out var announced) ? announced : null,
            PartialDate.TryParse(request.CommittedOn, out var committed) ? committed : null,
            request.ValueAmount is { } amount && currency is not null ? Money.ToMinor(amount, Currencies.MinorUnits(currency)) : null,
            currency,
            hasValue ? WireEnum<ValueBasis>.Name(request.ValueBasis ?? Donations.ValueBasis.Reported) : null,
            request.ValueEur is { } eur ? Money.ToMinor(eur, 2) : null,
            request.ValueEur is not null ? WireEnum<ValueEurMethod>.Name(Donations.ValueEurMethod.Reported) : null,
            null,
            null,
            request.Notes)
        {
            Evidence = [.. request.Evidence!.Select(EvidenceWrite.From)],
            Deliveries = [.. (request.Deliveries ?? []).Select(x => DeliveryWrite.From(x.Id, x.DeliveredOn, x.Quantity, x.QuantityQualifier, x.Notes, x.Evidence))],
        };
    }
}
