using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Api.Http;

/// <summary>
/// A string property whose values are a named set (a <see cref="Common.WireNames"/> with a SchemaId): the document
/// references that set's component schema by its id, wherever the component itself is made.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ComponentSchemaAttribute(string id) : Attribute
{
    public string Id { get; } = id;
}

/// <summary>Writes each <see cref="ComponentSchemaAttribute"/> property of a schema as a reference to its component.</summary>
public sealed class ComponentSchemas(IOptions<JsonOptions> json) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties } || context.Type is null || context.Type.IsValueType) return;
        foreach (var property in json.Value.SerializerOptions.GetTypeInfo(context.Type).Properties)
        {
            if (Of(property) is not { } component) continue;
            if (!properties.ContainsKey(property.Name))
            {
                throw new InvalidOperationException($"The schema of {context.Type.Name} has no '{property.Name}' to reference {component.Id}.");
            }
            properties[property.Name] = new OpenApiSchemaReference(component.Id);
        }
    }

    private static ComponentSchemaAttribute? Of(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(ComponentSchemaAttribute), inherit: false).OfType<ComponentSchemaAttribute>().FirstOrDefault();
}
