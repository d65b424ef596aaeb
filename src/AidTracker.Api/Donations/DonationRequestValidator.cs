using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.WeaponSystems;
using FluentValidation;

namespace AidTracker.Api.Donations;

/// <summary>Every rule of the data model for a donation, each failure naming its field (a child's by its path: <c>evidence[0].source</c>).</summary>
public sealed class DonationRequestValidator : RequestValidator<DonationRequest>
{
    public const int MaxNotesLength = 4000;

    /// <summary>A trillion: more than any count of rounds ever reported, and a bound that keeps sums far from overflow.</summary>
    public const long MaxQuantity = 1_000_000_000_000;

    /// <summary>More instalments or citations than any record has; a bound on the work of one request.</summary>
    public const int MaxItems = 100;

    public DonationRequestValidator(
        CountryRepository countries, WeaponSystemRepository weaponSystems, DonationRepository donations, TimeProvider clock,
        IValidator<EvidenceRequest> evidence, IValidator<DeliveryRequest> delivery)
    {
        // A code or id of another shape is refused as an unknown one is, by its pattern first, which the document says.
        RuleFor(x => x.Donor).NotEmpty()
            .Matches(CountryCodes.Pattern).WithMessage(x => $"'{x.Donor}' is not a known country code.")
            .MustAsync((code, ct) => IsKnownAsync(countries.ExistingCodesAsync, CountryCodes.Normalize(code!), ct))
            .WithMessage(x => $"'{x.Donor}' is not a known country code.");
        RuleFor(x => x.Recipient).NotEmpty()
            .Matches(CountryCodes.Pattern).WithMessage(x => $"'{x.Recipient}' is not a known country code.")
            .MustAsync((code, ct) => IsKnownAsync(countries.ExistingCodesAsync, CountryCodes.Normalize(code!), ct))
            .WithMessage(x => $"'{x.Recipient}' is not a known country code.")
            .Must((x, recipient) => CountryCodes.Normalize(recipient!) != CountryCodes.Normalize(x.Donor ?? ""))
            .WithMessage("'recipient' must differ from 'donor'.");
        RuleFor(x => x.Funder)
            .Matches(CountryCodes.Pattern).WithMessage(x => $"'{x.Funder}' is not a known country code.")
            .MustAsync((code, ct) => IsKnownAsync(countries.ExistingCodesAsync, CountryCodes.Normalize(code!), ct))
            .When(x => x.Funder is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'{x.Funder}' is not a known country code.")
            .Must((x, funder) => CountryCodes.Normalize(funder!) != CountryCodes.Normalize(x.Recipient ?? ""))
            .When(x => x.Funder is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("'funder' must differ from 'recipient'.");
        RuleFor(x => x.WeaponSystem).NotEmpty().MaximumLength(WeaponSystemIds.MaxLength)
            .Matches(WeaponSystemIds.Pattern).WithMessage(x => $"'{x.WeaponSystem}' is not a known weapon system id.")
            .MustAsync((id, ct) => IsKnownAsync(weaponSystems.ExistingIdsAsync, WeaponSystemIds.Normalize(id!), ct))
            .WithMessage(x => $"'{x.WeaponSystem}' is not a known weapon system id.");
        RuleFor(x => x.Package).GreaterThan(0)
            .MustAsync((id, ct) => donations.IsLivePackageAsync(id!.Value, ct)).When(x => x.Package is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"No package has the id {x.Package}.");

        QuantityRules.Add(this, x => x.Quantity, x => x.QuantityQualifier);

        RuleFor(x => x.Status).NotNull().IsInEnum();
        PartialDates.Add(this, x => x.AnnouncedOn, "announced_on", clock);
        PartialDates.Add(this, x => x.CommittedOn, "committed_on", clock);

        // The bounds pass a null by themselves, so only the predicates that read the value carry the condition, and
        // the bounds stay unconditional, which the OpenAPI document can say (ValidatorSchemas).
        RuleFor(x => x.ValueAmount)
            .GreaterThan(0).LessThanOrEqualTo(Money.MaxAmount)
            .Must((x, amount) => !Currencies.IsKnown(x.ValueCurrency) || Money.HasAtMostDecimals(amount!.Value, Currencies.MinorUnits(x.ValueCurrency!)))
            .WithMessage(x => $"'value_amount' has more decimals than {x.ValueCurrency} allows ({Currencies.MinorUnits(x.ValueCurrency!)}).")
            .When(x => x.ValueAmount is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.ValueAmount).NotNull().When(x => x.ValueCurrency is not null)
            .WithMessage("'value_amount' is required when 'value_currency' is set.");
        RuleFor(x => x.ValueCurrency).NotNull().When(x => x.ValueAmount is not null)
            .WithMessage("'value_currency' is required when 'value_amount' is set.");
        // Three letters in any case (Currencies matches any case), then one of Common/currencies.csv.
        RuleFor(x => x.ValueCurrency)
            .Matches(Currencies.Pattern).WithMessage(x => $"'{x.ValueCurrency}' is not an ISO 4217 currency code, such as EUR or USD.")
            .Must(Currencies.IsKnown).When(x => x.ValueCurrency is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'{x.ValueCurrency}' is not an ISO 4217 currency code, such as EUR or USD.");
        RuleFor(x => x.ValueEur)
            .GreaterThanOrEqualTo(0).LessThanOrEqualTo(Money.MaxAmount)
            .Must(eur => Money.HasAtMostDecimals(eur!.Value, 2)).WithMessage("'value_eur' has more than 2 decimals.")
            .When(x => x.ValueEur is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.ValueBasis).IsInEnum()
            .Null().When(x => x.ValueAmount is null && x.ValueEur is null, ApplyConditionTo.CurrentValidator)
            .WithMessage("'value_basis' needs a value: set value_amount or value_eur, or leave value_basis out.");
        RuleFor(x => x.Notes).MaximumLength(MaxNotesLength);

        RuleFor(x => x.Evidence).NotNull().WithMessage("'evidence' is required: cite at least one source.")
            .Must(items => items!.Count is > 0 and <= MaxItems).When(x => x.Evidence is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage($"'evidence' must cite at least one source, and at most {MaxItems}.");
        RuleForEach(x => x.Evidence).Must(item => item is not null).WithMessage("An evidence item must be an object.").SetValidator(evidence);
        RuleFor(x => x.Deliveries)
            .Must(items => items!.Count <= MaxItems).When(x => x.Deliveries is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage($"'deliveries' lists at most {MaxItems} instalments.");
        RuleForEach(x => x.Deliveries).Must(item => item is not null).WithMessage("A delivery must be an object.").SetValidator(delivery);

        // The stages: delivered (in part or whole) exactly when there is a delivery.
        RuleFor(x => x.Status)
            .Must((x, status) => (status is DonationStatus.PartiallyDelivered or DonationStatus.Delivered) == (x.Deliveries is { Count: > 0 }))
            .When(x => x.Status is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => x.Deliveries is { Count: > 0 }
                ? "'status' must be partially_delivered or delivered when there are deliveries."
                : "'status' may be partially_delivered or delivered only with at least one delivery in 'deliveries'.");
        RuleFor(x => x.Deliveries)
            .Must((x, items) => Deliveries.ExactSum(items!.Select(d => (d?.Quantity, d?.QuantityQualifier))) <= x.Quantity)
            .When(x => x.Deliveries is not null && x.QuantityQualifier is QuantityQualifier.Exact or null && x.Quantity is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"The exact delivered quantities add up to more than the {x.Quantity} promised.");
        RuleFor(x => x.Deliveries).Custom((items, context) =>
        {
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                if (!Deliveries.NotBeforeAnnouncement(items![i]?.DeliveredOn, context.InstanceToValidate.AnnouncedOn))
                {
                    context.AddFailure($"deliveries[{i}].delivered_on", "'delivered_on' must not be before 'announced_on'.");
                }
            }
        });
    }

    private static async Task<bool> IsKnownAsync(
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing, string value, CancellationToken cancellationToken) =>
        (await existing([value], cancellationToken)).Contains(value);
}

/// <summary>The rules of a quantity and its qualifier, on a donation and on a delivery alike.</summary>
public static class QuantityRules
{
    public static void Add<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, long?>> quantity, Func<T, QuantityQualifier?> qualifier)
    {
        validator.RuleFor(quantity).GreaterThan(0).LessThanOrEqualTo(DonationRequestValidator.MaxQuantity);
        validator.RuleFor(quantity).Null()
            .When(x => qualifier(x) == QuantityQualifier.Undisclosed)
            .WithMessage("'quantity' must be absent when 'quantity_qualifier' is undisclosed.");
        validator.RuleFor(quantity).NotNull()
            .When(x => qualifier(x) is not null and not QuantityQualifier.Undisclosed)
            .WithMessage(x => $"'quantity' is required when 'quantity_qualifier' is {WireEnum<QuantityQualifier>.Name(qualifier(x)!.Value)}.");
    }
}

/// <summary>A partial date in a body: yyyy, yyyy-MM or yyyy-MM-dd, from 1900 to a year from today.</summary>
public static class PartialDates
{
    private static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static void Add<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> date, string field, TimeProvider clock) =>
        validator.RuleFor(date)
            .Matches(PartialDate.Pattern).WithMessage(x => $"'{field}' must be {PartialDate.Expected}.")
            .Must(text => text is null || PartialDate.TryParse(text, out _)).WithMessage($"'{field}' must be {PartialDate.Expected}, a real day.")
            .Must(text => !PartialDate.TryParse(text, out var parsed) || (parsed.Start >= EarliestDate && parsed.Start <= Latest(clock)))
            .WithMessage(_ => $"'{field}' must be between {Timestamps.Format(EarliestDate)} and {Timestamps.Format(Latest(clock))} (a year from today).");

    private static DateOnly Latest(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1);
}

/// <summary>The checks of deliveries against their donation.</summary>
public static class Deliveries
{
    /// <summary>The sum of the exact quantities.</summary>
    public static long ExactSum(IEnumerable<(long? Quantity, QuantityQualifier? Qualifier)> deliveries) =>
        deliveries.Where(d => d.Quantity is not null && d.Qualifier is QuantityQualifier.Exact or null).Sum(d => d.Quantity!.Value);

    /// <summary>A delivery date does not begin before the announcement's first day (either unknown passes).</summary>
    public static bool NotBeforeAnnouncement(string? deliveredOn, string? announcedOn) =>
        !PartialDate.TryParse(deliveredOn, out var delivered) || !PartialDate.TryParse(announcedOn, out var announced) || delivered.Start >= announced.Start;
}

/// <summary>A citation's rules: a live source, bounded texts, a grade from 1 to 6, and what it supports.</summary>
public sealed class EvidenceRequestValidator : RequestValidator<EvidenceRequest>
{
    public const int MaxQuoteLength = 4000;
    public const int MaxLocatorLength = 200;

    public EvidenceRequestValidator(DonationRepository donations)
    {
        RuleFor(x => x.Source).NotNull().GreaterThan(0)
            .MustAsync(async (id, ct) => (await donations.LiveSourcesAsync([id!.Value], ct)).Contains(id.Value))
            .When(x => x.Source is > 0, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"No source has the id {x.Source} (or it was deleted): create it first (POST /api/v1/sources).");
        RuleFor(x => x.Quote).MaximumLength(MaxQuoteLength).Must(text => text is null || text.Trim().Length > 0).WithMessage("'quote' must not be blank.");
        RuleFor(x => x.Locator).MaximumLength(MaxLocatorLength).Must(text => text is null || text.Trim().Length > 0).WithMessage("'locator' must not be blank.");
        RuleFor(x => x.Credibility).InclusiveBetween(1, 6);
        RuleFor(x => x.Supports).NotEmpty().WithMessage("'supports' must name at least one of announcement, commitment, delivery, quantity, value.");
        RuleForEach(x => x.Supports).IsInEnum();
    }
}

/// <summary>An instalment's rules inside a donation body.</summary>
public sealed class DeliveryRequestValidator : RequestValidator<DeliveryRequest>
{
    public DeliveryRequestValidator(TimeProvider clock, IValidator<EvidenceRequest> evidence)
    {
        RuleFor(x => x.Id).GreaterThan(0);
        PartialDates.Add(this, x => x.DeliveredOn, "delivered_on", clock);
        QuantityRules.Add(this, x => x.Quantity, x => x.QuantityQualifier);
        RuleFor(x => x.QuantityQualifier).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(DonationRequestValidator.MaxNotesLength);
        RuleFor(x => x.Evidence).NotEmpty().WithMessage("'evidence' must cite at least one source for each delivery.");
        RuleForEach(x => x.Evidence).Must(item => item is not null).WithMessage("An evidence item must be an object.").SetValidator(evidence);
    }
}

/// <summary>The rules of <c>POST /donations/{id}/deliveries</c>; the checks against the donation run in its transaction.</summary>
public sealed class NewDeliveryRequestValidator : RequestValidator<NewDeliveryRequest>
{
    public NewDeliveryRequestValidator(TimeProvider clock, IValidator<EvidenceRequest> evidence)
    {
        PartialDates.Add(this, x => x.DeliveredOn, "delivered_on", clock);
        QuantityRules.Add(this, x => x.Quantity, x => x.QuantityQualifier);
        RuleFor(x => x.QuantityQualifier).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(DonationRequestValidator.MaxNotesLength);
        RuleFor(x => x.Evidence).NotEmpty().WithMessage("'evidence' must cite at least one source for the delivery.");
        RuleForEach(x => x.Evidence).Must(item => item is not null).WithMessage("An evidence item must be an object.").SetValidator(evidence);
        RuleFor(x => x.Status).IsInEnum()
            .Must(status => status is null or DonationStatus.PartiallyDelivered or DonationStatus.Delivered)
            .WithMessage("'status' after a delivery is partially_delivered or delivered.");
    }
}
