using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AidTracker.Api.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Auth;

public enum ApiKeyRole { Reader, Editor, Admin }

public sealed class ApiKeyRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? RevokedAt { get; set; }
}

/// <summary>API keys. Only the SHA-256 of a secret is stored; the secret is shown once, when it is made.</summary>
public sealed class ApiKeyRepository(SqliteConnectionFactory connections, TimeProvider clock)
{
    /// <summary>Secrets start with this prefix, so that leaked-secret scanners can recognise them.</summary>
    public const string SecretPrefix = "atk_";

    private const string Columns = "id, name, role, created_at, revoked_at";

    /// <summary>Creates a key and returns it with its secret; null when an active key already has the name.</summary>
    public async Task<(ApiKeyRow Key, string Secret)?> CreateAsync(string name, ApiKeyRole role, CancellationToken cancellationToken)
    {
        var secret = SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        try
        {
            var key = await write.Connection.QuerySingleAsync<ApiKeyRow>(new CommandDefinition(
                $"""
                INSERT INTO api_keys (name, role, secret_hash, created_at) VALUES (@Name, @Role, @SecretHash, @CreatedAt)
                RETURNING {Columns}
                """,
                new { Name = name, Role = WireEnum<ApiKeyRole>.Name(role), SecretHash = Hash(secret), CreatedAt = Timestamps.Format(clock.GetUtcNow()) },
                write.Transaction, cancellationToken: cancellationToken));
            await write.CommitAsync(cancellationToken);
            return (key, secret);
        }
        catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e))
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys ORDER BY id", cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Revokes the active key with this name; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var affected = await write.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @At WHERE name = @Name AND revoked_at IS NULL",
            new { Name = name, At = Timestamps.Format(clock.GetUtcNow()) }, write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        return affected > 0;
    }

    public async Task<ApiKeyRow?> FindActiveAsync(string secret, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE secret_hash = @SecretHash AND revoked_at IS NULL",
            new { SecretHash = Hash(secret) }, cancellationToken: cancellationToken));
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
