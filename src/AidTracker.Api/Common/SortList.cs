namespace AidTracker.Api.Common;

/// <summary>One key of a sort list as parsed: the declared name it matched, and its direction.</summary>
public readonly record struct SortTerm(string Name, bool Descending);

/// <summary>
/// The one parser of <c>sort=a,-b</c>, for every list that sorts: comma-separated keys, each one of the declared
/// names (matched in any case) with a leading '-' for descending; no key twice; and, where the keys include a unique
/// one, no key after it, since it would never apply. The caller adds its own tiebreak to what comes back.
/// </summary>
/// <param name="names">The keys this list sorts by, in the order a problem lists them.</param>
/// <param name="unique">A key that is unique per row (such as id), after which no key may follow; null when none is.</param>
/// <param name="here">Said after "is not a sort key" where the keys depend on the request (" here"), else empty.</param>
public sealed class SortList(IEnumerable<string> names, string? unique = null, string here = "")
{
    public WireNames Names { get; } = new(names);

    /// <summary>The keys of <paramref name="sort"/> in order; each problem goes to <paramref name="error"/>, and the key is left out.</summary>
    public List<SortTerm> Parse(string sort, Action<string> error)
    {
        var terms = new List<SortTerm>();
        foreach (var item in sort.Split(',', StringSplitOptions.TrimEntries))
        {
            var descending = item.StartsWith('-');
            var typed = descending ? item[1..] : item;
            if (!Names.TryMatch(typed, out var name))
            {
                error($"'{item}' is not a sort key{here}. Use any of: {string.Join(", ", Names)}, each with '-' for descending.");
            }
            else if (terms.Exists(term => term.Name == name))
            {
                error($"'{typed}' appears more than once.");
            }
            else if (terms.Count > 0 && terms[^1].Name == unique)
            {
                error($"'{typed}' follows '{unique}', which is unique, so it would never apply. Put '{unique}' last.");
            }
            else
            {
                terms.Add(new SortTerm(name, descending));
            }
        }
        return terms;
    }
}
