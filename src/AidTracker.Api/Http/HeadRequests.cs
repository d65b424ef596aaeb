using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace AidTracker.Api.Http;

/// <summary>
/// HEAD is GET without the body (RFC 9110, 9.3.2), wherever GET is: every endpoint, the OpenAPI document and the
/// dashboard's files. A HEAD goes down the pipeline as a GET, so that routing, ETags and 304s, the output cache,
/// rate limits and authentication treat it exactly as one (its answer is the GET's, and a HEAD that misses the output
/// cache stores the GET's whole answer there, never an empty one); only the body is dropped on its way out, with
/// every header (Content-Length included) kept. A handler that can skip costly work asks <see cref="IsHead"/>:
/// exports count their rows and read none.
/// </summary>
public static class HeadRequests
{
    /// <summary>Whether this request came as a HEAD (it reads as a GET).</summary>
    public static bool IsHead(HttpContext http) => http.Features.Get<DroppedBody>() is not null;

    /// <summary>First in the pipeline, before routing.</summary>
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (!HttpMethods.IsHead(http.Request.Method)) return next(http);
            http.Request.Method = HttpMethods.Get;
            var body = new DroppedBody(http.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
            http.Features.Set<IHttpResponseBodyFeature>(body);
            http.Features.Set(body);
            return next(http);
        });
        return app;
    }

    /// <summary>A response body that goes nowhere; starting and completing the response still reach the server.</summary>
    private sealed class DroppedBody(IHttpResponseBodyFeature server) : IHttpResponseBodyFeature
    {
        public Stream Stream => Stream.Null;

        public PipeWriter Writer { get; } = PipeWriter.Create(Stream.Null);

        public void DisableBuffering() => server.DisableBuffering();

        public Task StartAsync(CancellationToken cancellationToken = default) => server.StartAsync(cancellationToken);

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task CompleteAsync() => server.CompleteAsync();
    }
}
