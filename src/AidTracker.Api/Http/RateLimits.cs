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
/// by key, and the endpoints that declare it (<see cref="WithExportBudget"/>: exports) in a budget of their own. Past a
/// budget: 429 with Retry-After and a problem body, never 503. Endpoints that declare <see cref="WithoutRateLimits"/>
/// (health probes) are not limited.
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

    /// <summary>The endpoints spend the export budget (RateLimits:ExportsPerMinute), not the read budget: each streams a whole selection.</summary>
    public static TBuilder WithExportBudget<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Budget.Export);

    /// <summary>The endpoints spend no budget: health probes.</summary>
    public static TBuilder WithoutRateLimits<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Budget.None);

    /// <summary>Whether an endpoint with <paramref name="metadata"/> spends a budget, and so can be refused with 429.</summary>
    public static bool SpendsBudget(IEnumerable<object> metadata) => !metadata.OfType<Budget>().Contains(Budget.None);

    /// <summary>
    /// The budget of the endpoint that routing found (it runs before the rate limiter); a path that matches no endpoint
    /// (a 404 or 405) spends the read budget.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions budgets)
    {
        var budget = http.GetEndpoint()?.Metadata.GetMetadata<Budget>();
        if (budget == Budget.None) return RateLimitPartition.GetNoLimiter("unlimited endpoint");
        var client = http.User.Identity is { IsAuthenticated: true, Name: { } key } ? $"key:{key}" : $"address:{http.Connection.RemoteIpAddress}";
        // A HEAD of an export reads no row (HeadRequests): it costs what a read does, and spends the read budget.
        if (budget == Budget.Export && !HeadRequests.IsHead(http))
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

    /// <summary>Endpoint metadata: a budget other than the read budget.</summary>
    private sealed class Budget
    {
        public static readonly Budget Export = new();
        public static readonly Budget None = new();
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
