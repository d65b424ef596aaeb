using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// A header that an endpoint sends on the responses of <paramref name="Statuses"/>: endpoint metadata, declared beside
/// the code that sets the header (<see cref="OpenApiHeaders.WithResponseHeader"/>), and written into the OpenAPI
/// document by <see cref="OpenApiHeaders.Filter"/>. Headers the document cannot describe are not declared by value.
/// </summary>
public sealed record ResponseHeader(string Name, string Description, JsonSchemaType Type, IReadOnlyList<int> Statuses);

/// <summary>A request header that an endpoint reads (and, <paramref name="Required"/>, refuses a request without).</summary>
public sealed record RequestHeader(string Name, string Description, bool Required);

/// <summary>
/// Declares the headers an endpoint reads and sends, so that the OpenAPI document lists them where they apply. A header
/// bound with [FromHeader] is a parameter already; these are the ones the code reads or writes on the HttpContext.
/// </summary>
public static class OpenApiHeaders
{
    /// <summary>The endpoint sends <paramref name="name"/> (a string) on the responses of <paramref name="statuses"/>.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, string name, string description, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseHeader(name, description, JsonSchemaType.String, statuses));

    /// <summary>The endpoint sends <paramref name="name"/>, a non-negative integer, on the responses of <paramref name="statuses"/>.</summary>
    public static TBuilder WithIntegerResponseHeader<TBuilder>(this TBuilder builder, string name, string description, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseHeader(name, description, JsonSchemaType.Integer, statuses));

    /// <summary>The endpoint reads <paramref name="name"/>; with <paramref name="required"/>, a request without it is refused.</summary>
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder builder, string name, string description, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestHeader(name, description, required));

    /// <summary>
    /// Writes the endpoint's <see cref="RequestHeader"/>s as header parameters and its <see cref="ResponseHeader"/>s into
    /// the responses of their statuses. A status the operation does not document gets no header: a group-wide
    /// declaration (Retry-After on 429) applies only where the status does.
    /// </summary>
    public sealed class Filter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            foreach (var header in metadata.OfType<RequestHeader>())
            {
                operation.Parameters ??= [];
                if (operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, header.Name, StringComparison.OrdinalIgnoreCase))) continue;
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = header.Name,
                    In = ParameterLocation.Header,
                    Required = header.Required,
                    Description = header.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            foreach (var header in metadata.OfType<ResponseHeader>())
            {
                foreach (var status in header.Statuses)
                {
                    if (operation.Responses?.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not OpenApiResponse response) continue;
                    response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    response.Headers[header.Name] = new OpenApiHeader
                    {
                        Description = header.Description,
                        Schema = header.Type == JsonSchemaType.Integer
                            ? new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }
                            : new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
    }

    /// <summary>
    /// On an operation that answers a file (a binary 200), lists its 304 under 3XX. Kiota types an operation that lists
    /// 201, 202, 204, 205, 301, 302, 303, 304 or 307 and has no JSON body as returning nothing, so a client generated
    /// from "304" could not read the file; "3XX" still says that a conditional GET may get no body. Runs after
    /// <see cref="Filter"/>, so the 304's headers move with it.
    /// </summary>
    public sealed class FileNotModifiedFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.Responses is not { } responses || !responses.TryGetValue("304", out var notModified)) return;
            var file = responses.GetValueOrDefault("200")?.Content?.Values.Any(media => media.Schema?.Format == "binary") == true;
            if (!file) return;
            responses.Remove("304");
            if (notModified is OpenApiResponse response) response.Description = "Not Modified (304): If-None-Match holds the current ETag; no body.";
            responses["3XX"] = notModified;
        }
    }
}
