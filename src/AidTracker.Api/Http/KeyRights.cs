using System.Security.Claims;

namespace AidTracker.Api.Http;

/// <summary>
/// What a request's key may see and do beyond the public, as claims that authentication sets from the key
/// (Auth/ApiKeyAuthentication): whether it sees drafts, and whether its writes are published at once.
/// </summary>
public static class KeyRights
{
    /// <summary>The claim of a key that sees records that are not published (drafts, rejected ones): an editor's, reviewer's or admin's.</summary>
    public const string SeesDraftsClaim = "sees_drafts";

    /// <summary>The claim of a key whose writes are published at once: an admin's, or a trusted editor's.</summary>
    public const string PublishesClaim = "publishes";

    public static bool SeesDrafts(ClaimsPrincipal user) => user.HasClaim(SeesDraftsClaim, "true");

    public static bool Publishes(ClaimsPrincipal user) => user.HasClaim(PublishesClaim, "true");
}
