using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Donations;

/// <summary>
/// The opaque keyset cursor of a list: the sort it was made for and the position of the last row served, as
/// base64url JSON, then a dot and a truncated HMAC-SHA256 of that JSON. An edited or forged cursor fails the check.
/// The key is the database's own (settings.cursor_key), so cursors survive restarts and hold across instances.
/// </summary>
public sealed class PageCursor(Database connections)
{
    private const int MacBytes = 16;
    private const int MaxLength = 2048;
    private byte[]? _key;

    public sealed record Position(string Sort, IReadOnlyList<JsonElement> Values);

    private sealed record Payload(string S, IReadOnlyList<object?> P);

    public async Task<string> EncodeAsync(string sort, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(sort, values), JsonOptions);
        var mac = HMACSHA256.HashData(await KeyAsync(cancellationToken), payload).AsSpan(0, MacBytes);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>The position in a cursor, or null when it is malformed or its signature does not match.</summary>
    public async Task<Position?> DecodeAsync(string cursor, CancellationToken cancellationToken)
    {
        var parts = cursor.Split('.');
        if (cursor.Length > MaxLength || parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1])) return null;
        var payload = Base64Url.DecodeFromChars(parts[0]);
        var expected = HMACSHA256.HashData(await KeyAsync(cancellationToken), payload).AsSpan(0, MacBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[1]))) return null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return new Position(root.GetProperty("s").GetString()!, root.GetProperty("p").EnumerateArray().Select(v => v.Clone()).ToList());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } key) return key;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var hex = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT value FROM settings WHERE key = 'cursor_key'", cancellationToken: cancellationToken));
        return _key = Convert.FromHexString(hex);
    }
}
