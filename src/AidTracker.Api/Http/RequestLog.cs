using System.Diagnostics;

namespace AidTracker.Api.Http;

/// <summary>
/// One log line per request, in <see cref="Category"/> at Information: method, path, status and time taken. Never the
/// query string, headers or body, which can carry a secret (a key sent as <c>?api_key=…</c> by mistake). It replaces
/// ASP.NET Core's own request log (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>), which writes the whole URL: that
/// category is off in code, whatever the LogLevel settings say.
/// </summary>
public static partial class RequestLog
{
    public const string Category = "AidTracker.Api.Requests";

    private const string HostingLog = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>A rule added after configuration's, so that it wins over a LogLevel setting for the same category.</summary>
    public static IServiceCollection AddRequestLog(this IServiceCollection services) =>
        services.AddLogging(logging => logging.AddFilter(HostingLog, LogLevel.None));

    public static WebApplication UseRequestLog(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (http, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(http);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            var method = http.Request.Method; // before UseHeadAsGet turns a HEAD into a GET
            try
            {
                await next(http);
            }
            finally
            {
                Answered(logger, method, http.Request.Path.Value ?? "/", http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void Answered(ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds);
}
