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
/// the code that writes it and registered with <see cref="Problems.AddProblemExtensions"/>, so that the problem schema
/// it belongs to (<see cref="Problems.Document"/>) types it.
/// </summary>
/// <param name="SchemaId">A component schema of its own for the value, so that a generator names its type.</param>
/// <param name="Problem">The problem schema whose responses carry it; <see cref="Problems.Default"/> when null.</param>
public sealed record ProblemExtension(string Name, Type Type, string Description, string? SchemaId = null, ProblemSchema? Problem = null);

/// <summary>
/// A problem schema of the OpenAPI document: RFC 9457's members, <c>trace_id</c>, and the <see cref="ProblemExtension"/>s
/// declared for it. A problem that writes a member under the name another problem uses for a value of another type has
/// a schema of its own (the import's rows under <c>errors</c>, where every other problem writes field errors): a
/// <c>oneOf</c> of the two types without a discriminator defeats generators (Kiota reads one side only).
/// </summary>
public sealed record ProblemSchema(string Id, string Description);

/// <summary>
/// Endpoint metadata of <see cref="Problems.ProducesProblem"/>: the statuses at which the endpoint's problems are
/// <paramref name="Schema"/>'s rather than <see cref="Problems.Default"/>'s.
/// </summary>
public sealed record ProblemResponses(ProblemSchema Schema, IReadOnlyList<int> Statuses);

/// <summary>RFC 9457 problem results. Title and type come from the status; the detail says what to do.</summary>
public static class Problems
{
    /// <summary>The schema of every problem response that its endpoint does not give another (<see cref="ProducesProblem"/>).</summary>
    public static readonly ProblemSchema Default = new("Problem",
        "An RFC 9457 problem (application/problem+json): what went wrong and, in detail, what to do about it.");

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

    /// <summary>
    /// Declares problem responses at <paramref name="statuses"/> whose body is <paramref name="schema"/>'s, for the
    /// statuses at which the endpoint writes that schema's members. The endpoint needs a name (<c>WithName</c>): it is
    /// the operationId by which <see cref="Document"/> finds its operation.
    /// </summary>
    public static TBuilder ProducesProblem<TBuilder>(this TBuilder builder, ProblemSchema schema, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses) builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        return builder.WithMetadata(new ProblemResponses(schema, statuses));
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
    /// The document's problem schemas: <see cref="Default"/> and each <see cref="ProblemSchema"/> that a registered
    /// <see cref="ProblemExtension"/> belongs to. Each has RFC 9457's members as <see cref="ProblemDetails"/>'s JSON
    /// contract writes them (each left out when null, so none is nullable), <see cref="Always"/> required, its own
    /// extensions typed, and no other member. Every response that Swashbuckle gave <see cref="ProblemDetails"/> or
    /// <see cref="HttpValidationProblemDetails"/> references <see cref="Default"/> instead, or the schema its endpoint
    /// declares for that status (<see cref="ProblemResponses"/>), so that a generated client has one type per shape.
    /// </summary>
    public sealed class Document(IOptions<JsonOptions> json, IEnumerable<ProblemExtension> extensions) : IDocumentFilter
    {
        private static readonly Type[] Replaced = [typeof(ProblemDetails), typeof(HttpValidationProblemDetails)];

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            ProblemExtension[] declared = [FieldErrors, .. extensions];
            foreach (var problem in declared.Select(SchemaOf).Prepend(Default).Distinct())
            {
                document.Components.Schemas[problem.Id] = Schema(json.Value.SerializerOptions, problem,
                    [TraceId, .. declared.Where(extension => SchemaOf(extension) == problem)], document, context);
            }
            var chosen = Chosen(context);
            var replaced = Replaced.Select(type => context.SchemaRepository.TryLookupByType(type, out var reference) ? reference.Reference.Id : null)
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var operation in (document.Paths ?? []).Values.SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            {
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    foreach (var content in response.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
                    {
                        if (content.Schema is not OpenApiSchemaReference { Reference.Id: { } id } || !replaced.Contains(id)) continue;
                        var schema = operation.OperationId is { } name && chosen.Remove((name, status), out var declaredSchema) ? declaredSchema : Default;
                        content.Schema = new OpenApiSchemaReference(schema.Id, document);
                    }
                }
            }
            if (chosen.Count > 0)
            {
                throw new InvalidOperationException($"No problem response to give its declared schema: {string.Join(", ", chosen.Select(c => $"{c.Key.Operation} {c.Key.Status} ({c.Value.Id})"))}.");
            }
            foreach (var id in replaced) document.Components.Schemas.Remove(id);
        }

        private static ProblemSchema SchemaOf(ProblemExtension extension) => extension.Problem ?? Default;

        /// <summary>The schema each endpoint declares for some of its problem statuses, by operationId and status.</summary>
        private static Dictionary<(string Operation, string Status), ProblemSchema> Chosen(DocumentFilterContext context)
        {
            var chosen = new Dictionary<(string, string), ProblemSchema>();
            foreach (var metadata in context.ApiDescriptions.Select(api => api.ActionDescriptor.EndpointMetadata))
            {
                foreach (var responses in metadata.OfType<ProblemResponses>())
                {
                    var name = metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName
                        ?? throw new InvalidOperationException($"An endpoint that declares {responses.Schema.Id} responses has no name (WithName), by which its operation is found.");
                    foreach (var status in responses.Statuses) chosen[(name, status.ToString(System.Globalization.CultureInfo.InvariantCulture))] = responses.Schema;
                }
            }
            return chosen;
        }

        private static OpenApiSchema Schema(JsonSerializerOptions options, ProblemSchema problem, IReadOnlyList<ProblemExtension> extensions, OpenApiDocument document, DocumentFilterContext context)
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = problem.Description,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Required = new SortedSet<string>(Always, StringComparer.Ordinal),
                // Every member a problem is written with is declared here; a new one must be declared to be written.
                AdditionalPropertiesAllowed = false,
            };
            foreach (var property in options.GetTypeInfo(typeof(ProblemDetails)).Properties.Where(p => !p.IsExtensionData))
            {
                schema.Properties[property.Name] = NotNull(context.SchemaGenerator.GenerateSchema(property.PropertyType, context.SchemaRepository));
            }
            foreach (var extension in extensions)
            {
                // One type per member: a union of two would defeat generators, so the second shape needs its own schema.
                if (!schema.Properties.TryAdd(extension.Name, Value(extension, document, context)))
                {
                    throw new InvalidOperationException($"The problem schema {problem.Id} has '{extension.Name}' twice: give the problems that write it as {extension.Type.Name} a ProblemSchema of their own.");
                }
            }
            return schema;
        }

        /// <summary>The schema of an extension's value, described: inline, or a reference to its own component.</summary>
        private static IOpenApiSchema Value(ProblemExtension extension, OpenApiDocument document, DocumentFilterContext context)
        {
            var schema = NotNull(context.SchemaGenerator.GenerateSchema(extension.Type, context.SchemaRepository));
            if (schema is OpenApiSchema described) described.Description = extension.Description;
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
