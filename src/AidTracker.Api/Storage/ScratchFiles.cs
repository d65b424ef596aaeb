namespace AidTracker.Api.Storage;

/// <summary>
/// The service's own folder for files that live only as long as a request (uploads, spooled exports), beside the
/// database: <c>scratch/</c>. Never the system's temporary folder, which nothing of ours empties.
/// </summary>
/// <remarks>
/// A file is unlinked as soon as it is open where the system allows it (Unix): only its handle keeps it, so a kill -9
/// leaves nothing behind, and several instances can share the folder. Elsewhere it is deleted when closed, and start-up
/// empties the folder of what a killed process left.
/// </remarks>
public sealed class ScratchFiles(string folder) : IHostedService
{
    public string Folder { get; } = folder;

    /// <summary>A new, empty file open for reading and writing, named for what it holds (<c>import</c>, <c>export</c>).</summary>
    public FileStream Create(string kind)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{kind}-{Guid.NewGuid():N}.tmp");
        var unlinkAtOnce = !OperatingSystem.IsWindows();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | (unlinkAtOnce ? FileOptions.None : FileOptions.DeleteOnClose));
        if (unlinkAtOnce) File.Delete(path);
        return file;
    }

    /// <summary>Removes what a process killed mid-request left behind. A file still open elsewhere stays.</summary>
    public int Empty()
    {
        if (!Directory.Exists(Folder)) return 0;
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(Folder))
        {
            try
            {
                File.Delete(path);
                removed++;
            }
            catch (IOException)
            {
                // Open in another instance (Windows): its owner deletes it when it closes it.
            }
        }
        return removed;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Empty();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
