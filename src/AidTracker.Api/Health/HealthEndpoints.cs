using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Health;

public sealed record HealthResponse(string Status);

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTag("Health", "Liveness and readiness probes.").WithApiConventions(rateLimited: false);
        group.MapGet("/live", Live).WithName("Live").WithSummary("Liveness")
            .WithDescription("The process is up. Checks nothing else.");
        group.MapGet("/ready", Ready).WithName("Ready")
            .WithSummary("Readiness")
            .WithDescription("The database answers and its schema is the one this build expects: 200 when traffic may come, 503 when not.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("live"));

    /// <summary>Seconds a probe waits before asking again after a 503: as every 503 of the API, it says Retry-After.</summary>
    private const string RetryAfterSeconds = "5";

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(
        Database connections, HttpResponse response, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ProblemHttpResult NotReady(string detail)
        {
            response.Headers.RetryAfter = RetryAfterSeconds;
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, detail);
        }
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT max(version) FROM schema_migrations", cancellationToken: cancellationToken));
            var expected = connections.Migrations[^1].Version;
            if (version == expected) return TypedResults.Ok(new HealthResponse("ready"));
            return NotReady($"The database schema is at version {version}; this build needs {expected}.");
        }
        catch (System.Data.Common.DbException e)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(e, "Readiness check failed");
            return NotReady("The database does not answer.");
        }
    }
}
