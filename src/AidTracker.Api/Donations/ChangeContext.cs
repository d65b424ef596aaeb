using AidTracker.Api.Common;
using AidTracker.Api.Http;

namespace AidTracker.Api.Donations;

/// <summary>
/// Who made a change, in which request, and the clock that stamps it: what every history row records. The stamp
/// itself is taken inside the write (<see cref="Storage.WriteScope.ChangedAtAsync"/>). <paramref name="Publishes"/>:
/// what the change writes is published at once (an admin's key, a trusted editor's, a verb run by the operator),
/// else it is a draft for review.
/// </summary>
public sealed record ChangeContext(string ChangedBy, string? RequestId, TimeProvider Clock, bool Publishes = true)
{
    /// <summary>The authenticated key's name, whether it publishes, and the request's trace id.</summary>
    public static ChangeContext From(HttpContext http, TimeProvider clock) =>
        new(http.User.Identity?.Name ?? "anonymous", http.TraceIdentifier, clock, KeyRights.Publishes(http.User));

    /// <summary>The review state of what this change writes: a reviewer's decision sets its own.</summary>
    public string ReviewState { get; init; } = Publishes ? ReviewStates.Published : ReviewStates.Draft;
}
