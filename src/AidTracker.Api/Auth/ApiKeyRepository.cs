using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Auth;

public enum ApiKeyRole { Reader, Editor, Reviewer, Admin }

public sealed class ApiKeyRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? RevokedAt { get; set; }
    public string? ExpiresAt { get; set; }
    public string? LastUsedAt { get; set; }

    /// <summary>1 when the key's writes are published at once (an admin's, or a trusted editor's), 0 when they are drafts for review.</summary>
    public long Publishes { get; set; }
}

/// <summary>API keys. Only the SHA-256 of a secret is stored; the secret is shown once, when it is made.</summary>
public sealed class ApiKeyRepository(Database connections, TimeProvider clock)
{
    /// <summary>Secrets start with this prefix, so that leaked-secret scanners can recognise them.</summary>
    public const string SecretPrefix = "atk_";

    private const string Columns = "id, name, role, created_at, revoked_at, expires_at, last_used_at, publishes";

    /// <summary>
    /// Creates a key and returns it with its secret; null when an active key already has the name. Its writes are
    /// drafts for review unless <paramref name="publishes"/> (an admin's always publish).
    /// </summary>
    public async Task<(ApiKeyRow Key, string Secret)?> CreateAsync(
        string name, ApiKeyRole role, CancellationToken cancellationToken, DateTimeOffset? expiresAt = null, bool publishes = false)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        try
        {
            var created = await InsertAsync(write, name, role, publishes || role == ApiKeyRole.Admin, expiresAt, cancellationToken);
            await write.CommitAsync(cancellationToken);
            return created;
        }
        catch (DbException e) when (connections.Dialect.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Rotates the active key with this name: a new key with the same name, role and publishing (and the given expiry) now, and
    /// the old one revoked once <paramref name="overlap"/> has passed, so that clients can switch over. Null when no
    /// active key has the name.
    /// </summary>
    public async Task<(ApiKeyRow Key, string Secret, DateTimeOffset OldKeyEnds)?> RotateAsync(
        string name, TimeSpan overlap, CancellationToken cancellationToken, DateTimeOffset? expiresAt = null)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var ends = clock.GetUtcNow() + overlap;
        var old = await write.Connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"UPDATE api_keys SET revoked_at = @Ends WHERE name = @Name AND revoked_at IS NULL RETURNING {Columns}",
            new { Name = name, Ends = Timestamps.Format(ends) }, write.Transaction, cancellationToken: cancellationToken));
        if (old is null) return null;
        var (key, secret) = await InsertAsync(write, name, WireEnum<ApiKeyRole>.Parse(old.Role), old.Publishes == 1, expiresAt, cancellationToken);
        await write.CommitAsync(cancellationToken);
        return (key, secret, ends);
    }

    private async Task<(ApiKeyRow Key, string Secret)> InsertAsync(
        WriteScope write, string name, ApiKeyRole role, bool publishes, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var secret = SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = await write.Connection.QuerySingleAsync<ApiKeyRow>(new CommandDefinition(
            $"""
            INSERT INTO api_keys (name, role, secret_hash, created_at, expires_at, publishes) VALUES (@Name, @Role, @SecretHash, @CreatedAt, @ExpiresAt, @Publishes)
            RETURNING {Columns}
            """,
            new
            {
                Name = name, Role = WireEnum<ApiKeyRole>.Name(role), SecretHash = Hash(secret), CreatedAt = Timestamps.Format(clock.GetUtcNow()),
                ExpiresAt = expiresAt is { } expires ? Timestamps.Format(expires) : null, Publishes = publishes ? 1L : 0L,
            },
            write.Transaction, cancellationToken: cancellationToken));
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys ORDER BY id", cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Revokes, at once, every secret of this name that still works: the active one and any old one still in its
    /// rotation overlap. Returns the ids revoked; none when no secret of the name works.
    /// </summary>
    public Task<IReadOnlyList<long>> RevokeAsync(string name, CancellationToken cancellationToken) =>
        RevokeWhereAsync("name = @Name", new { Name = name }, cancellationToken);

    /// <summary>Revokes one secret, at once, if it still works. Returns its id, or none.</summary>
    public Task<IReadOnlyList<long>> RevokeAsync(long id, CancellationToken cancellationToken) =>
        RevokeWhereAsync("id = @Id", new { Id = id }, cancellationToken);

    private async Task<IReadOnlyList<long>> RevokeWhereAsync(string which, object parameters, CancellationToken cancellationToken)
    {
        var values = new DynamicParameters(parameters);
        values.Add("At", Timestamps.Format(clock.GetUtcNow()));
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        // A rotated secret has its end in revoked_at, in the future: it still works, so it is revoked too. An expired
        // one works no more: there is nothing to revoke.
        var revoked = await write.Connection.QueryAsync<long>(new CommandDefinition(
            $"UPDATE api_keys SET revoked_at = @At WHERE {which} AND (revoked_at IS NULL OR revoked_at > @At) AND (expires_at IS NULL OR expires_at > @At) RETURNING id",
            values, write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        return revoked.Order().ToList();
    }

    /// <summary>The key with this secret, revoked and expired ones included: the caller says which is which.</summary>
    public async Task<ApiKeyRow?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        // The primary, not a replica: a revocation takes effect at once, not when the replica catches up.
        await using var connection = await connections.OpenPrimaryAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE secret_hash = @SecretHash",
            new { SecretHash = Hash(secret) }, cancellationToken: cancellationToken));
    }

    /// <summary>Why a key may not be used now, or null when it may.</summary>
    public string? Refusal(ApiKeyRow key)
    {
        var now = Timestamps.Format(clock.GetUtcNow());
        if (key.RevokedAt is { } revoked && string.CompareOrdinal(revoked, now) <= 0) return "The API key has been revoked.";
        if (key.ExpiresAt is { } expires && string.CompareOrdinal(expires, now) <= 0) return $"The API key expired at {expires}.";
        return null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
