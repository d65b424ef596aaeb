using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Microsoft.Extensions.Options;
using Swashbuckle.AspNetCore.SwaggerGen;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Api.Http;

/// <summary>
/// Writes into a request body's schema what its FluentValidation validator enforces, read from the validator's
/// rules (STYLE 19), so that the document cannot say less or more than the service checks. Only rules that hold
/// always and compare with constants can be written: a rule with a condition (<c>When</c>) or a predicate
/// (<c>Must</c>, <c>MustAsync</c>) is left to the descriptions.
/// </summary>
public static class ValidatorSchemas
{
    /// <summary>
    /// The JSON name of a validated member, as the serializer's contract for the body spells it (a [JsonPropertyName]
    /// included). A rule on a member the contract does not carry is a mistake: it fails here, not silently.
    /// </summary>
    public static string JsonName(JsonTypeInfo body, IValidationRule rule) =>
        body.Properties.FirstOrDefault(property => property.AttributeProvider is MemberInfo member && member.HasSameMetadataDefinitionAs(rule.Member))?.Name
        ?? throw new InvalidOperationException($"{body.Type.Name} has a rule on {rule.Member.Name}, which its JSON contract does not carry.");

    /// <summary>The rule components that hold whatever else the body says: those the document can express.</summary>
    public static IEnumerable<(string Field, IPropertyValidator Validator)> Unconditional(IValidator validator, JsonTypeInfo body) =>
        validator.CreateDescriptor().Rules
            .Where(rule => rule.Member is not null && rule is not IIncludeRule)
            .SelectMany(rule => rule.Components
                .Where(component => !component.HasCondition && !component.HasAsyncCondition)
                .Select(component => (JsonName(body, rule), component.Validator)));

    /// <summary>
    /// Writes the constraints of <paramref name="validator"/> into <paramref name="schema"/>'s properties, the schema of
    /// <paramref name="body"/>. A validated field the schema lacks fails: its rules would otherwise go unwritten.
    /// </summary>
    public static void Describe(IValidator validator, JsonTypeInfo body, OpenApiSchema schema)
    {
        foreach (var (field, propertyValidator) in Unconditional(validator, body))
        {
            if (schema.Properties?.TryGetValue(field, out var found) != true)
            {
                throw new InvalidOperationException($"The schema of {body.Type.Name} has no '{field}', which its validator checks.");
            }
            if (propertyValidator is INotNullValidator or INotEmptyValidator)
            {
                schema.Required ??= new SortedSet<string>(StringComparer.Ordinal);
                schema.Required.Add(field);
            }
            // An enum is a $ref to a shared schema: its values are already there, and a bound cannot be added to a reference.
            if (found is OpenApiSchema property)
            {
                Constrain(property, propertyValidator);
            }
        }
    }

    private static void Constrain(OpenApiSchema property, IPropertyValidator validator)
    {
        var isString = property.Type?.HasFlag(JsonSchemaType.String) == true;
        switch (validator)
        {
            case INotEmptyValidator when isString:
                property.MinLength = Math.Max(property.MinLength ?? 0, 1);
                break;
            case ILengthValidator length when isString:
                if (length.Min > 0)
                {
                    property.MinLength = Math.Max(property.MinLength ?? 0, length.Min);
                }
                if (length.Max >= 0)
                {
                    property.MaxLength = length.Max;
                }
                break;
            case IRegularExpressionValidator regex when isString:
                property.Pattern = regex.Expression;
                break;
            case IBetweenValidator between when Constant(between.From) is { } from && Constant(between.To) is { } to:
                if (validator.Name == "ExclusiveBetweenValidator")
                {
                    (property.ExclusiveMinimum, property.ExclusiveMaximum) = (from, to);
                }
                else
                {
                    (property.Minimum, property.Maximum) = (from, to);
                }
                break;
            case IComparisonValidator { MemberToCompare: null } comparison when Constant(comparison.ValueToCompare) is { } value:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThan: property.ExclusiveMinimum = value; break;
                    case Comparison.GreaterThanOrEqual: property.Minimum = value; break;
                    case Comparison.LessThan: property.ExclusiveMaximum = value; break;
                    case Comparison.LessThanOrEqual: property.Maximum = value; break;
                }
                break;
        }
    }

    private static string? Constant(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The schema filter: the validator registered for the schema's type, if any, describes it.</summary>
    public sealed class Filter(IServiceProvider services, IOptions<JsonOptions> json) : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema body || context.Type is null || context.Type.IsValueType)
            {
                return;
            }
            using var scope = services.CreateScope();
            if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(context.Type)) is IValidator validator)
            {
                Describe(validator, json.Value.SerializerOptions.GetTypeInfo(context.Type), body);
            }
        }
    }
}
