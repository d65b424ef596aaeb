using System.Globalization;
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
    public const string Rule = "Each alias is non-blank, at most 100 characters, with no blank at either end and no control or format character (U+2028 and U+2029 among them); at most 50 aliases, no two equal ignoring case.";

    // Stored as written, accents and all, so that the column reads as text in SQL.
    private static readonly JsonSerializerOptions Stored = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(IReadOnlyList<string>? aliases) => JsonSerializer.Serialize(aliases ?? [], Stored);

    public static IReadOnlyList<string> FromJson(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>
    /// Why <paramref name="aliases"/> cannot be stored, each naming <c>aliases</c> or the alias at fault
    /// (<c>aliases[2]</c>); none when it can (none at all can).
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Problems(IReadOnlyList<string?>? aliases)
    {
        if (aliases is null) yield break;
        if (aliases.Count > MaxCount) yield return ("aliases", $"'aliases' holds {aliases.Count} aliases, more than {MaxCount}.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < aliases.Count; i++)
        {
            var field = $"aliases[{i}]";
            if (AliasProblem(aliases[i], field) is { } problem) yield return (field, problem);
            else if (!seen.Add(aliases[i]!.Trim())) yield return (field, $"'{field}' is '{aliases[i]}', which 'aliases' already holds (ignoring case).");
        }
    }

    private static string? AliasProblem(string? alias, string field)
    {
        if (string.IsNullOrWhiteSpace(alias)) return $"'{field}' is blank.";
        if (alias.Length > MaxLength) return $"'{field}' is longer than {MaxLength} characters: '{alias[..20]}…'.";
        if (alias.Trim() != alias) return $"'{field}' begins or ends with a blank: '{alias}'.";
        var at = alias.ToList().FindIndex(IsRefused);
        if (at >= 0) return $"'{field}' holds the character U+{(int)alias[at]:X4} at position {at}: an alias holds no control or format character, nor a line or paragraph separator, nor a private-use character.";
        return null;
    }

    private static bool IsRefused(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse;
}
