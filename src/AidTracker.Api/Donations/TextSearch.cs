using System.Text;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Donations;

/// <summary>
/// Turns a user's <c>q</c> into the engine's search query (<see cref="SqlDialect.SearchQuery"/>) that cannot be a
/// syntax error: words (optionally ending in <c>*</c> for a prefix) and "quoted phrases", all required. Only letters
/// and digits reach the engine, so its operators and punctuation (FTS5's AND, OR, NEAR, ^, :; tsquery's &amp;, |, !) are
/// never read as such.
/// </summary>
public static class TextSearch
{
    public const int MaxLength = 200;
    private const int MaxTerms = 16;

    /// <summary>The engine's query, or null with the reason when <paramref name="q"/> cannot be searched.</summary>
    public static string? ToQuery(string q, SqlDialect dialect, out string? error)
    {
        error = null;
        if (q.Length > MaxLength)
        {
            error = $"q is longer than {MaxLength} characters.";
            return null;
        }
        var terms = new List<(IReadOnlyList<string> Words, bool Prefix)>();
        var i = 0;
        while (i < q.Length)
        {
            if (char.IsWhiteSpace(q[i])) { i++; continue; }
            if (q[i] == '"')
            {
                var end = q.IndexOf('"', i + 1);
                if (end < 0)
                {
                    error = "q has an unclosed quote.";
                    return null;
                }
                AddTerm(terms, q[(i + 1)..end], prefix: false);
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < q.Length && !char.IsWhiteSpace(q[i]) && q[i] != '"') i++;
            var word = q[start..i];
            AddTerm(terms, word.TrimEnd('*'), prefix: word.EndsWith('*'));
        }
        if (terms.Count == 0)
        {
            error = "q has no word to search for.";
            return null;
        }
        if (terms.Count > MaxTerms)
        {
            error = $"q has more than {MaxTerms} terms.";
            return null;
        }
        return dialect.SearchQuery(terms);
    }

    private static void AddTerm(List<(IReadOnlyList<string> Words, bool Prefix)> terms, string text, bool prefix)
    {
        // Keep letters, digits and inner spaces; the tokenizer would split on anything else anyway.
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC)) cleaned.Append(char.IsLetterOrDigit(c) ? c : ' ');
        var words = cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return;
        terms.Add((words, prefix));
    }
}
