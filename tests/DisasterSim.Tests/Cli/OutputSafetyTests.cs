using DisasterSim.Cli;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

/// <summary>Nothing in an output directory is followed, one command at a time writes there, and a stopped command leaves nothing half-written.</summary>
public sealed class OutputSafetyTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-safety-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public OutputSafetyTests() => Directory.CreateDirectory(Out);

    private string Out => Path.Combine(_root, "out");

    [Fact]
    public void Run_LinksPlantedAtTemporaryAndFinalNames_NoTargetWrittenAndLinksReplaced()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string victim = Victim("victim");
        string probeVictim = Victim("probe-victim");
        string finalVictim = Victim("final-victim");
        Directory.CreateDirectory(Path.Combine(_root, "victim-dir"));
        File.CreateSymbolicLink(Path.Combine(Out, "summary.csv.partial"), victim);
        File.CreateSymbolicLink(Path.Combine(Out, ".disastersim-probe.partial"), probeVictim);
        File.CreateSymbolicLink(Path.Combine(Out, "trials.csv"), finalVictim);
        File.CreateSymbolicLink(Path.Combine(Out, "incidents.csv"), Path.Combine(_root, "victim-dir"));

        int code = Program.Run(["run", _scenario, "--trials", "50", "--out", Out], _stdout, _stderr);

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        foreach (string file in new[] { victim, probeVictim, finalVictim })
        {
            Assert.Equal("do not touch\n", File.ReadAllText(file));
        }

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root, "victim-dir")));
        foreach (string file in new[] { "summary.csv", "trials.csv", "incidents.csv", "metadata.json" })
        {
            Assert.Null(new FileInfo(Path.Combine(Out, file)).LinkTarget);
            Assert.True(new FileInfo(Path.Combine(Out, file)).Length > 0, file);
        }
    }

    [Fact]
    public void OutputDirectory_SecondOnTheSamePath_LockedNamingTheHolderUntilTheFirstEnds()
    {
        using (var first = new OutputDirectory(Out, "process 4242 on host-a, since 2026-01-01T00:00:00Z: disastersim run a.yaml --seed 1"))
        {
            var e = Assert.Throws<OutputLockedException>(() => new OutputDirectory(Out));

            Assert.Equal(
                $"the output directory '{Out}' is in use by another disastersim command (process 4242 on host-a, since 2026-01-01T00:00:00Z: disastersim run a.yaml --seed 1); wait for it to finish, or choose another --out",
                e.Message);
        }

        using var next = new OutputDirectory(Out);
    }

    [Fact]
    public void Run_IntoTheDirectoryOfARunningCheckpointedRun_FailsAtOnceAndLeavesItsCheckpoint()
    {
        string checkpoint = Path.Combine(Out, CheckpointStore.FolderName);
        Directory.CreateDirectory(checkpoint);
        File.WriteAllText(Path.Combine(checkpoint, "chunk-000000000000.bin"), "the other run's");
        using var other = new OutputDirectory(Out, "process 4242 on host-a, since 2026-01-01T00:00:00Z: disastersim run a.yaml --seed 1 --checkpoint");

        int code = Program.Run(["run", _scenario, "--trials", "5000", "--seed", "2", "--checkpoint", "--out", Out], _stdout, _stderr);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Equal(
            $"disastersim: error: the output directory '{Out}' is in use by another disastersim command (process 4242 on host-a, since 2026-01-01T00:00:00Z: disastersim run a.yaml --seed 1 --checkpoint); wait for it to finish, or choose another --out\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("the other run's", File.ReadAllText(Path.Combine(checkpoint, "chunk-000000000000.bin")));
    }

    [Fact]
    public void Run_StagingFolderOfAKilledRun_RemovedByTheNextCommand()
    {
        string stale = Path.Combine(Out, ".disastersim-partial-0123456789abcdef");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "trials.csv"), "half");

        int code = Program.Run(["run", _scenario, "--trials", "50", "--out", Out], _stdout, _stderr);

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.False(Directory.Exists(stale));
        Assert.Equal(["incidents.csv", "metadata.json", "report.html", "summary.csv", "trials.csv"], OutputListing.Names(Out));
    }

    [Fact]
    public void Process_SigtermMidRun_StopsCleanlyWithExit143AndALockOtherProcessesSaw()
    {
        if (OperatingSystem.IsWindows() || !CliProcess.Available)
        {
            return;
        }

        using var child = CliProcess.Start(["run", _scenario, "--trials", "9000000", "--out", Out, "--no-progress", "--threads", "1"]);
        Assert.True(WaitFor(() => Directory.EnumerateDirectories(Out, ".disastersim-partial-*").Any()), "the child never started writing");

        int code = Program.Run(["run", _scenario, "--trials", "50", "--out", Out], _stdout, _stderr);
        child.Terminate();
        var (exit, _, stderr) = child.Wait(ProcessTimeout);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Contains($"is in use by another disastersim command (process {child.Id} on ", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Terminated, exit);
        Assert.Matches(@"\ndisastersim: cancelled after [0-9,]+ of 9,000,000 trials; nothing written\.\n$", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(OutputListing.Names(Out));
    }

    [Fact]
    public void Process_ValidateDevZeroUnderAMemoryCeiling_RefusedWithinTheLimit()
    {
        if (!File.Exists("/dev/zero") || !CliProcess.Available)
        {
            return;
        }

        // 256 MiB of heap: an unbounded read of /dev/zero would fail with "insufficient memory" long before its end.
        using var child = CliProcess.Start(["validate", "/dev/zero"], new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" });
        var (exit, stdout, stderr) = child.Wait(ProcessTimeout);

        Assert.Equal(ExitCodes.InvalidScenario, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("/dev/zero:1:1: error: the input holds more than 10,485,760 bytes (10 MiB)", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static bool WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + ProcessTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    private string Victim(string name)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, "do not touch\n");
        return path;
    }
}
