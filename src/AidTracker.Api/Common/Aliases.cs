using System.Text.Encodings.Web;
using System.Text.Json;

namespace AidTracker.Api.Common;

/// <summary>
/// Other names of a reference entry (a country's demonyms and adjectives, a weapon system's designations, plurals and
/// local names), which q and text extraction read. Stored as a JSON array of strings in an <c>aliases</c> column, read
/// in SQL with SQLite's <c>json_each(aliases)</c> or PostgreSQL's <c>jsonb_array_elements_text(aliases::jsonb)</c>.
/// </summary>
public static class Aliases
{
    public const int MaxLength = 100;

    public const int MaxCount = 50;

    /// <summary>What the API says of a list of aliases, in the document and in problems.</summary>
    /// <remarks>A constant for attributes, so its numbers are written out: they are <see cref="MaxLength"/> and <see cref="MaxCount"/>.</remarks>
    public const string Rule = "Each alias is non-blank, at most 100 characters, with no control character; at most 50 aliases, no two equal ignoring case.";

    // Stored as written, accents and all, so that the column reads as text in SQL.
    private static readonly JsonSerializerOptions Stored = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(IReadOnlyList<string>? aliases) => JsonSerializer.Serialize(aliases ?? [], Stored);

    public static IReadOnlyList<string> FromJson(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>Why <paramref name="aliases"/> cannot be stored, or null when it can (none at all can).</summary>
    public static string? Problem(IReadOnlyList<string?>? aliases)
    {
        if (aliases is null) return null;
        if (aliases.Count > MaxCount) return $"'aliases' holds {aliases.Count} aliases, more than {MaxCount}.";
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in aliases)
        {
            if (string.IsNullOrWhiteSpace(alias)) return "'aliases' holds a blank alias.";
            if (alias.Length > MaxLength) return $"'aliases' holds an alias longer than {MaxLength} characters: '{alias[..20]}…'.";
            if (alias.Any(char.IsControl)) return "'aliases' holds an alias with a control character.";
            if (!seen.Add(alias)) return $"'aliases' holds '{alias}' twice (ignoring case).";
        }
        return null;
    }
}
