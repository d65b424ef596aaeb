using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Http;

/// <summary>RFC 9457 problem results. Title and type come from the status; the detail says what to do.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int statusCode, string detail) => TypedResults.Problem(detail: detail, statusCode: statusCode);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult Gone(string detail) => Status(StatusCodes.Status410Gone, detail);

    public static ProblemHttpResult Conflict(string detail) => Status(StatusCodes.Status409Conflict, detail);

    /// <summary>
    /// The <c>type</c> of a problem whose status ASP.NET Core's defaults leave without one (RFC 6585's statuses), so
    /// that every problem has one; <c>about:blank</c> (RFC 9457, 4.2.1) for a status no RFC section here describes.
    /// </summary>
    public static string TypeOf(int status) => status switch
    {
        StatusCodes.Status428PreconditionRequired => "https://tools.ietf.org/html/rfc6585#section-3",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => "about:blank",
    };

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
