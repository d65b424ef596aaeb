namespace AidTracker.Api.Exports;

/// <summary>How exports run: <c>Exports:*</c> in configuration.</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>
    /// Exports that one process runs at once, from the first row read to the last byte sent. Each holds its spooled
    /// file on disk (up to the size of the whole export) and, while it writes it, one read snapshot and its row buffers.
    /// </summary>
    public int MaxConcurrent { get; set; } = 4;
}

/// <summary>The places for exports running at once in this process; past them, an export is refused, not queued.</summary>
public sealed class ExportSlots(Microsoft.Extensions.Options.IOptions<ExportOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _free = new(options.Value.MaxConcurrent, options.Value.MaxConcurrent);

    public int Max { get; } = options.Value.MaxConcurrent;

    /// <summary>A place, held until the lease is disposed, or null when every place is taken.</summary>
    public IDisposable? TryTake() => _free.Wait(0) ? new Lease(_free) : null;

    public void Dispose() => _free.Dispose();

    private sealed class Lease(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) free.Release();
        }
    }
}
