using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AidTracker.Api.Http;

/// <summary>
/// Every ETag the service sends, and the If-None-Match / If-Match rules of RFC 9110 that read them. All are strong. A
/// tag ends with the content coding of the response that carries it (<c>-br</c>, <c>-gzip</c>), since a compressed
/// answer is other bytes than the plain one; an uncompressed answer's tag has no suffix.
/// </summary>
public static class ETags
{
    /// <summary>
    /// A row's ETag (a donation): its row version, then the reference version (countries and weapon systems), since its
    /// JSON carries their names and category. If-Match reads only the row version (<see cref="TryReadIfMatch"/>).
    /// </summary>
    public static string ForRow(long version, long referenceVersion) => $"\"{version}.{referenceVersion}\"";

    /// <summary>A cached read's ETag: the data version, 64 bits of the normalised request's SHA-256, and the content coding.</summary>
    public static string ForRead(long version, string normalisedRequest, string? coding)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalisedRequest), hash);
        return WithCoding($"\"{version}-{Convert.ToHexStringLower(hash[..8])}\"", coding);
    }

    /// <summary><paramref name="etag"/> with the content coding's suffix; unchanged without a coding.</summary>
    public static string WithCoding(string etag, string? coding) => coding is null ? etag : $"{etag[..^1]}-{coding}\"";

    /// <summary>An ETag made by a handler, with the content coding that this response will have.</summary>
    public static string WithCoding(HttpContext http, string etag) =>
        WithCoding(etag, http.RequestServices.GetRequiredService<IResponseCompressionProvider>().GetCompressionProvider(http)?.EncodingName);

    /// <summary>
    /// True when an If-None-Match header names <paramref name="etag"/> (weak comparison, as RFC 9110 13.1.2 asks) or is
    /// <c>*</c>: the client's copy is current. An absent or malformed header never matches.
    /// </summary>
    public static bool IfNoneMatchHits(StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var current = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The row versions that an If-Match header accepts: null for <c>*</c> (any current version), an empty set when it
    /// names no strong row ETag (a weak tag never matches, RFC 9110 13.1.1). A tag's row version is what precedes its
    /// dot, so a rename of a country or weapon system between a read and a write does not refuse the write: what
    /// If-Match guards is the row. Returns false when the header is absent.
    /// </summary>
    public static bool TryReadIfMatch(StringValues ifMatch, out IReadOnlySet<long>? acceptedVersions)
    {
        acceptedVersions = null;
        if (ifMatch.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(ifMatch, out var tags))
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
