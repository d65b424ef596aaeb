using Microsoft.Net.Http.Headers;

namespace AidTracker.Api.Infrastructure;

/// <summary>Strong ETags on a row's version, and the If-None-Match / If-Match rules of RFC 9110.</summary>
public static class Preconditions
{
    public static string ETag(long version) => $"\"{version}\"";

    /// <summary>True when If-None-Match names this version (weak comparison) or is <c>*</c>: the client's copy is current.</summary>
    public static bool IfNoneMatchHits(HttpRequest request, long version)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags)) return false;
        var current = new EntityTagHeaderValue(ETag(version));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The versions that If-Match accepts: null for <c>*</c> (any current version), an empty set when it names no
    /// strong version tag. Returns false when the header is absent.
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out IReadOnlySet<long>? acceptedVersions)
    {
        acceptedVersions = null;
        var header = request.Headers.IfMatch;
        if (header.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            acceptedVersions = new HashSet<long>();
            return true;
        }
        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any))) return true;
        acceptedVersions = tags
            .Where(tag => !tag.IsWeak)
            .Select(tag => long.TryParse(tag.Tag.AsSpan().Trim('"'), out var version) ? version : -1)
            .Where(version => version > 0)
            .ToHashSet();
        return true;
    }
}
