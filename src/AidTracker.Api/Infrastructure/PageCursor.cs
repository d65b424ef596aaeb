using System.Buffers.Text;
using System.Text.Json;

namespace AidTracker.Api.Infrastructure;

/// <summary>
/// The opaque keyset cursor of a list: the position of the last row served. It is base64url JSON so that later
/// sort keys can join the id without breaking its shape; clients must treat it as opaque.
/// </summary>
public static class PageCursor
{
    private sealed record Payload(long AfterId);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string Encode(long afterId) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(afterId), Options));

    public static bool TryDecode(string? cursor, out long afterId)
    {
        afterId = 0;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 512 || !Base64Url.IsValid(cursor)) return false;
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(cursor), Options);
            if (payload is null || payload.AfterId < 1) return false;
            afterId = payload.AfterId;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
