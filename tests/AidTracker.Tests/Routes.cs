using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>
/// The service's own endpoints, read once from its EndpointDataSource, for theories over every route: a route added
/// later is in them without anyone listing it.
/// </summary>
public static class Routes
{
    private static readonly Lazy<IReadOnlyList<RouteEndpoint>> All = new(Read);

    public static IReadOnlyList<RouteEndpoint> Endpoints => All.Value;

    /// <summary>The methods an endpoint answers.</summary>
    public static IReadOnlyList<string> Methods(this RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];

    /// <summary>The endpoint's path with each route parameter replaced by the value given for it, or "1".</summary>
    public static string Path(this RouteEndpoint endpoint, IReadOnlyDictionary<string, string>? values = null)
    {
        var pattern = endpoint.RoutePattern;
        var path = pattern.RawText!.TrimEnd('/');
        foreach (var parameter in pattern.Parameters)
        {
            path = path.Replace($"{{{parameter.Name}}}", values?.GetValueOrDefault(parameter.Name) ?? "1", StringComparison.Ordinal);
        }
        return path.StartsWith('/') ? path : "/" + path;
    }

    private static IReadOnlyList<RouteEndpoint> Read()
    {
        var fixture = new ApiFixture();
        try
        {
            return fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        }
        finally
        {
            ((IAsyncLifetime)fixture).DisposeAsync().GetAwaiter().GetResult();
        }
    }
}
