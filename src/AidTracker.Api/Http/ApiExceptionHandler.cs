using System.Text.Json;
using System.Text.RegularExpressions;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AidTracker.Api.Http;

/// <summary>
/// Turns every exception into a problem response. Binding and JSON errors are the client's (4xx, naming the field);
/// anything else is logged and answered with a 500 that carries the trace id and nothing of the exception.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, Database database, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(JsonErrors(json))
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The request body is not valid JSON for this endpoint.",
            },
            BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } match => new HttpValidationProblemDetails(
                new Dictionary<string, string[]>
                {
                    [JsonNamingPolicy.SnakeCaseLower.ConvertName(match.Groups["name"].Value)] =
                        [$"'{match.Groups["value"].Value}' is not a valid {WireType(match.Groups["type"].Value)}."],
                })
            {
                Status = StatusCodes.Status400BadRequest,
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when bad.Message.Contains("body", StringComparison.Ordinal) =>
                new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["A JSON object is required."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Detail = "The request body is missing or null.",
                },
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Detail = bad.Message },
            WriteRefusedException refused => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] })
            {
                Status = refused.Status,
                Title = ReasonPhrases.GetReasonPhrase(refused.Status),
                Detail = refused.Message,
            },
            // Stopped while waiting for the write lock, not while running: say so, and that a retry will do.
            WriteLockBusyException => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The database was busy with another write (an import, say) for the whole of this request's time limit (Limits:RequestTimeoutMilliseconds), so nothing was written. Retry after 5 s (Retry-After).",
            },
            // The engine stopped the query (sqlite3_interrupt, or PostgreSQL's cancel) because the request was cancelled:
            // its time limit passed, or the client left (then nobody reads this). By the time the exception arrives here,
            // the timeout middleware has put the request's own token back, so the stopped query itself is the sign.
            _ when database.Dialect.IsCancelled(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The request ran past its time limit (Limits:RequestTimeoutMilliseconds) and its query was stopped. Narrow the filters, or use an export for large sets.",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred. It has been logged under this response's trace_id.",
            },
        };
        if (exception is WriteLockBusyException)
        {
            logger.LogWarning("{Method} {Path} was stopped at its time limit while waiting for the write lock", http.Request.Method, http.Request.Path);
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("{Method} {Path} was stopped at its time limit", http.Request.Method, http.Request.Path);
        }
        else if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        http.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static Dictionary<string, string[]> JsonErrors(JsonException json)
    {
        var field = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
        var message = json is WireValueException ? json.Message
            : json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown field. Remove it: a typo here would otherwise be lost silently."
            : json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                ? "The field appears more than once."
                : json.Path is null or "$"
                    ? "The body is not a well-formed JSON object."
                    : "The value has the wrong JSON type or format for this field.";
        return new Dictionary<string, string[]> { [field] = [message] };
    }

    private static string WireType(string clrType) => clrType.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?') switch
    {
        "int" or "long" or "Int32" or "Int64" => "integer",
        "bool" or "Boolean" => "boolean (true or false)",
        var other => other,
    };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^ ]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
