using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// A member that some problems carry beside RFC 9457's own, with the type of the value written under it. Declared by
/// the code that writes it and registered with <see cref="Problems.AddProblemExtensions"/>, so that the document's one
/// problem schema (<see cref="Problems.Document"/>) types it. Two declarations may share a name with different types:
/// the schema then says one of them.
/// </summary>
/// <param name="SchemaId">A component schema of its own for the value, so that a generator names its type.</param>
public sealed record ProblemExtension(string Name, Type Type, string Description, string? SchemaId = null);

/// <summary>RFC 9457 problem results. Title and type come from the status; the detail says what to do.</summary>
public static class Problems
{
    /// <summary>The one schema every problem response of the OpenAPI document references.</summary>
    public const string SchemaId = "Problem";

    /// <summary>Written into every problem by <see cref="Complete"/>.</summary>
    public static readonly ProblemExtension TraceId = new("trace_id", typeof(string),
        "The request's id in the service's log (the same as its log lines'): quote it when reporting a problem.");

    /// <summary>Written by every validation problem (<see cref="HttpValidationProblemDetails.Errors"/>), and by other problems that name fields.</summary>
    public static readonly ProblemExtension FieldErrors = new("errors", typeof(IDictionary<string, string[]>),
        "On a problem that names fields: each field, query parameter or header that was refused, with what is wrong with it.",
        SchemaId: "FieldErrors");

    /// <summary>The members that <see cref="Complete"/> writes into every problem: a client can rely on them.</summary>
    public static readonly IReadOnlyList<string> Always = ["type", "title", "status", "instance", TraceId.Name];

    /// <summary>
    /// Fills in what every problem carries (<see cref="Always"/>), whoever wrote it: the status (the response's), the
    /// title (its reason phrase, where ASP.NET Core's defaults give none), the type, the instance and the trace id.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Type ??= TypeOf(problem.Status.Value);
        problem.Extensions[TraceId.Name] = context.HttpContext.TraceIdentifier;
    }

    /// <summary>Declares members that the registering feature writes into some problems.</summary>
    public static IServiceCollection AddProblemExtensions(this IServiceCollection services, params ProblemExtension[] extensions)
    {
        foreach (var extension in extensions) services.AddSingleton(extension);
        return services;
    }

    public static ProblemHttpResult Status(int statusCode, string detail) => TypedResults.Problem(detail: detail, statusCode: statusCode);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult Gone(string detail) => Status(StatusCodes.Status410Gone, detail);

    public static ProblemHttpResult Conflict(string detail) => Status(StatusCodes.Status409Conflict, detail);

    /// <summary>
    /// The <c>type</c> of a problem whose status ASP.NET Core's defaults leave without one (RFC 6585's statuses), so
    /// that every problem has one; <c>about:blank</c> (RFC 9457, 4.2.1) for a status no RFC section here describes.
    /// </summary>
    public static string TypeOf(int status) => status switch
    {
        StatusCodes.Status428PreconditionRequired => "https://tools.ietf.org/html/rfc6585#section-3",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => "about:blank",
    };

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// The document's one problem schema, <see cref="SchemaId"/>: RFC 9457's members as <see cref="ProblemDetails"/>'s
    /// JSON contract writes them (each left out when null, so none is nullable), <see cref="Always"/> required, each
    /// registered <see cref="ProblemExtension"/> typed, and no other member. Every response that Swashbuckle gave
    /// <see cref="ProblemDetails"/> or <see cref="HttpValidationProblemDetails"/> references it instead, so that a
    /// generated client has one problem type.
    /// </summary>
    public sealed class Document(IOptions<JsonOptions> json, IEnumerable<ProblemExtension> extensions) : IDocumentFilter
    {
        private static readonly Type[] Replaced = [typeof(ProblemDetails), typeof(HttpValidationProblemDetails)];

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var schema = Schema(json.Value.SerializerOptions, [TraceId, FieldErrors, .. extensions], document, context);
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[SchemaId] = schema;
            var replaced = Replaced.Select(type => context.SchemaRepository.TryLookupByType(type, out var reference) ? reference.Reference.Id : null)
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var content in (document.Paths ?? []).Values
                .SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
                .SelectMany(operation => operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
                .SelectMany(response => response.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()))
            {
                if (content.Schema is OpenApiSchemaReference { Reference.Id: { } id } && replaced.Contains(id))
                {
                    content.Schema = new OpenApiSchemaReference(SchemaId, document);
                }
            }
            foreach (var id in replaced) document.Components.Schemas.Remove(id);
        }

        private static OpenApiSchema Schema(JsonSerializerOptions options, IReadOnlyList<ProblemExtension> extensions, OpenApiDocument document, DocumentFilterContext context)
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "An RFC 9457 problem (application/problem+json): what went wrong and, in detail, what to do about it.",
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Required = new SortedSet<string>(Always, StringComparer.Ordinal),
                // Every member a problem is written with is declared here; a new one must be declared to be written.
                AdditionalPropertiesAllowed = false,
            };
            foreach (var property in options.GetTypeInfo(typeof(ProblemDetails)).Properties.Where(p => !p.IsExtensionData))
            {
                schema.Properties[property.Name] = NotNull(context.SchemaGenerator.GenerateSchema(property.PropertyType, context.SchemaRepository));
            }
            foreach (var members in extensions.GroupBy(extension => extension.Name, StringComparer.Ordinal))
            {
                var types = members.DistinctBy(member => member.Type).Select(member => Value(member, document, context)).ToList();
                var member = types is [var one] ? NotNull(one) : new OpenApiSchema { OneOf = types };
                if (member is OpenApiSchema described) described.Description = string.Join(" ", members.Select(m => m.Description).Distinct());
                schema.Properties[members.Key] = member;
            }
            return schema;
        }

        /// <summary>The schema of an extension's value: inline, or a reference to its own component.</summary>
        private static IOpenApiSchema Value(ProblemExtension extension, OpenApiDocument document, DocumentFilterContext context)
        {
            var schema = NotNull(context.SchemaGenerator.GenerateSchema(extension.Type, context.SchemaRepository));
            if (extension.SchemaId is not { } id) return schema;
            document.Components!.Schemas![id] = schema;
            return new OpenApiSchemaReference(id, document);
        }

        private static IOpenApiSchema NotNull(IOpenApiSchema schema)
        {
            if (schema is OpenApiSchema { Type: { } type } value) value.Type = type & ~JsonSchemaType.Null;
            return schema;
        }
    }
}
