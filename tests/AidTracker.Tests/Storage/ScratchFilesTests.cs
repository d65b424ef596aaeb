using AidTracker.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>The service's own scratch folder: beside the database, no name left behind, emptied at start-up.</summary>
public sealed class ScratchFilesTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public void The_scratch_folder_is_beside_the_database_not_the_system_temp_folder()
    {
        var scratch = app.Services.GetRequiredService<ScratchFiles>();

        Assert.Equal(Path.Combine(app.Folder, "scratch"), scratch.Folder);
    }

    [Fact]
    public async Task A_scratch_file_can_be_written_and_read_back_and_leaves_no_name_in_the_folder()
    {
        var scratch = app.Services.GetRequiredService<ScratchFiles>();

        await using (var file = scratch.Create("test"))
        {
            await file.WriteAsync("hello"u8.ToArray());
            file.Position = 0;
            var read = new byte[5];
            await file.ReadExactlyAsync(read);
            Assert.Equal("hello"u8.ToArray(), read);
            if (!OperatingSystem.IsWindows()) Assert.Empty(Directory.GetFiles(scratch.Folder));
        }

        Assert.Empty(Directory.GetFiles(scratch.Folder));
    }

    [Fact]
    public async Task Start_up_empties_what_a_killed_process_left_in_the_folder()
    {
        var leftover = Path.Combine(app.Folder, "scratch", "import-left-by-a-kill.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        await File.WriteAllTextAsync(leftover, "partial upload");

        await using (var restarted = new Reopened(app.Folder))
        {
            using var client = restarted.CreateClient();
            (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }

        Assert.False(File.Exists(leftover));
    }

    /// <summary>A second service on the first one's folder, as after a restart.</summary>
    private sealed class Reopened(string folder) : ApiFixture(folder)
    {
        public override Task InitializeAsync() => Task.CompletedTask;
    }
}
