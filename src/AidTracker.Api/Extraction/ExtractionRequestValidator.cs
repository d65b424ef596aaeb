using AidTracker.Api.Http;
using AidTracker.Api.Sources;
using FluentValidation;

namespace AidTracker.Api.Extraction;

/// <summary>A text with something in it (and no control character: <see cref="RequestValidator{T}"/>), and a source as POST /sources takes it.</summary>
public sealed class ExtractionRequestValidator : RequestValidator<ExtractionRequest>
{
    public ExtractionRequestValidator(IValidator<SourceRequest> source)
    {
        RuleFor(x => x.Text).NotEmpty().WithMessage("'text' must hold the text to read.");
        RuleFor(x => x.Source).NotNull().SetValidator(source!);
    }
}
