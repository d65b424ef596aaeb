using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Http;

/// <summary>How reads are cached: <c>Cache:*</c> in configuration.</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>Cache-Control max-age of a public read, in seconds: how long a client or proxy may reuse it unasked.</summary>
    public int MaxAgeSeconds { get; set; } = 5;

    /// <summary>Cache-Control stale-while-revalidate, in seconds: how long past max-age a client may show its copy while it asks again.</summary>
    public int StaleWhileRevalidateSeconds { get; set; } = 30;

    /// <summary>Whether answers go through the output cache. Off, ETags, 304s and Cache-Control stay (the bench measures the miss path so).</summary>
    public bool Output { get; set; } = true;

    /// <summary>How long the output cache keeps an answer it has not been asked for again. A write makes it unreachable at once.</summary>
    public int OutputCacheSeconds { get; set; } = 300;

    /// <summary>The output cache's memory, at most; past it, entries are evicted.</summary>
    public int OutputCacheMegabytes { get; set; } = 64;
}

/// <summary>The data version (migration 0010): read on a kept-open reader, once per cacheable request.</summary>
public sealed class DataVersion(Database connections)
{
    private const string Sql = "SELECT version FROM data_version";

    public async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        using var reader = await connections.RentReaderAsync(cancellationToken);
        return (long)(await reader.Command(Sql, []).ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>
/// Marks a read endpoint: it gets an ETag, 304s and Cache-Control; with <paramref name="Output"/>, the output cache too.
/// With <paramref name="OwnValidator"/>, the handler sets its own ETag and answers If-None-Match itself (a single
/// donation, whose ETag is its row's, for If-Match); only Cache-Control is added.
/// </summary>
public sealed record CachedRead(bool Output, bool OwnValidator = false);

/// <summary>
/// An endpoint of the API (<see cref="ApiConventions.WithApiConventions"/>): its answers that are not cached reads
/// carry Cache-Control: no-store unless they set their own, and so do the answers under its path's first segment
/// that no endpoint gives (a 404, a 405).
/// </summary>
public sealed record ApiAnswer;

/// <summary>
/// Conditional and cached reads. For a <see cref="CachedRead"/> GET, one query reads the data version; the ETag
/// (<see cref="ETags.ForRead"/>) is that version, a hash of the normalised request (path, then the query parameters sorted by name) and the content
/// coding the response will have. If-None-Match naming it gets 304 at once. Otherwise the output cache answers,
/// keyed by the same three, so a write (which moves the version) makes every older answer unreachable; concurrent
/// misses on one key wait for a single run of the query. Compression sits inside the output cache, so an answer is
/// compressed once, not on every hit.
/// </summary>
public static class ReadCaching
{
    public const string MeterName = "AidTracker.Caching";

    private static readonly string[] CompressedTypes =
    [
        "application/json", "application/problem+json", "text/csv", "application/x-ndjson", "text/markdown",
        "text/html", "text/css", "text/javascript", "image/svg+xml",
    ];

    public static IServiceCollection AddReadCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CacheOptions.Section).Get<CacheOptions>() ?? new CacheOptions();
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section)
            .Validate(o => o.MaxAgeSeconds >= 0 && o.StaleWhileRevalidateSeconds >= 0 && o.OutputCacheSeconds > 0 && o.OutputCacheMegabytes > 0,
                "Cache:MaxAgeSeconds and Cache:StaleWhileRevalidateSeconds must be 0 or more; Cache:OutputCacheSeconds and Cache:OutputCacheMegabytes positive.")
            .ValidateOnStart();
        services.AddSingleton<DataVersion>();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<SingleFlight>();
        services.AddSingleton<NewestVersion>();
        services.AddOutputCache(cache =>
        {
            cache.SizeLimit = options.OutputCacheMegabytes * 1024L * 1024;
            cache.MaximumBodySize = Math.Min(cache.SizeLimit, 16 * 1024 * 1024);
            cache.UseCaseSensitivePaths = true;
            cache.DefaultExpirationTimeSpan = TimeSpan.FromSeconds(options.OutputCacheSeconds);
        });
        services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = CompressedTypes;
        });
        return services;
    }

    /// <summary>ETags and 304s, then the output cache, then compression.</summary>
    public static WebApplication UseReadCaching(this WebApplication app)
    {
        var versions = app.Services.GetRequiredService<DataVersion>();
        var newest = app.Services.GetRequiredService<NewestVersion>();
        var compression = app.Services.GetRequiredService<IResponseCompressionProvider>();
        var options = app.Services.GetRequiredService<IOptions<CacheOptions>>().Value;
        // Reads are public: their answer, and so its caching, does not depend on who asks, with a valid key or none,
        // except for the keys that see drafts (KeyRights.SeesDrafts): their answers may hold records the public does
        // not see, so they are private, never in the output cache, and their ETags are their own. A bad key never gets
        // here (ApiKeyAuthentication.UseSentKeyCheck answers 401 first).
        var publicControl = $"public, max-age={options.MaxAgeSeconds}, stale-while-revalidate={options.StaleWhileRevalidateSeconds}";
        const string privateControl = "private, no-cache";
        // The first path segments of the API's routes ("api", "health"), once every route is mapped.
        var apiRoots = new Lazy<HashSet<string>>(() => ApiRoots(((IEndpointRouteBuilder)app).DataSources));
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            var read = HttpMethods.IsGet(request.Method) // a HEAD is a GET here (HeadRequests)
                ? http.GetEndpoint()?.Metadata.GetMetadata<CachedRead>()
                : null;
            var seesDrafts = KeyRights.SeesDrafts(http.User);
            var cacheControl = seesDrafts ? privateControl : publicControl;
            if (read is null || read.OwnValidator)
            {
                if (read is not null) CacheControlOnSuccess(http, cacheControl);
                else if (FirstSegment(request.Path) is { } first && apiRoots.Value.Contains(first)) NoStoreUnlessSet(http);
                await next(http);
                return;
            }

            var version = await versions.ReadAsync(http.RequestAborted);
            await newest.ObserveAsync(version);
            var coding = compression.GetCompressionProvider(http)?.EncodingName;
            var normalised = NormalisedRequest(request);
            var etag = ETags.ForRead(version, seesDrafts ? "drafts " + normalised : normalised, coding);
            if (ETags.IfNoneMatchHits(request.Headers.IfNoneMatch, etag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                SetValidators(http.Response, etag, cacheControl);
                return;
            }

            if (options.Output && !seesDrafts) http.Features.Set(new ReadKey(version, normalised, coding ?? "identity"));
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode == StatusCodes.Status200OK) SetValidators(http.Response, etag, cacheControl);
                else http.Response.Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            await next(http);
        });
        app.UseOutputCache();
        app.UseResponseCompression();
        return app;
    }

    /// <summary>
    /// Marks the endpoints as cached reads, and documents their 304, the ETag they send and the If-None-Match they
    /// read. With <paramref name="output"/>, their answers go
    /// through the output cache; leave it off for files (exports, spooled whole and sent) and answers that cost less than a cache entry.
    /// </summary>
    public static TBuilder CacheReads<TBuilder>(this TBuilder builder, bool output = true, bool ownValidator = false) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new CachedRead(output, ownValidator), new ProducesResponseTypeAttribute(StatusCodes.Status304NotModified));
        builder.WithResponseHeader("ETag", "The representation's strong validator: send it back as If-None-Match.", StatusCodes.Status200OK, StatusCodes.Status304NotModified);
        builder.WithRequestHeader("If-None-Match", "ETags you hold: when one is current, the answer is 304 with no body.");
        if (output)
        {
            builder.CacheOutput(VersionedOutputPolicy.Instance);
            builder.AddEndpointFilterFactory((context, next) =>
            {
                var metrics = context.ApplicationServices.GetRequiredService<CacheMetrics>();
                var flights = context.ApplicationServices.GetRequiredService<SingleFlight>();
                var endpoint = context.MethodInfo.Name;
                return invocation =>
                {
                    var key = invocation.HttpContext.Features.Get<ReadKey>();
                    if (key is null)
                    {
                        metrics.Miss(endpoint);
                        return next(invocation);
                    }
                    return flights.RunAsync($"{key.Version} {key.Request}", () =>
                    {
                        metrics.Miss(endpoint);
                        return next(invocation);
                    });
                };
            });
        }
        return builder;
    }

    /// <summary>The path, then every query parameter sorted by name (ordinal), each value in the order sent.</summary>
    public static string NormalisedRequest(HttpRequest request)
    {
        var text = new StringBuilder(request.Path.Value);
        var separator = '?';
        foreach (var (name, values) in request.Query.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (var value in values)
            {
                text.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                separator = '&';
            }
        }
        return text.ToString();
    }

    private static void SetValidators(HttpResponse response, string etag, string cacheControl)
    {
        response.Headers.ETag = etag;
        response.Headers.CacheControl = cacheControl;
        if (!response.Headers.Vary.Any(v => v?.Contains("Accept-Encoding", StringComparison.OrdinalIgnoreCase) == true))
        {
            response.Headers.Append("Vary", "Accept-Encoding");
        }
    }

    private static void CacheControlOnSuccess(HttpContext http, string cacheControl) => http.Response.OnStarting(() =>
    {
        var status = http.Response.StatusCode;
        http.Response.Headers.CacheControl = status is StatusCodes.Status200OK or StatusCodes.Status304NotModified ? cacheControl : "no-store";
        return Task.CompletedTask;
    });

    private static HashSet<string> ApiRoots(IEnumerable<EndpointDataSource> sources) =>
        new(sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ApiAnswer>() is not null)
            .Select(endpoint => endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? literal.Content : null)
            .OfType<string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The path's first segment, as <see cref="PathString.StartsWithSegments(PathString)"/> would match it.</summary>
    private static string? FirstSegment(PathString path) =>
        path.Value is ['/', .. var rest] && rest.Split('/')[0] is { Length: > 0 } first ? first : null;

    private static void NoStoreUnlessSet(HttpContext http) => http.Response.OnStarting(() =>
    {
        if (http.Response.Headers.CacheControl.Count == 0) http.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    });

    /// <summary>
    /// One run of a handler for concurrent misses on one key. The output cache's own locking has a gap: a request
    /// whose lookup missed while the first run was still going, but which asks to run only after that run has
    /// finished, runs the query again (its lookup and its lock are two steps; seen once in 30 runs of the 500-request
    /// test on a busy machine). So the handler's result (an IResult, which writes the same answer for each request)
    /// is shared per data version and request while it runs and for <see cref="Grace"/> after, by which time the
    /// output cache holds it.
    /// </summary>
    private sealed class SingleFlight
    {
        private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
        private readonly ConcurrentDictionary<string, Lazy<Task<object?>>> _flights = new(StringComparer.Ordinal);

        public async ValueTask<object?> RunAsync(string key, Func<ValueTask<object?>> run)
        {
            var flight = new Lazy<Task<object?>>(() => run().AsTask());
            var current = _flights.GetOrAdd(key, flight);
            if (!ReferenceEquals(current, flight))
            {
                // The first run failed (its client left, its time ran out, the database refused): this request is not
                // bound by that; it runs for itself.
                try
                {
                    return await current.Value;
                }
                catch (Exception) when (!current.Value.IsCompletedSuccessfully)
                {
                    return await run();
                }
            }
            try
            {
                return await flight.Value;
            }
            finally
            {
                // A failed run is forgotten at once, so that the next request tries again.
                if (flight.Value.IsCompletedSuccessfully) _ = ForgetLaterAsync(key, flight);
                else _flights.TryRemove(KeyValuePair.Create(key, flight));
            }
        }

        private async Task ForgetLaterAsync(string key, Lazy<Task<object?>> flight)
        {
            await Task.Delay(Grace);
            _flights.TryRemove(KeyValuePair.Create(key, flight));
        }
    }

    /// <summary>
    /// The newest data version this process has read. Answers of older versions can never be asked for again, so when
    /// it moves, the previous version's entries are evicted (each entry is tagged with its version), and an answer
    /// computed for an older version is not stored. Without this they stayed until they expired: the 10-minute soak
    /// (9% writes) grew from 189 to 260 MB.
    /// </summary>
    private sealed class NewestVersion(IOutputCacheStore store)
    {
        private long _newest;

        public static string Tag(long version) => $"v{version}";

        public bool Supersedes(long version) => version < Interlocked.Read(ref _newest);

        public async ValueTask ObserveAsync(long version)
        {
            var previous = Interlocked.Read(ref _newest);
            if (version <= previous || Interlocked.CompareExchange(ref _newest, version, previous) != previous) return;
            if (previous > 0) await store.EvictByTagAsync(Tag(previous), CancellationToken.None);
        }
    }

    /// <summary>What a cached read's answer depends on, found before the output cache looks.</summary>
    private sealed record ReadKey(long Version, string Request, string Coding);

    /// <summary>
    /// Output-caches 200 answers to reads, keyed by <see cref="ReadKey"/>, one query per key at a time. Whether the
    /// request carried a (valid) key does not matter: reads are public, so a keyed read and an anonymous one share
    /// the entry. A key that sees drafts has no <see cref="ReadKey"/>, so it neither reads nor fills the cache.
    /// </summary>
    private sealed class VersionedOutputPolicy : IOutputCachePolicy
    {
        public static readonly VersionedOutputPolicy Instance = new();

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            var key = http.Features.Get<ReadKey>();
            var cacheable = key is not null;
            context.EnableOutputCaching = cacheable;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true;
            if (key is not null)
            {
                context.CacheVaryByRules.VaryByHost = false;
                context.CacheVaryByRules.VaryByValues["version"] = key.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.CacheVaryByRules.VaryByValues["request"] = key.Request;
                context.CacheVaryByRules.VaryByValues["coding"] = key.Coding;
                context.Tags.Add(NewestVersion.Tag(key.Version));
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            // An aborted request (client gone, time limit) may have written part of its body: never keep it. ASP.NET
            // Core 10.0 has the same guard since dotnet/aspnetcore#68770; this holds whatever the runtime's patch level.
            var http = context.HttpContext;
            var superseded = http.Features.Get<ReadKey>() is { } key && http.RequestServices.GetRequiredService<NewestVersion>().Supersedes(key.Version);
            if (http.Response.StatusCode != StatusCodes.Status200OK || http.Response.Headers.SetCookie.Count > 0 || http.RequestAborted.IsCancellationRequested || superseded)
            {
                context.AllowCacheStorage = false;
            }
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary><c>aidtracker.output_cache.misses</c>: how many times a cached read ran its handler (and so its query).</summary>
public sealed class CacheMetrics
{
    private readonly Counter<long> _misses;

    public CacheMetrics(IMeterFactory meters) =>
        _misses = meters.Create(ReadCaching.MeterName).CreateCounter<long>("aidtracker.output_cache.misses", description: "Cached reads whose handler ran: the output cache had no answer.");

    public void Miss(string endpoint) => _misses.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
}
