using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// One problem status that an endpoint can answer because of what it is, not because of what its handler does: the
/// middleware or binding that answers it applies to every endpoint whose metadata <paramref name="Applies"/> says so.
/// </summary>
/// <param name="Status">The status.</param>
/// <param name="Cause">What answers it, for a reader of the rule and of a failing test.</param>
/// <param name="Applies">Whether an endpoint with this metadata can get it.</param>
public sealed record StatusRule(int Status, string Cause, Func<IEnumerable<object>, bool> Applies);

/// <summary>
/// The statuses every endpoint gets from its own metadata (<see cref="Rules"/>), declared in its OpenAPI operation as a
/// problem response by <see cref="Declare"/>, which <see cref="ApiConventions.WithApiConventions"/> runs on each endpoint
/// once its metadata is complete. A new endpoint is documented by what it is: one that reads a body gets 408, 413 and
/// 415, one that needs a key 403, one that needs If-Match 412 and 428, one that spends a rate budget 429, one under the
/// request time limit 503. What only a handler knows (404, 409, 410, 422, and a 503 of its own) stays declared beside
/// the endpoint with <c>ProducesProblem</c>. A response added here is the same metadata <c>ProducesProblem</c> adds, so
/// it is rendered as every other problem response is.
/// </summary>
public static class OpenApiStatuses
{
    public static readonly IReadOnlyList<StatusRule> Rules =
    [
        new(StatusCodes.Status401Unauthorized,
            "a key that is sent is checked on every route, reads included (ApiKeyAuthentication.UseSentKeyCheck), and a write without one is refused",
            _ => true),
        new(StatusCodes.Status403Forbidden, "the endpoint needs a key of a role (RequireApiKey), and a key of a weaker role is refused", NeedsKey),
        new(StatusCodes.Status408RequestTimeout, "the endpoint reads a body, which must arrive within its time (BodyDeadline)", ReadsBody),
        new(StatusCodes.Status412PreconditionFailed, "the endpoint needs If-Match, and refuses an ETag that is no longer current", NeedsIfMatch),
        new(StatusCodes.Status413PayloadTooLarge, "the endpoint reads a body, which has a size limit (Limits:MaxBodyBytes, or the endpoint's own)", ReadsBody),
        new(StatusCodes.Status415UnsupportedMediaType, "the endpoint reads a body of the media types it accepts (IAcceptsMetadata), and routing refuses any other", ReadsBody),
        new(StatusCodes.Status428PreconditionRequired, "the endpoint needs If-Match, and refuses a request without it", NeedsIfMatch),
        new(StatusCodes.Status429TooManyRequests, "the endpoint spends a rate budget (RateLimits)", RateLimits.SpendsBudget),
        new(StatusCodes.Status503ServiceUnavailable,
            "the request time limit applies (Limits:RequestTimeoutMilliseconds): past it, the request and its query are stopped",
            metadata => !metadata.OfType<DisableRequestTimeoutAttribute>().Any()),
    ];

    /// <summary>The statuses of <see cref="Rules"/> that apply to an endpoint with <paramref name="metadata"/>, in order.</summary>
    public static IEnumerable<int> Implied(IEnumerable<object> metadata) =>
        Rules.Where(rule => rule.Applies(metadata)).Select(rule => rule.Status);

    /// <summary>A problem response for each status the endpoint's metadata implies, unless it declares that status already.</summary>
    public static void Declare(EndpointBuilder endpoint)
    {
        foreach (var status in Implied(endpoint.Metadata).ToList())
        {
            if (endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(produces => produces.StatusCode == status)) continue;
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }

    private static bool NeedsKey(IEnumerable<object> metadata) => metadata.OfType<IAuthorizeData>().Any();

    private static bool ReadsBody(IEnumerable<object> metadata) => metadata.OfType<IAcceptsMetadata>().Any();

    private static bool NeedsIfMatch(IEnumerable<object> metadata) =>
        metadata.OfType<RequestHeader>().Any(header => header.Required && string.Equals(header.Name, HeaderNames.IfMatch, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Lists an operation's responses by status (2XX, then 3XX, then problems), not in the order their metadata was
    /// added, so that a reader finds them where they look and a change shows as a small diff.
    /// </summary>
    public sealed class Order : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.Responses is not { Count: > 1 } responses) return;
            var ordered = responses.OrderBy(response => response.Key, StringComparer.Ordinal).ToList();
            responses.Clear();
            foreach (var (status, response) in ordered) responses.Add(status, response);
        }
    }
}
