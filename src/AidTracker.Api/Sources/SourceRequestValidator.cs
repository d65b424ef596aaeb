using AidTracker.Api.Common;
using AidTracker.Api.Http;
using FluentValidation;

namespace AidTracker.Api.Sources;

/// <summary>Every rule of the data model for a source, each failure naming its field.</summary>
public sealed class SourceRequestValidator : RequestValidator<SourceRequest>
{
    public const int MaxPublisherLength = 300;
    public const int MaxTitleLength = 1000;
    public const int MaxUrlLength = 2000;
    public const int MaxCitationLength = 2000;
    public const int MaxNotesLength = 4000;
    public const string ReliabilityPattern = "^[A-Fa-f]$";

    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public SourceRequestValidator(TimeProvider clock)
    {
        RuleFor(x => x.Kind).NotNull().IsInEnum();
        RuleFor(x => x.Publisher).MinimumLength(1).MaximumLength(MaxPublisherLength);
        RuleFor(x => x.Title).MinimumLength(1).MaximumLength(MaxTitleLength);
        RuleFor(x => x.Url).MaximumLength(MaxUrlLength)
            .Must(IsAbsoluteHttpUrl).When(x => x.Url is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("'url' must be an absolute http or https URL.");
        RuleFor(x => x.ArchivedUrl).MaximumLength(MaxUrlLength)
            .Must(IsAbsoluteHttpUrl).When(x => x.ArchivedUrl is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("'archived_url' must be an absolute http or https URL.");
        RuleFor(x => x.Citation).MinimumLength(1).MaximumLength(MaxCitationLength);
        RuleFor(x => x.Notes).MaximumLength(MaxNotesLength);
        // Each of the three is named, so that a client sees every field that would satisfy the rule.
        RuleFor(x => x.Title).NotNull().When(IsUncitable).WithMessage(Uncitable);
        RuleFor(x => x.Url).NotNull().When(IsUncitable).WithMessage(Uncitable);
        RuleFor(x => x.Citation).NotNull().When(IsUncitable).WithMessage(Uncitable);

        RuleFor(x => x.PublishedOn).NotEmpty()
            .Matches(PartialDate.Pattern).WithMessage(x => $"'{x.PublishedOn}' is not {PartialDate.Expected}.")
            .Must(date => PartialDate.TryParse(date, out var parsed) && parsed.Start >= Earliest && parsed.Start <= Today(clock))
            .When(x => x.PublishedOn is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'published_on' must be {PartialDate.Expected}, from {Timestamps.Format(Earliest)} to today.");
        RuleFor(x => x.AccessedOn)
            .Must(date => date!.Value >= Earliest && date.Value <= Today(clock)).When(x => x.AccessedOn is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => $"'accessed_on' must be from {Timestamps.Format(Earliest)} to today ({Timestamps.Format(Today(clock))}).");
        RuleFor(x => x.Language).MaximumLength(LanguageTags.MaxLength)
            .Matches(LanguageTags.Pattern).WithMessage(x => $"'{x.Language}' is not a BCP 47 language tag, such as en, uk or de-CH.");
        RuleFor(x => x.Reliability)
            .Matches(ReliabilityPattern).WithMessage(x => $"'{x.Reliability}' is not a reliability grade: use one of A, B, C, D, E, F.");
    }

    private const string Uncitable = "A source needs at least one of 'title', 'url' and 'citation', so that it can be cited.";

    private static bool IsUncitable(SourceRequest x) => x.Title is null && x.Url is null && x.Citation is null;

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static bool IsAbsoluteHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
