using System.Collections.Concurrent;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Auth;

/// <summary>
/// Records when each key was last used, to the minute, off the request path. A request only notes its key's id in
/// memory; this service writes the noted uses in one transaction every <see cref="Interval"/> and when the service
/// stops. Best effort: when another write holds the lock (an import, say), the uses wait for the next turn, and a
/// crash loses at most one interval of them. So a read never waits for a writer.
/// </summary>
public sealed class KeyUseRecorder(Database connections, TimeProvider clock, ILogger<KeyUseRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>How long a flush waits for the write lock before it leaves the uses for the next turn.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    /// <summary>Key id to the minute of its latest use not yet written.</summary>
    private readonly ConcurrentDictionary<long, DateTimeOffset> _pending = new();

    /// <summary>Key id to the minute this process last wrote: a key used again within it is not noted again.</summary>
    private readonly ConcurrentDictionary<long, DateTimeOffset> _written = new();

    /// <summary>The key was used now. No database work: the next flush writes it.</summary>
    public void Note(long keyId)
    {
        var minute = ToMinute(clock.GetUtcNow());
        if (_written.TryGetValue(keyId, out var written) && written >= minute) return;
        _pending.AddOrUpdate(keyId, minute, (_, noted) => noted > minute ? noted : minute);
    }

    /// <summary>Writes the noted uses in one transaction. False when the write lock stayed busy: they wait for the next turn.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty) return true;
        var uses = _pending.ToArray();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(LockWait);
        WriteScope write;
        try
        {
            write = await connections.BeginWriteAsync(wait.Token);
        }
        catch (WriteLockBusyException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        await using (write)
        {
            // Never back in time: another instance may have written a later minute.
            await write.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET last_used_at = @At WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @At)",
                uses.Select(use => new { Id = use.Key, At = Timestamps.Format(use.Value) }), write.Transaction, cancellationToken: cancellationToken));
            await write.CommitAsync(cancellationToken);
        }
        foreach (var use in uses)
        {
            _written.AddOrUpdate(use.Key, use.Value, (_, written) => written > use.Value ? written : use.Value);
            // Only if no later use was noted meanwhile; that one waits for the next flush.
            _pending.TryRemove(use);
        }
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushLoggedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushLoggedAsync(cancellationToken);
    }

    private async Task FlushLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await FlushAsync(cancellationToken)) logger.LogDebug("The write lock was busy: key uses wait for the next turn");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not record when keys were last used; trying again in {Interval}", Interval);
        }
    }

    private static DateTimeOffset ToMinute(DateTimeOffset moment)
    {
        var utc = moment.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }
}
