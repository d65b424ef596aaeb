using AidTracker.Api.Auth;
using AidTracker.Api.Common;

namespace AidTracker.Api.Cli;

/// <summary><c>keys create</c>, <c>keys rotate</c>, <c>keys list</c>, <c>keys revoke --name NAME | --id ID</c>: see <see cref="Usage"/>.</summary>
public static class KeysCommand
{
    public const string Usage = """
        keys create --name NAME --role reader|editor|reviewer|admin [--expires-in 90d] [--publishes yes|no]
                                                  creates a key and prints its secret, once; an editor's or
                                                  reviewer's writes are drafts for review unless --publishes yes
                                                  (a trusted editor); an admin's are always published
        keys rotate --name NAME [--overlap 24h] [--expires-in 90d]
                                                  a new secret for the key with that name; the old one works until
                                                  the overlap has passed (0s: at once)
        keys list                                 lists keys, one line per secret with its id (never the secret)
        keys revoke --name NAME                   revokes every secret with that name, at once (a rotated one
                                                  still in its overlap too)
        keys revoke --id ID                       revokes one secret, at once
        Durations: a number and d, h, m or s.
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var keys = services.GetRequiredService<ApiKeyRepository>();
        var clock = services.GetRequiredService<TimeProvider>();
        var options = CommandOptions.Parse(args.Skip(1));
        switch (args.FirstOrDefault())
        {
            case "create" when options.TryGetValue("name", out var name) && options.TryGetValue("role", out var roleName)
                && options.Keys.All(o => o is "name" or "role" or "expires-in" or "publishes"):
            {
                if (name.Length is 0 or > 100) return Fail(error, "--name must be 1 to 100 characters.");
                if (!WireEnum<ApiKeyRole>.TryParse(roleName, out var role)) return Fail(error, $"--role must be one of: {string.Join(", ", WireEnum<ApiKeyRole>.Names)}.");
                if (!TryExpiry(options, clock, out var expiresAt)) return Fail(error, "--expires-in must be a positive duration such as 90d or 12h.");
                if (options.GetValueOrDefault("publishes", "no") is not ("yes" or "no") and var publishes) return Fail(error, $"--publishes must be yes or no, not '{publishes}'.");
                if (await keys.CreateAsync(name, role, CancellationToken.None, expiresAt, options.GetValueOrDefault("publishes") == "yes") is not { } created)
                {
                    return Fail(error, $"An active key is already named '{name}'. Rotate it (keys rotate), revoke it, or choose another name.");
                }
                await output.WriteLineAsync($"Created key {created.Key.Id} '{created.Key.Name}' with role {created.Key.Role}{Expiry(created.Key)}, {(created.Key.Publishes == 1 ? "whose writes are published at once" : "whose writes are drafts for review")}. Its secret, shown only this once:");
                await output.WriteLineAsync(created.Secret);
                return 0;
            }
            case "rotate" when options.TryGetValue("name", out var name) && options.Keys.All(o => o is "name" or "overlap" or "expires-in"):
            {
                if (!TryDuration(options.GetValueOrDefault("overlap", "24h"), out var overlap)) return Fail(error, "--overlap must be a duration such as 24h, or 0s.");
                if (!TryExpiry(options, clock, out var expiresAt)) return Fail(error, "--expires-in must be a positive duration such as 90d or 12h.");
                if (await keys.RotateAsync(name, overlap, CancellationToken.None, expiresAt) is not { } rotated)
                {
                    return Fail(error, $"No active key is named '{name}'.");
                }
                await output.WriteLineAsync(
                    $"Rotated '{name}': key {rotated.Key.Id}{Expiry(rotated.Key)} replaces it; the old secret works until {Timestamps.Format(rotated.OldKeyEnds)}. The new secret, shown only this once:");
                await output.WriteLineAsync(rotated.Secret);
                return 0;
            }
            case "list" when options.Count == 0:
                await output.WriteLineAsync("id\tname\trole\tpublishes\tcreated_at\trevoked_at\texpires_at\tlast_used_at");
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    await output.WriteLineAsync($"{key.Id}\t{key.Name}\t{key.Role}\t{(key.Publishes == 1 ? "yes" : "no")}\t{key.CreatedAt}\t{key.RevokedAt}\t{key.ExpiresAt}\t{ToMinute(key.LastUsedAt)}");
                }
                return 0;
            case "revoke" when options.Count == 1 && options.TryGetValue("name", out var name):
            {
                var revoked = await keys.RevokeAsync(name, CancellationToken.None);
                if (revoked.Count == 0) return Fail(error, $"No secret named '{name}' still works: nothing to revoke.");
                await output.WriteLineAsync($"Revoked every secret named '{name}': {Ids(revoked)}.");
                return 0;
            }
            case "revoke" when options.Count == 1 && options.TryGetValue("id", out var idText):
            {
                if (!long.TryParse(idText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                {
                    return Fail(error, "--id must be a key's id, as keys list shows it.");
                }
                if ((await keys.RevokeAsync(id, CancellationToken.None)).Count == 0) return Fail(error, $"No key with id {id} still works: nothing to revoke (keys list shows the ids).");
                await output.WriteLineAsync($"Revoked key {id}.");
                return 0;
            }
            default:
                return Fail(error, "Usage:\n" + Usage);
        }
    }

    /// <summary>Last use is kept to the minute: 2026-03-01T09:16Z.</summary>
    private static string? ToMinute(string? stored) =>
        stored is null ? null : Timestamps.Parse(stored).ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Ids(IReadOnlyList<long> ids) =>
        (ids.Count == 1 ? "key " : "keys ") + string.Join(", ", ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string Expiry(ApiKeyRow key) => key.ExpiresAt is { } expires ? $", expiring at {expires}" : "";

    private static bool TryExpiry(Dictionary<string, string> options, TimeProvider clock, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (!options.TryGetValue("expires-in", out var text)) return true;
        if (!TryDuration(text, out var duration) || duration <= TimeSpan.Zero) return false;
        expiresAt = clock.GetUtcNow() + duration;
        return true;
    }

    /// <summary>A number and d, h, m or s: 90d, 12h, 0s.</summary>
    private static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)) return false;
        duration = text[^1] switch
        {
            'd' => TimeSpan.FromDays(number),
            'h' => TimeSpan.FromHours(number),
            'm' => TimeSpan.FromMinutes(number),
            's' => TimeSpan.FromSeconds(number),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
