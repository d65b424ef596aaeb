using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AidTracker.Api.Http;

/// <summary>The limits a request meets: <c>Limits:*</c> in configuration.</summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    /// <summary>A JSON body, at most (an endpoint may declare its own: <see cref="Hardening.WithOwnBodyLimit"/>). 413 past it.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>All request headers together, at most. 431 past it.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>The request line (method, path and query), at most. 414 past it.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// How long a request may take, queries included; past it, 503 and the query is interrupted. Not exports or imports.
    /// A request body must also arrive within it, imports' included unless they set their own (<see cref="BodyDeadline"/>): 408 past it.
    /// </summary>
    public int RequestTimeoutMilliseconds { get; set; } = 10_000;
}

/// <summary>CORS: reads from any origin; writes only from <c>Cors:WriteOrigins</c>, none by default.</summary>
public sealed class CorsOptionsSection
{
    public const string Section = "Cors";

    public string[] WriteOrigins { get; set; } = [];
}

public static class Hardening
{
    public const string WritePolicy = "writes";

    /// <summary>The response headers that a browser may read from another origin: each one the API sends is declared in the document.</summary>
    internal static readonly string[] ExposedHeaders =
    [
        "ETag", "Location", "Link", "Content-Disposition", "Retry-After", "Repr-Digest", "Idempotent-Replayed",
        "AidTracker-As-Of", "AidTracker-Row-Count", "AidTracker-Release",
    ];

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(LimitOptions.Section).Get<LimitOptions>() ?? new LimitOptions();
        services.Configure<LimitOptions>(configuration.GetSection(LimitOptions.Section));
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxHeaderBytes;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
        });
        services.AddRequestTimeouts(options => options.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromMilliseconds(limits.RequestTimeoutMilliseconds),
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = async http =>
            {
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                http.Response.Headers.RetryAfter = "5";
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Detail = $"The request took longer than {limits.RequestTimeoutMilliseconds:N0} ms (Limits:RequestTimeoutMilliseconds) and was stopped, its query with it. Narrow the filters, or use an export for large sets.",
                    },
                });
            },
        });

        var writeOrigins = configuration.GetSection(CorsOptionsSection.Section).Get<CorsOptionsSection>()?.WriteOrigins ?? [];
        services.AddCors(cors =>
        {
            cors.AddDefaultPolicy(new CorsPolicyBuilder().AllowAnyOrigin().WithMethods("GET", "HEAD").AllowAnyHeader().WithExposedHeaders(ExposedHeaders).Build());
            cors.AddPolicy(WritePolicy, new CorsPolicyBuilder().WithOrigins(writeOrigins).AllowAnyMethod().AllowAnyHeader().WithExposedHeaders(ExposedHeaders).Build());
        });
        return services;
    }

    /// <summary>
    /// Security headers on every response: no MIME sniffing, no referrer, no framing, and a content security policy
    /// that allows nothing on API responses and only this origin's own scripts and styles on the Swagger UI page.
    /// Then the body limit, checked on Content-Length before anything reads the body, and the time the body has to
    /// arrive (<see cref="BodyDeadline"/>).
    /// </summary>
    public static WebApplication UseHardening(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitOptions>>().Value;
        var maxBody = limits.MaxBodyBytes;
        var bodyTime = TimeSpan.FromMilliseconds(limits.RequestTimeoutMilliseconds);
        var clock = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = http.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true
                    ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                    : "default-src 'none'; frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            // An endpoint with its own limit (imports: Imports:MaxBytes) raises it and checks it as it reads. Routing has
            // run: a path that matches no endpoint (a 404 or 405) has the general limit.
            var ownLimit = http.GetEndpoint()?.Metadata.GetMetadata<OwnBodyLimit>() is not null;
            if (!ownLimit && http.Request.ContentLength > maxBody)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Detail = $"The body is larger than {maxBody:N0} bytes (Limits:MaxBodyBytes)." },
                });
                return;
            }
            BodyDeadline.UseOn(http, bodyTime, $"{LimitOptions.Section}:{nameof(LimitOptions.RequestTimeoutMilliseconds)}", clock);
            await next(http);
            // Minimal APIs' JSON binding answers a body it could not read with the status alone.
            if (http.Features.Get<BodyDeadline>() is { Expired: true } body && !http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = StatusCodes.Status408RequestTimeout, Detail = body.Detail },
                });
            }
        });
        app.UseCors();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>
    /// The endpoints take bodies past Limits:MaxBodyBytes: they set their own limit (Kestrel's included) and enforce it
    /// as they read.
    /// </summary>
    public static TBuilder WithOwnBodyLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OwnBodyLimit.Instance);
}

/// <summary>Endpoint metadata of <see cref="Hardening.WithOwnBodyLimit"/>.</summary>
public sealed class OwnBodyLimit
{
    public static readonly OwnBodyLimit Instance = new();

    private OwnBodyLimit()
    {
    }
}
