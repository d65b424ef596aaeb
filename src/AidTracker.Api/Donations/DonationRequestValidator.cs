using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.WeaponSystems;
using FluentValidation;

namespace AidTracker.Api.Donations;

/// <summary>Every rule of the data model for a donation, each failure naming its field.</summary>
public sealed class DonationRequestValidator : RequestValidator<DonationRequest>
{
    public const int MaxSourceLength = 1000;
    public const int MaxSourceUrlLength = 2048;
    public const int MaxNotesLength = 4000;

    /// <summary>A trillion: more than any count of rounds ever reported, and a bound that keeps sums far from overflow.</summary>
    public const long MaxQuantity = 1_000_000_000_000;
    private static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public DonationRequestValidator(CountryRepository countries, WeaponSystemRepository weaponSystems, TimeProvider clock)
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
        RuleFor(x => x.WeaponSystem).NotEmpty().MaximumLength(WeaponSystemIds.MaxLength)
            .Matches(WeaponSystemIds.Pattern).WithMessage(x => $"'{x.WeaponSystem}' is not a known weapon system id.")
            .MustAsync((id, ct) => IsKnownAsync(weaponSystems.ExistingIdsAsync, WeaponSystemIds.Normalize(id!), ct))
            .WithMessage(x => $"'{x.WeaponSystem}' is not a known weapon system id.");

        RuleFor(x => x.Quantity).GreaterThan(0).LessThanOrEqualTo(MaxQuantity);
        RuleFor(x => x.Quantity).Null()
            .When(x => x.QuantityQualifier == QuantityQualifier.Undisclosed)
            .WithMessage("'quantity' must be absent when 'quantity_qualifier' is undisclosed.");
        RuleFor(x => x.Quantity).NotNull()
            .When(x => x.QuantityQualifier is not null and not QuantityQualifier.Undisclosed)
            .WithMessage(x => $"'quantity' is required when 'quantity_qualifier' is {WireEnum<QuantityQualifier>.Name(x.QuantityQualifier!.Value)}.");
        RuleFor(x => x.QuantityQualifier).IsInEnum();

        RuleFor(x => x.Status).NotNull().IsInEnum();
        RuleFor(x => x.AnnouncedOn).NotNull()
            .Must(date => InRange(date!.Value, clock)).WithMessage(x => RangeMessage("announced_on", clock));
        RuleFor(x => x.DeliveredOn)
            .Must(date => InRange(date!.Value, clock)).WithMessage(x => RangeMessage("delivered_on", clock))
            .Must((x, date) => x.AnnouncedOn is null || date >= x.AnnouncedOn)
            .WithMessage("'delivered_on' must not be before 'announced_on'.")
            .Must((x, _) => x.Status is null or DonationStatus.Delivered)
            .WithMessage("'delivered_on' may only be set when 'status' is delivered.")
            .When(x => x.DeliveredOn is not null);

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
        RuleFor(x => x.Funding).IsInEnum();

        RuleFor(x => x.Source).NotEmpty().MaximumLength(MaxSourceLength)
            .Must(source => !string.IsNullOrWhiteSpace(source)).WithMessage("'source' must cite where the record comes from.");
        RuleFor(x => x.SourceUrl).MaximumLength(MaxSourceUrlLength)
            .Must(IsAbsoluteHttpUrl).When(x => x.SourceUrl is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("'source_url' must be an absolute http or https URL.");
        RuleFor(x => x.Notes).MaximumLength(MaxNotesLength);
    }

    private static async Task<bool> IsKnownAsync(
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing, string value, CancellationToken cancellationToken) =>
        (await existing([value], cancellationToken)).Contains(value);

    private static bool InRange(DateOnly date, TimeProvider clock) => date >= EarliestDate && date <= Latest(clock);

    private static DateOnly Latest(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1);

    private static string RangeMessage(string field, TimeProvider clock) =>
        $"'{field}' must be between {Timestamps.Format(EarliestDate)} and {Timestamps.Format(Latest(clock))} (a year from today).";

    private static bool IsAbsoluteHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
