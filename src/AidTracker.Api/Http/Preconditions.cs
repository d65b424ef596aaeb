using Microsoft.Net.Http.Headers;

namespace AidTracker.Api.Http;

/// <summary>Strong ETags, and the If-None-Match / If-Match rules of RFC 9110.</summary>
public static class Preconditions
{
    /// <summary>
    /// A donation's ETag: its row version, then the reference version (countries and weapon systems), since its JSON
    /// carries their names and category. If-Match reads only the row version (<see cref="TryReadIfMatch"/>).
    /// </summary>
    public static string ETag(long version, long referenceVersion) => $"\"{version}.{referenceVersion}\"";

    /// <summary>True when If-None-Match names <paramref name="etag"/> (weak comparison) or is <c>*</c>: the client's copy is current.</summary>
    public static bool IfNoneMatchHits(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags)) return false;
        var current = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The row versions that If-Match accepts: null for <c>*</c> (any current version), an empty set when it names no
    /// strong donation ETag. A tag's row version is what precedes its dot, so a rename of a country or weapon system
    /// between a read and a write does not refuse the write: what If-Match guards is the row. Returns false when the
    /// header is absent.
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
            .Select(tag => RowVersion(tag.Tag.AsSpan().Trim('"')))
            .Where(version => version > 0)
            .ToHashSet();
        return true;
    }

    /// <summary>What precedes the dot: what follows it (reference version, content coding) does not concern the row.</summary>
    private static long RowVersion(ReadOnlySpan<char> tag)
    {
        var dot = tag.IndexOf('.');
        return long.TryParse(dot >= 0 ? tag[..dot] : tag, out var version) ? version : -1;
    }
}
