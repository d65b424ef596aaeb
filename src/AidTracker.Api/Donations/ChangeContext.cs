namespace AidTracker.Api.Donations;

/// <summary>
/// Who made a change, in which request, and the clock that stamps it: what every history row records. The stamp
/// itself is taken inside the write (<see cref="Storage.WriteScope.ChangedAtAsync"/>).
/// </summary>
public sealed record ChangeContext(string ChangedBy, string? RequestId, TimeProvider Clock)
{
    /// <summary>The authenticated key's name and the request's trace id.</summary>
    public static ChangeContext From(HttpContext http, TimeProvider clock) =>
        new(http.User.Identity?.Name ?? "anonymous", http.TraceIdentifier, clock);
}
