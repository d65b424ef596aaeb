namespace AidTracker.Api.Donations;

/// <summary>
/// What a query's <c>release=</c> needs: the moment a release froze. Declared here, implemented by Releases, so that
/// Donations reads releases without depending on them (Releases depends on Donations and Exports already).
/// </summary>
public interface IReleaseMoments
{
    /// <summary>What a release id can be: a new release's is checked against it, so no other text names one.</summary>
    const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    /// <summary>The stored timestamp of release <paramref name="id"/>, or null when there is no such release.</summary>
    Task<string?> MomentAsync(string id, CancellationToken cancellationToken);
}
