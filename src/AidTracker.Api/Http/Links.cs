using Microsoft.AspNetCore.Http.Extensions;

namespace AidTracker.Api.Http;

public static class Links
{
    /// <summary>
    /// The request's own path and query with one parameter set to <paramref name="value"/>. Relative (RFC 3986 §4.2),
    /// so that no Host header a client sends can redirect another client.
    /// </summary>
    public static string WithQueryValue(HttpRequest request, string key, string value)
    {
        var query = new QueryBuilder(request.Query
            .Where(pair => !string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            .SelectMany(pair => pair.Value.Select(v => new KeyValuePair<string, string>(pair.Key, v ?? ""))))
        {
            { key, value },
        };
        return $"{request.PathBase}{request.Path}{query.ToQueryString()}";
    }
}
