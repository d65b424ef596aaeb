namespace AidTracker.Api.Extraction;

public enum NameKind
{
    Country,
    WeaponSystem,
}

/// <summary>
/// A record of the reference data a name stands for: a country (its code) or a weapon system (its id and category).
/// <see cref="Generic"/>: a weapon system's generic entry ("Anti-tank weapons (unspecified)"), which a named model
/// of its category replaces when the text gives one ("anti-tank missiles called Javelin").
/// </summary>
public sealed record Named(NameKind Kind, string Key, string? Category = null, bool Generic = false);

/// <summary>Where a name was found: the words from <see cref="First"/> to <see cref="Last"/> (indices), and what it stands for.</summary>
public sealed record Mention(Named Named, int First, int Last, int Start, int End)
{
    /// <summary>Found in title case from a name in capitals ("Milan" for MILAN): a weapon's name only beside a weapon or a count.</summary>
    public bool TitleCase { get; init; }

    public string Words(string text) => text[Start..End];
}

/// <summary>
/// Every name of the reference data (countries and weapon systems, with their aliases) and what it stands for, found
/// in a text word by word, the longest name first. A name in capitals (<c>TOW</c>, <c>USA</c>, <c>APCs</c>) matches
/// only as written, so that "tow" and "us" are not found, or in title case when it is one word of five letters or more
/// and a count or another weapon's name stands by it ("Milan anti-tank missiles"); any other matches in any case. A
/// name also matches with a plural -s, and a plural one without it (<c>howitzer</c>: <c>howitzers</c>; <c>artillery
/// systems</c>: <c>artillery system</c>). A weapon system's name loses its bracketed part ("Machine guns
/// (unspecified)" is found as "machine guns").
/// </summary>
public sealed class Gazetteer
{
    private sealed record Entry(string[] Words, bool Cased, Named Named, bool TitleCase = false);

    private readonly Dictionary<string, List<Entry>> _byFirstWord = new(StringComparer.Ordinal);

    public Gazetteer(
        IEnumerable<(string Code, string Name, IReadOnlyList<string> Aliases)> countries,
        IEnumerable<(string Id, string Name, string Category, IReadOnlyList<string> Aliases)> weaponSystems)
    {
        foreach (var (code, name, aliases) in countries)
        {
            var named = new Named(NameKind.Country, code);
            foreach (var phrase in aliases.Prepend(name)) Add(phrase, named);
        }
        foreach (var (id, name, category, aliases) in weaponSystems)
        {
            var generic = id.EndsWith("-unspecified", StringComparison.Ordinal) || name.Contains("(unspecified)", StringComparison.Ordinal);
            var named = new Named(NameKind.WeaponSystem, id, category, generic);
            var bracket = name.IndexOf(" (", StringComparison.Ordinal);
            foreach (var phrase in aliases.Prepend(bracket > 0 ? name[..bracket] : name)) Add(phrase, named);
        }
        foreach (var entries in _byFirstWord.Values) entries.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
    }

    private void Add(string phrase, Named named)
    {
        var words = Words.Of(phrase, 0, phrase.Length).Where(w => w.Text is not ("." or ",")).ToList();
        if (words.Count == 0) return;
        // Capitals: every letter upper case, but for a plural -s (APCs).
        var letters = string.Concat(words.Select(w => w.Exact)).Where(char.IsLetter).ToList();
        var cased = letters.Count > 1 && letters.SkipLast(letters[^1] == 's' ? 1 : 0).All(char.IsUpper);
        var forms = words.Select(w => cased ? w.Exact : w.Lower).ToArray();
        AddForm(forms, cased, named);
        // A one-word name in capitals of five letters or more is a name in title case too (MILAN: "Milan", CAESAR:
        // "Caesar"); a shorter one is an acronym that title case makes a word ("LAW": "Law").
        if (cased && forms is [{ } only] && only.Length >= 5 && only.All(char.IsLetter)) AddForm([only[0] + only[1..].ToLowerInvariant()], cased, named, titleCase: true);
        // The plural of a singular name, the singular of a plural one: "howitzer(s)", "artillery system(s)".
        var last = forms[^1];
        if (!cased && char.IsLetter(last[^1]) && last[^1] != 's') AddForm([.. forms[..^1], last + "s"], cased, named);
        if (!cased && last.Length > 3 && last[^1] == 's' && last[^2] != 's') AddForm([.. forms[..^1], last[..^1]], cased, named);
    }

    private void AddForm(string[] forms, bool cased, Named named, bool titleCase = false)
    {
        var key = cased ? forms[0].ToLowerInvariant() : forms[0];
        if (!_byFirstWord.TryGetValue(key, out var entries)) _byFirstWord[key] = entries = [];
        if (!entries.Any(e => e.Named == named && e.Words.SequenceEqual(forms))) entries.Add(new Entry(forms, cased, named, titleCase));
    }

    /// <summary>The names in <paramref name="words"/>, left to right, none overlapping another.</summary>
    public List<Mention> Find(IReadOnlyList<Word> words)
    {
        var found = new List<Mention>();
        for (var i = 0; i < words.Count; i++)
        {
            if (!_byFirstWord.TryGetValue(words[i].Lower, out var entries)) continue;
            foreach (var entry in entries)
            {
                if (i + entry.Words.Length > words.Count || !Matches(entry, words, i)) continue;
                var last = i + entry.Words.Length - 1;
                found.Add(new Mention(entry.Named, i, last, words[i].Start, words[last].End) { TitleCase = entry.TitleCase });
                i = last;
                break;
            }
        }
        // "Speaking in Milan, …" is the city: a title-case "Milan" is the missile only with a count before it or another
        // weapon's name within three words after it ("Milan anti-tank missiles", "Caesar truck-mounted howitzers").
        found.RemoveAll(m => m.TitleCase && !(m.First > 0 && words[m.First - 1].IsDigits)
            && !found.Any(o => o.Named.Kind == NameKind.WeaponSystem && o.First > m.Last && o.First - m.Last <= 3));
        return found;
    }

    private static bool Matches(Entry entry, IReadOnlyList<Word> words, int at)
    {
        for (var k = 0; k < entry.Words.Length; k++)
        {
            var word = words[at + k];
            // A possessive ends a name: "Estonia's" is Estonia, but "Estonia's army" is not a longer name.
            if (word.Possessive && k < entry.Words.Length - 1) return false;
            if (!string.Equals(entry.Cased ? word.Exact : word.Lower, entry.Words[k], StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
