using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// Writes into each response schema what the serializer does with it, read from the wire's own JSON contract
/// (<see cref="JsonTypeInfo"/>), so that the document cannot drift from it: a property the serializer always writes is
/// <c>required</c>; one it leaves out when null (a <see cref="JsonIgnoreAttribute"/> condition) is optional and never
/// null; an always-written property is <c>nullable</c> exactly when its getter is annotated as nullable. Request bodies
/// are left to <see cref="ValidatorSchemas"/>: what a client must send is what the validator refuses without.
/// </summary>
public static class ResponseSchemas
{
    /// <summary>
    /// Money and every other decimal: a JSON number the serializer writes with all its digits (never through a double),
    /// said so with <c>format: decimal</c>, so that a generator that knows the format reads it exactly.
    /// </summary>
    public static OpenApiSchema Decimal() => new() { Type = JsonSchemaType.Number, Format = "decimal" };

    /// <summary>
    /// Gives <typeparamref name="T"/> the component schema <paramref name="id"/> that <paramref name="schema"/> builds:
    /// for a type whose JSON contract cannot say its members (a dictionary whose keys are declared elsewhere).
    /// </summary>
    public static void MapComponent<T>(this SwaggerGenOptions options, string id, Func<ISchemaGenerator, SchemaRepository, OpenApiSchema> schema)
    {
        options.MapType<T>(() => new OpenApiSchemaReference(id));
        options.AddDocumentFilterInstance(new Component(id, schema));
    }

    private sealed class Component(string id, Func<ISchemaGenerator, SchemaRepository, OpenApiSchema> schema) : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[id] = schema(context.SchemaGenerator, context.SchemaRepository);
        }
    }

    /// <summary>
    /// The object types reachable from a request body (its own type, and the types of its properties, items and
    /// values), through the wire's contract.
    /// </summary>
    public static HashSet<Type> RequestTypes(IEnumerable<ApiDescription> descriptions, JsonSerializerOptions options)
    {
        var types = new HashSet<Type>();
        foreach (var body in descriptions.SelectMany(d => d.ParameterDescriptions).Where(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form))
        {
            Walk(body.Type, options, types);
        }
        return types;
    }

    private static void Walk(Type type, JsonSerializerOptions options, HashSet<Type> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !seen.Add(type)) return;
        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties) Walk(property.PropertyType, options, seen);
                break;
            case JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary when info.ElementType is { } element:
                Walk(element, options, seen);
                break;
        }
    }

    /// <summary>Whether the serializer leaves the property out when its value is null (and so never writes a null).</summary>
    public static bool OmittedWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true).OfType<JsonIgnoreAttribute>().FirstOrDefault()?.Condition
            is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;

    /// <summary>Writes <c>required</c> and <c>nullable</c> into <paramref name="schema"/> from <paramref name="info"/>.</summary>
    public static void Describe(JsonTypeInfo info, OpenApiSchema schema)
    {
        foreach (var property in info.Properties.Where(p => p.Get is not null && !p.IsExtensionData))
        {
            if (schema.Properties?.TryGetValue(property.Name, out var found) != true)
            {
                throw new InvalidOperationException($"The schema of {info.Type.Name} has no property '{property.Name}', which the serializer writes.");
            }
            if (property.ShouldSerialize is null)
            {
                schema.Required ??= new SortedSet<string>(StringComparer.Ordinal);
                schema.Required.Add(property.Name);
            }
            // A reference carries no nullable of its own, and OpenAPI 3.0's nullable does not reach into an allOf of one (a
            // validator still holds null to the referenced enum): a nullable enum is its names inline, as the serializer
            // writes them, and null.
            if (found is OpenApiSchemaReference reference && property.IsGetNullable && property.ShouldSerialize is null
                && Nullable.GetUnderlyingType(property.PropertyType) is { IsEnum: true } enumType)
            {
                schema.Properties![property.Name] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Description = reference.Description,
                    // The document's writer writes a null node as JSON null.
                    Enum = [.. Enum.GetValues(enumType).Cast<object>().Select(value => JsonSerializer.SerializeToNode(value, enumType, info.Options)!), null!],
                };
                continue;
            }
            // Nor can an object's reference say null: such a property is left out when null (JsonIgnore WhenWritingNull),
            // which the document says by not requiring it.
            if (found is OpenApiSchemaReference && property.IsGetNullable && property.ShouldSerialize is null)
            {
                throw new InvalidOperationException(
                    $"{info.Type.Name}.{property.Name} can be null, which its schema (a reference) cannot say: leave it out when null ([JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]).");
            }
            if (found is not OpenApiSchema { Type: { } type } value) continue;
            var nullable = property.IsGetNullable && (property.ShouldSerialize is null || !OmittedWhenNull(property));
            value.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
        }
    }

    /// <summary>
    /// The document filter, last of all: drops each component schema that nothing refers to any more (an enum that only
    /// nullable properties used, which now spell it inline), so that every component of the document is used.
    /// </summary>
    public sealed class Unreferenced : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            if (document.Components?.Schemas is not { } schemas) return;
            while (true)
            {
                using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                document.SerializeAsV3(new OpenApiJsonWriter(text));
                var written = text.ToString();
                var unused = schemas.Keys.Where(id => !written.Contains($"\"#/components/schemas/{id}\"", StringComparison.Ordinal)).ToList();
                if (unused.Count == 0) return;
                foreach (var id in unused) schemas.Remove(id);
            }
        }
    }

    /// <summary>The schema filter: each object type's component schema, unless a request body reaches it.</summary>
    public sealed class Filter(IOptions<JsonOptions> json, IApiDescriptionGroupCollectionProvider api) : ISchemaFilter
    {
        private HashSet<Type>? _requestTypes;

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties.Count: > 0 } body || context.MemberInfo is not null || context.ParameterInfo is not null) return;
            var options = json.Value.SerializerOptions;
            if (options.GetTypeInfo(context.Type) is not { Kind: JsonTypeInfoKind.Object } info) return;
            _requestTypes ??= RequestTypes(api.ApiDescriptionGroups.Items.SelectMany(g => g.Items), options);
            if (_requestTypes.Contains(context.Type)) return;
            Describe(info, body);
        }
    }
}
