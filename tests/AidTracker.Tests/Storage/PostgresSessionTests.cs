using AidTracker.Api.Storage.Postgres;
using Dapper;
using Npgsql;

namespace AidTracker.Tests.Storage;

/// <summary>The server settings of the service's PostgreSQL sessions, on the PostgreSQL leg's server.</summary>
public sealed class PostgresSessionTests
{
    [PostgresFact]
    public async Task Sessions_do_not_jit_so_their_parallel_workers_never_load_llvm()
    {
        // The same server as the reads' too, so that both data sources are built and asked.
        using var database = new PostgresDatabase(ApiFixture.PostgresServer!, ApiFixture.PostgresServer);
        await using var plain = new NpgsqlConnection(ApiFixture.PostgresServer);
        await plain.OpenAsync();

        Assert.Equal("on", await plain.ExecuteScalarAsync<string>("SHOW jit")); // the server's default, which the service's sessions change
        Assert.Equal(("off", "off"), (await SettingAsync(database, "jit", primary: true), await SettingAsync(database, "jit", primary: false)));
    }

    [PostgresFact]
    public async Task A_connection_strings_own_options_are_kept_and_its_own_jit_setting_wins()
    {
        var others = new NpgsqlConnectionStringBuilder(ApiFixture.PostgresServer) { Options = "-c work_mem=8MB" };
        var jitOn = new NpgsqlConnectionStringBuilder(ApiFixture.PostgresServer) { Options = "-c jit=on -c work_mem=8MB" };
        using var withOthers = new PostgresDatabase(others.ConnectionString, null);
        using var withJit = new PostgresDatabase(jitOn.ConnectionString, null);

        Assert.Equal(("off", "8MB"), (await SettingAsync(withOthers, "jit"), await SettingAsync(withOthers, "work_mem")));
        Assert.Equal(("on", "8MB"), (await SettingAsync(withJit, "jit"), await SettingAsync(withJit, "work_mem")));
    }

    private static async Task<string> SettingAsync(PostgresDatabase database, string name, bool primary = true)
    {
        await using var connection = primary ? await database.OpenPrimaryAsync() : await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT current_setting(@Name)", new { Name = name }) ?? "";
    }
}
