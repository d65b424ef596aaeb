using AidTracker.Api.Http;
using FluentValidation;

namespace AidTracker.Api.Review;

public sealed class ReviewRequestValidator : RequestValidator<ReviewRequest>
{
    public const int MaxCommentLength = 2000;

    public ReviewRequestValidator()
    {
        RuleFor(x => x.Decision).NotNull().IsInEnum();
        RuleFor(x => x.Comment).MaximumLength(MaxCommentLength);
        RuleFor(x => x.Comment).NotEmpty().When(x => x.Decision == ReviewDecision.Reject)
            .WithMessage("'comment' must say why the draft is rejected, so that its editor can correct it.");
    }
}
