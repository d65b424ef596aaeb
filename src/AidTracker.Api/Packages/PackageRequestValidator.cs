using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using FluentValidation;

namespace AidTracker.Api.Packages;

/// <summary>Every rule of the data model for a package, each failure naming its field. Money follows the donations' rules.</summary>
public sealed class PackageRequestValidator : RequestValidator<PackageRequest>
{
    public const int MaxTitleLength = 1000;
    public const int MaxNotesLength = 4000;

    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public PackageRequestValidator(CountryRepository countries, TimeProvider clock)
    {
        RuleFor(x => x.Donor).NotEmpty()
            .Matches(CountryCodes.Pattern).WithMessage(x => $"'{x.Donor}' is not a known country code.")
            .MustAsync(async (code, ct) => (await countries.ExistingCodesAsync([CountryCodes.Normalize(code!)], ct)).Contains(CountryCodes.Normalize(code!)))
            .WithMessage(x => $"'{x.Donor}' is not a known country code.");
        RuleFor(x => x.Title).NotEmpty().MaximumLength(MaxTitleLength)
            .Must(title => !string.IsNullOrWhiteSpace(title)).WithMessage("'title' must name the package.");
        RuleFor(x => x.Instrument).NotNull().IsInEnum();
        RuleFor(x => x.AnnouncedOn)
            .Matches(PartialDate.Pattern).WithMessage(x => $"'{x.AnnouncedOn}' is not {PartialDate.Expected}.")
            .Must(date => PartialDate.TryParse(date, out var parsed) && parsed.Start >= Earliest && parsed.Start <= Latest(clock))
            .When(x => x.AnnouncedOn is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'announced_on' must be {PartialDate.Expected}, from {Timestamps.Format(Earliest)} to a year from today.");

        RuleFor(x => x.ValueAmount)
            .GreaterThan(0).LessThanOrEqualTo(Money.MaxAmount)
            .Must((x, amount) => !Currencies.IsKnown(x.ValueCurrency) || Money.HasAtMostDecimals(amount!.Value, Currencies.MinorUnits(x.ValueCurrency!)))
            .WithMessage(x => $"'value_amount' has more decimals than {x.ValueCurrency} allows ({Currencies.MinorUnits(x.ValueCurrency!)}).")
            .When(x => x.ValueAmount is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.ValueAmount).NotNull().When(x => x.ValueCurrency is not null)
            .WithMessage("'value_amount' is required when 'value_currency' is set.");
        RuleFor(x => x.ValueCurrency).NotNull().When(x => x.ValueAmount is not null)
            .WithMessage("'value_currency' is required when 'value_amount' is set.");
        RuleFor(x => x.ValueCurrency)
            .Matches(Currencies.Pattern).WithMessage(x => $"'{x.ValueCurrency}' is not an ISO 4217 currency code, such as EUR or USD.")
            .Must(Currencies.IsKnown).When(x => x.ValueCurrency is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'{x.ValueCurrency}' is not an ISO 4217 currency code, such as EUR or USD.");
        RuleFor(x => x.Notes).MaximumLength(MaxNotesLength);
    }

    private static DateOnly Latest(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1);
}
