using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Infrastructure;

/// <summary>RFC 9457 problem results. Title and type come from the status; the detail says what to do.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int statusCode, string detail) => TypedResults.Problem(detail: detail, statusCode: statusCode);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult Gone(string detail) => Status(StatusCodes.Status410Gone, detail);

    public static ProblemHttpResult Conflict(string detail) => Status(StatusCodes.Status409Conflict, detail);

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
