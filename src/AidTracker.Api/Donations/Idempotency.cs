using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Donations;

/// <summary>How long a POST's Idempotency-Key is remembered: <c>Idempotency:KeyLifetimeHours</c>.</summary>
public sealed class IdempotencyOptions
{
    public int KeyLifetimeHours { get; set; } = 24;
}

/// <summary>A response as it was first sent, to send again to a retry.</summary>
public sealed record StoredResponse(int Status, string? Location, string? ETag, string Body) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = Status;
        if (Location is not null) http.Response.Headers.Location = Location;
        if (ETag is not null) http.Response.Headers.ETag = ETag;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(Body);
    }
}

/// <summary>
/// Idempotency-Key for POSTs (draft-ietf-httpapi-idempotency-key-header). A key belongs to the API key that sent it.
/// While a request with a key runs, a second one with the same key gets 409 (this process tracks what runs: a crash
/// forgets it, and the database then holds the first response or nothing, never half). The first response is stored
/// in the transaction of the write it reports (<see cref="RecordAsync"/>).
/// </summary>
public sealed class IdempotencyStore(Database connections, IOptions<IdempotencyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Holder, string Key), bool> _running = new();

    /// <summary>The header as sent: binding reads an empty Idempotency-Key as none, which would ignore it silently.</summary>
    public static string? KeyOf(HttpRequest request, string? bound) =>
        bound ?? (request.Headers.ContainsKey("Idempotency-Key") ? "" : null);

    /// <summary>The longest key taken.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The Idempotency-Key header of a create, as the document describes it.</summary>
    public const string HeaderDescription = "Any unique string up to 255 printable ASCII characters, such as a UUID. A retry with the same key and body gets the first response again (Idempotent-Replayed: true) and records nothing; the same key with another body is a 422, and while the first request still runs, a 409. Keys are per API key and kept 24 hours.";

    /// <summary>The characters of a key: printable ASCII, from the space to the tilde.</summary>
    private const char FirstKeyCharacter = ' ', LastKeyCharacter = '~';

    /// <summary>What <see cref="IsValidKey"/> takes, for the OpenAPI document: the header's pattern and length.</summary>
    public static readonly TextParameter KeyValue = new("Idempotency-Key", $"^[{FirstKeyCharacter}-{LastKeyCharacter}]+$", MaxKeyLength);

    /// <summary>The 400 for a key that <see cref="IsValidKey"/> refuses.</summary>
    public static ValidationProblem KeyRefusal() => Problems.Validation("Idempotency-Key", "Idempotency-Key must be 1 to 255 printable ASCII characters.");

    public static bool IsValidKey(string key) => key.Length is >= 1 and <= MaxKeyLength && key.All(c => c is >= FirstKeyCharacter and <= LastKeyCharacter);

    public abstract record Start;

    /// <summary>Go ahead; dispose the claim when the request is done, whatever happened.</summary>
    public sealed record Claimed(Claim Claim) : Start;

    public sealed record Replay(StoredResponse Response) : Start;

    public sealed record InProgress : Start;

    public sealed record OtherRequest : Start;

    public sealed class Claim(IdempotencyStore store, string holder, string key, string requestSha256) : IDisposable
    {
        public string Holder { get; } = holder;
        public string Key { get; } = key;
        public string RequestSha256 { get; } = requestSha256;

        public void Dispose() => store._running.TryRemove((Holder, Key), out _);
    }

    public async Task<Start> StartAsync(string holder, string key, string requestSha256, CancellationToken cancellationToken)
    {
        if (!_running.TryAdd((holder, key), true)) return new InProgress();
        var claim = new Claim(this, holder, key, requestSha256);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var stored = await connection.QuerySingleOrDefaultAsync<(string RequestSha256, long Status, string? Location, string? ETag, string Body)?>(
                new CommandDefinition(
                    """
                    SELECT request_sha256, status, location, etag, body FROM idempotency_keys
                    WHERE key_holder = @Holder AND key = @Key AND expires_at > @Now
                    """,
                    new { Holder = holder, Key = key, Now = Timestamps.Format(clock.GetUtcNow()) }, cancellationToken: cancellationToken));
            if (stored is not { } first) return new Claimed(claim);
            claim.Dispose();
            return first.RequestSha256 == requestSha256
                ? new Replay(new StoredResponse((int)first.Status, first.Location, first.ETag, first.Body))
                : new OtherRequest();
        }
        catch
        {
            claim.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a create once per key holder and key: the first request runs <paramref name="create"/>, which records its
    /// answer through the claim in its own transaction (<see cref="RecordAsync"/>); a retry with the same body gets that
    /// answer again (Idempotent-Replayed), the key with another body a 422, and a request while the first runs a 409.
    /// </summary>
    /// <remarks>The body is told apart by the SHA-256 of its JSON as the API reads it (<paramref name="json"/>).</remarks>
    public async Task<IResult> OnceAsync<TRequest>(
        string holder, string key, TRequest request, JsonSerializerOptions json, Func<Claim, Task<IResult>> create, string noun, CancellationToken cancellationToken)
    {
        var requestSha256 = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json)));
        var start = await StartAsync(holder, key, requestSha256, cancellationToken);
        if (start is Claimed { Claim: var claim })
        {
            using (claim)
            {
                try
                {
                    return await create(claim);
                }
                catch (RecordedElsewhereException)
                {
                    // Another instance took the key while this one ran: its write stands, this one was rolled back.
                }
            }
            start = await StartAsync(holder, key, requestSha256, cancellationToken);
            if (start is Claimed { Claim: var expired }) expired.Dispose();
        }
        return start switch
        {
            Replay replay => replay.Response,
            OtherRequest => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"This Idempotency-Key was used for a request with another body. Use a new key for a new {noun}.",
                extensions: new Dictionary<string, object?> { [Problems.FieldErrors.Name] = new Dictionary<string, string[]> { ["Idempotency-Key"] = ["used for another body"] } }),
            _ => Problems.Status(StatusCodes.Status409Conflict,
                "A request with this Idempotency-Key is still running. Retry once it has finished, and you will get its response."),
        };
    }

    /// <summary>Stores the response to a claimed request inside the write's transaction, and drops expired keys.</summary>
    public async Task RecordAsync(WriteScope write, Claim claim, StoredResponse response, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE expires_at <= @Now", new { Now = Timestamps.Format(now) }, write.Transaction, cancellationToken: cancellationToken));
        var recorded = await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_keys (key_holder, key, request_sha256, status, location, etag, body, created_at, expires_at)
            VALUES (@Holder, @Key, @RequestSha256, @Status, @Location, @ETag, @Body, @Now, @ExpiresAt)
            ON CONFLICT (key_holder, key) DO NOTHING
            """,
            new
            {
                claim.Holder, claim.Key, claim.RequestSha256, response.Status, response.Location, response.ETag, response.Body,
                Now = Timestamps.Format(now), ExpiresAt = Timestamps.Format(now.AddHours(options.Value.KeyLifetimeHours)),
            },
            write.Transaction, cancellationToken: cancellationToken));
        if (recorded == 0) throw new RecordedElsewhereException();
    }
}

/// <summary>
/// The same key was recorded by another instance while this request ran (both found it unused, and the write lock let
/// the other commit first). Thrown inside the write, so that it rolls back; the caller answers with the stored response.
/// </summary>
public sealed class RecordedElsewhereException() : Exception("The Idempotency-Key was recorded by another request first.");
