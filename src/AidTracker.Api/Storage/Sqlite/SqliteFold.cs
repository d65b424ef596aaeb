using System.Text;

namespace AidTracker.Api.Storage.Sqlite;

/// <summary>
/// Text folded for a search that ignores case and accents, as PostgreSQL's <c>lower(unaccent(…))</c> does
/// (<see cref="SqlDialect.Folded"/>): registered on every SQLite connection as <see cref="Function"/>. The service runs
/// with invariant globalization, where .NET cannot decompose a letter, so the Latin letters with diacritics (Latin-1
/// and Latin Extended-A: the languages of the donors) map to their base letter by this table; other letters are only
/// lower-cased.
/// </summary>
public static class SqliteFold
{
    public const string Function = "aidtracker_fold";

    private const char First = '\u00C0';

    // U+00C0 to U+017F, one base letter each; a letter without one (Æ, ß, Þ, Ĳ, Œ) or a sign (×, ÷) stands for itself.
    private const string Bases =
        "AAAAAAÆCEEEEIIII" + "DNOOOOO×OUUUUYÞß" + "aaaaaaæceeeeiiii" + "dnooooo÷ouuuuyþy" +
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi" + "ĲĳJjKkĸ" + "LlLlLlLlLl" + "NnNnNnnŊŋ" + "OoOoOo" + "Œœ" +
        "RrRrRr" + "SsSsSsSs" + "TtTtTt" + "UuUuUuUuUuUu" + "Ww" + "YyY" + "ZzZzZz" + "s";

    /// <summary><paramref name="text"/> in lower case, without the diacritics of the letters the table knows; null stays null.</summary>
    public static string? Fold(string? text)
    {
        if (text is null) return null;
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var index = c - First;
            folded.Append(char.ToLowerInvariant(index >= 0 && index < Bases.Length ? Bases[index] : c));
        }
        return folded.ToString();
    }
}
