using System.ComponentModel;
using AidTracker.Api.Common;

namespace AidTracker.Api.Imports;

/// <summary>How large an import may be, and how long its upload may take: <c>Imports:*</c> in configuration.</summary>
public sealed class ImportOptions
{
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;
    public int MaxRows { get; set; } = 250_000;

    /// <summary>How long the upload may take from the request's start (100 MiB in 10 minutes is 175 kB/s); 408 past it.</summary>
    public int UploadTimeoutSeconds { get; set; } = 600;
}

/// <summary>An accepted import.</summary>
public sealed record ImportResponse(
    long Id,
    DateTime CreatedAt,
    [property: Description("The name of the key that imported the file.")] string CreatedBy,
    [property: Description("The Idempotency-Key the upload carried, if any.")] string? IdempotencyKey,
    [property: Description("SHA-256 of the uploaded file, lower-case hex.")] string FileSha256,
    long RowCount,
    [property: Description("The id of the first donation the import created; the rest follow it without a gap, up to last_donation.")] long FirstDonation,
    long LastDonation,
    [property: Description("Export columns the file had that an import does not take, because the database assigns or derives them: id, the names and category (from the codes), quantity_delivered, first_reported_on, value_eur_method, value_eur_rate, value_eur_rate_date, created_at, updated_at, version.")] IReadOnlyList<string> IgnoredColumns);

/// <summary>One reason a row, or the file, was refused.</summary>
public sealed record ImportError(
    [property: Description("The line of the file where the row begins (the header is line 1); null for the file as a whole.")] long? Line,
    [property: Description("The column, or 'file' for the file as a whole.")] string Field,
    string Reason);

public sealed class ImportRow
{
    public long Id { get; set; }
    public string CreatedAt { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public string FileSha256 { get; set; } = "";
    public long RowCount { get; set; }
    public long FirstDonation { get; set; }
    public long LastDonation { get; set; }
    public string IgnoredColumns { get; set; } = "";

    public ImportResponse ToResponse() => new(
        Id, Timestamps.Parse(CreatedAt), CreatedBy, IdempotencyKey, FileSha256, RowCount, FirstDonation, LastDonation,
        IgnoredColumns.Split(',', StringSplitOptions.RemoveEmptyEntries));
}
