namespace AidTracker.Api.Infrastructure;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The SQLite file. A relative path is taken from the content root.</summary>
    public string Path { get; set; } = "data/aidtracker.db";

    /// <summary>How long a statement waits for a lock held by another connection before it fails.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Load the reference data and the bundled records into an empty database at start-up.</summary>
    public bool Seed { get; set; } = true;
}
