using System.Text.Json;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Exports;

/// <summary>
/// The digests of a release's CSV files, by the filter that asked for them (a release and any filters), as the data
/// package descriptor names them. A release's files never change, so they are worked out once per filter and process.
/// Keyed by the parsed filter (<see cref="Key"/>), not the query's text, so that spellings of one filter share an
/// entry; at most <see cref="MaxKept"/> are kept, the least recently used going first.
/// </summary>
public sealed class ReleaseDigests
{
    /// <summary>Filters kept at most.</summary>
    public const int MaxKept = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, IReadOnlyDictionary<string, TableExport.CsvDigest> Digests)>> _kept = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, IReadOnlyDictionary<string, TableExport.CsvDigest> Digests)> _recent = new();

    /// <summary>How many filters are kept.</summary>
    public int Count
    {
        get { lock (_lock) return _kept.Count; }
    }

    /// <summary>
    /// The filter as one text: the filters it applies by their query names in order, each list sorted and without
    /// repeats (a list selects the same rows in any order), so that <c>donor=pol,deu</c> and <c>donor=DEU&amp;donor=POL</c> are one key.
    /// </summary>
    public static string Key(DonationFilter filter) => JsonSerializer.Serialize(filter.Applied().ToDictionary(
        pair => pair.Key,
        pair => pair.Value is not string and IEnumerable<string> values ? values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray() : pair.Value,
        StringComparer.Ordinal));

    public bool TryGet(DonationFilter filter, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyDictionary<string, TableExport.CsvDigest>? digests)
    {
        var key = Key(filter);
        lock (_lock)
        {
            if (_kept.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                digests = node.Value.Digests;
                return true;
            }
        }
        digests = null;
        return false;
    }

    public void Keep(DonationFilter filter, IReadOnlyDictionary<string, TableExport.CsvDigest> digests)
    {
        var key = Key(filter);
        lock (_lock)
        {
            if (_kept.TryGetValue(key, out var existing)) _recent.Remove(existing);
            var node = _recent.AddFirst((key, digests));
            _kept[key] = node;
            while (_kept.Count > MaxKept)
            {
                _kept.Remove(_recent.Last!.Value.Key);
                _recent.RemoveLast();
            }
        }
    }
}
