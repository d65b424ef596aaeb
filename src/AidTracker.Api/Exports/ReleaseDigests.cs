using System.Collections.Concurrent;

namespace AidTracker.Api.Exports;

/// <summary>
/// The digests of a release's CSV files, by the query that asked for them (a release and any filters), as the data
/// package descriptor names them. A release's files never change, so they are worked out once per query and process.
/// </summary>
public sealed class ReleaseDigests
{
    /// <summary>Queries kept at most; past them, a descriptor's digests are worked out again each time.</summary>
    private const int MaxKept = 256;

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, TableExport.CsvDigest>> _kept = new(StringComparer.Ordinal);

    public bool TryGet(string query, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyDictionary<string, TableExport.CsvDigest>? digests) =>
        _kept.TryGetValue(query, out digests);

    public void Keep(string query, IReadOnlyDictionary<string, TableExport.CsvDigest> digests)
    {
        if (_kept.Count < MaxKept) _kept.TryAdd(query, digests);
    }
}
