namespace AidTracker.Api.Storage;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (one file, no server; the default) or <c>postgres</c> (several instances can share it).</summary>
    public string Provider { get; set; } = DatabaseEngines.Sqlite;

    /// <summary>The SQLite file. A relative path is taken from the content root.</summary>
    public string Path { get; set; } = "data/aidtracker.db";

    /// <summary>PostgreSQL: the primary, as an Npgsql connection string. Writes, migrations and start-up go here.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL, optional: where reads go, such as a replica, or several hosts with <c>Target Session Attributes=prefer-standby</c>.</summary>
    public string? ReadConnectionString { get; set; }

    /// <summary>How long a statement waits for a lock held by another connection before it fails (SQLite).</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Load the reference data and the bundled records into an empty database at start-up.</summary>
    public bool Seed { get; set; } = true;
}
