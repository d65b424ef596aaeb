using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// What a tag of the OpenAPI document groups: endpoint metadata, declared by the feature beside its route group
/// (<see cref="OpenApiTags.WithTag"/>), and written into the document's tag list by <see cref="OpenApiTags.Filter"/>.
/// </summary>
public sealed record TagDescription(string Name, string Description);

public static class OpenApiTags
{
    /// <summary>Tags every endpoint of the group with <paramref name="name"/> and says what the tag groups.</summary>
    public static RouteGroupBuilder WithTag(this RouteGroupBuilder group, string name, string description) =>
        group.WithTags(name).WithMetadata(new TagDescription(name, description));

    /// <summary>Gives each tag of the document the description its feature declared.</summary>
    public sealed class Filter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var descriptions = context.ApiDescriptions
                .SelectMany(api => api.ActionDescriptor.EndpointMetadata.OfType<TagDescription>())
                .GroupBy(tag => tag.Name)
                .ToDictionary(tags => tags.Key, tags => tags.Select(tag => tag.Description).Distinct().ToList() switch
                {
                    [var one] => one,
                    var many => throw new InvalidOperationException(
                        $"The tag '{tags.Key}' is given {many.Count} different descriptions: give every WithTag of it the same one."),
                });
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            {
                if (tag.Name is { } name && descriptions.TryGetValue(name, out var description)) tag.Description = description;
            }
        }
    }
}
