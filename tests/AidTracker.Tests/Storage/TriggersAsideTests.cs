using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests.Storage;

/// <summary>
/// <see cref="Database.SetInsertTriggersAsideAsync"/> on the leg's engine: the donations insert triggers skip their work
/// while set aside, and work again once the set-aside work is done or after a rollback. The rollup's count shows whether they ran.
/// </summary>
public sealed class TriggersAsideTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static long _seed = 100;

    [Fact]
    public async Task Set_aside_triggers_skip_their_work_and_do_it_again_once_ended()
    {
        await using var write = await app.Connections.BeginWriteAsync();
        var before = await RolledUpAsync(write);

        var aside = await app.Connections.SetInsertTriggersAsideAsync(write.Connection, write.Transaction, default);
        await InsertDonationAsync(write);
        var whileAside = await RolledUpAsync(write);
        await aside.EndAsync("UPDATE data_version SET version = version + 1", null, default);
        await InsertDonationAsync(write);
        var afterRestore = await RolledUpAsync(write);

        Assert.Equal(before, whileAside);
        Assert.Equal(before + 1, afterRestore);
    }

    [Fact]
    public async Task A_rollback_brings_set_aside_triggers_back()
    {
        await using (var write = await app.Connections.BeginWriteAsync())
        {
            await app.Connections.SetInsertTriggersAsideAsync(write.Connection, write.Transaction, default);
            await InsertDonationAsync(write);
        }

        await using var next = await app.Connections.BeginWriteAsync();
        var before = await RolledUpAsync(next);
        await InsertDonationAsync(next);

        Assert.Equal(before + 1, await RolledUpAsync(next));
    }

    private static Task<long> RolledUpAsync(WriteScope write) =>
        write.Connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM donation_rollup", transaction: write.Transaction);

    private static Task<long> InsertDonationAsync(WriteScope write)
    {
        var donation = SyntheticDataset.Generate(1, (int)Interlocked.Increment(ref _seed), BundledData.WeaponSystemCategories(), citing: Donations.SeedSource).Single();
        return DonationRepository.InsertAsync(write, donation, new ChangeContext("triggers-aside-test", null, TimeProvider.System), default);
    }
}
