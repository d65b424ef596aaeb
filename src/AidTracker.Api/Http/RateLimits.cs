using System.Globalization;
using System.Threading.RateLimiting;

namespace AidTracker.Api.Http;

/// <summary>Request budgets: <c>RateLimits:*</c> in configuration. 0 turns a budget off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a second from one client address without a key (bursts of twice that).</summary>
    public int AnonymousPerSecond { get; set; } = 50;

    /// <summary>Requests a second with one API key, from anywhere (bursts of twice that).</summary>
    public int KeyPerSecond { get; set; } = 100;

    /// <summary>Exports a minute per client address or key: each streams a whole selection.</summary>
    public int ExportsPerMinute { get; set; } = 6;
}

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per partition: anonymous requests by client address, keyed requests
/// by key, and exports in a budget of their own. Past a budget: 429 with Retry-After and a problem body, never 503.
/// Health probes are not limited.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var budgets = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, budgets));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Detail = $"Too many requests from this {(http.User.Identity?.IsAuthenticated == true ? "API key" : "address")}. Retry after {seconds} s; the budgets are in docs/operations.md (RateLimits:*).",
                    },
                });
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions budgets)
    {
        if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
        var client = http.User.Identity is { IsAuthenticated: true, Name: { } key } ? $"key:{key}" : $"address:{http.Connection.RemoteIpAddress}";
        // A HEAD of an export reads no row (HeadRequests): it costs what a read does, and spends the read budget.
        if (http.Request.Path.StartsWithSegments("/api/v1/exports") && !HeadRequests.IsHead(http))
        {
            return budgets.ExportsPerMinute <= 0
                ? RateLimitPartition.GetNoLimiter("exports")
                : RateLimitPartition.GetTokenBucketLimiter($"exports:{client}", _ => Bucket(budgets.ExportsPerMinute, TimeSpan.FromMinutes(1)));
        }
        var perSecond = client.StartsWith("key:", StringComparison.Ordinal) ? budgets.KeyPerSecond : budgets.AnonymousPerSecond;
        return perSecond <= 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => Bucket(perSecond, TimeSpan.FromSeconds(1), burst: 2 * perSecond));
    }

    private static TokenBucketRateLimiterOptions Bucket(int tokens, TimeSpan period, int? burst = null) => new()
    {
        TokenLimit = burst ?? tokens,
        TokensPerPeriod = tokens,
        ReplenishmentPeriod = period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
