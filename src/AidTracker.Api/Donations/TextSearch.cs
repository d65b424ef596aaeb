using System.Text;

namespace AidTracker.Api.Donations;

/// <summary>
/// Turns a user's <c>q</c> into an FTS5 query that cannot be a syntax error: words (optionally ending in <c>*</c> for
/// a prefix) and "quoted phrases", all required. Every term is quoted for FTS5, so its operators and punctuation
/// (AND, OR, NOT, NEAR, ^, :, parentheses) are plain text.
/// </summary>
public static class TextSearch
{
    public const int MaxLength = 200;
    private const int MaxTerms = 16;

    /// <summary>The FTS5 query, or null with the reason when <paramref name="q"/> cannot be searched.</summary>
    public static string? ToFtsQuery(string q, out string? error)
    {
        error = null;
        if (q.Length > MaxLength)
        {
            error = $"q is longer than {MaxLength} characters.";
            return null;
        }
        var terms = new List<string>();
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
        return string.Join(' ', terms);
    }

    private static void AddTerm(List<string> terms, string text, bool prefix)
    {
        // Keep letters, digits and inner spaces; the tokenizer would split on anything else anyway.
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC)) cleaned.Append(char.IsLetterOrDigit(c) ? c : ' ');
        var words = cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return;
        terms.Add($"\"{string.Join(' ', words)}\"{(prefix ? " *" : "")}");
    }
}
