using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli.Sharding;

/// <summary>Shards of compare and sweep on a shipped scenario, merged through the command line and checked byte for byte against one process.</summary>
public sealed class VariantShardMergeTests : IDisposable
{
    private const string Trials = "3000";
    private const string Daily = "daily:data[erp-db].backups[hourly-offsite].interval=24h";
    private const string NoReplication = "no-repl:data[erp-db].replication=[]";
    private static readonly string[] SweepGrid =
    [
        "--set", "data[erp-db].replication[0].lag=5m,1h",
        "--set", "data[erp-db].backups[hourly-offsite].interval=1h,24h",
        "--target", "rpo.p95<=2h",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-variant-shards-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public VariantShardMergeTests() => Directory.CreateDirectory(_root);

    [Fact]
    public void Compare_ThreeShardsMerged_EveryFileByteIdenticalToOneProcess()
    {
        string[] compare = ["compare", _scenario, "--trials", Trials, "--variant", Daily, "--variant", NoReplication, "--metric", "downtime", "--metric", "rpo"];
        AssertExit(ExitCodes.Success, [.. compare, "--threads", "2", "--out", Dir("single")]);
        foreach (int k in new[] { 0, 1, 2 })
        {
            AssertExit(ExitCodes.Success, [.. compare, "--threads", "1", "--shard", $"{k}/3", "--out", Dir($"s{k}")]);
        }

        // Given in another order than the trials' (merge sorts them), the first with a trailing separator as a shell glob "s*/" gives it.
        AssertExit(ExitCodes.Success, "merge", Dir("s1") + Path.DirectorySeparatorChar, Dir("s2"), Dir("s0"), "--out", Dir("merged"));

        AssertSameFiles(Dir("single"), Dir("merged"), "compare.csv", "metadata.json");
    }

    [Fact]
    public void Compare_ScenarioFilesTwoShardsMerged_ByteIdenticalAndLabelledByFileName()
    {
        string other = Path.Combine(_root, "other", "03-hourly-async-dr.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, File.ReadAllText(_scenario).Replace("interval: 1h", "interval: 4h", StringComparison.Ordinal));
        string[] compare = ["compare", _scenario, other, "--trials", "2000", "--threads", "2"];
        AssertExit(ExitCodes.Success, [.. compare, "--out", Dir("single")]);
        AssertExit(ExitCodes.Success, [.. compare, "--shard", "0/2", "--out", Dir("s0")]);
        AssertExit(ExitCodes.Success, [.. compare, "--shard", "1/2", "--out", Dir("s1")]);

        AssertExit(ExitCodes.Success, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        AssertSameFiles(Dir("single"), Dir("merged"), "compare.csv", "metadata.json");
        Assert.Contains("03-hourly-async-dr#2", File.ReadAllText(Path.Combine(Dir("merged"), "compare.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_TwoShardsMerged_EveryFileByteIdenticalToOneProcess()
    {
        string[] sweep = ["sweep", _scenario, "--trials", Trials, "--threads", "2", .. SweepGrid];
        AssertExit(ExitCodes.Success, [.. sweep, "--out", Dir("single")]);
        AssertExit(ExitCodes.Success, [.. sweep, "--shard", "0/2", "--out", Dir("s0")]);
        AssertExit(ExitCodes.Success, [.. sweep, "--shard", "1/2", "--out", Dir("s1")]);

        AssertExit(ExitCodes.Success, "merge", Dir("s1"), Dir("s0"), "--out", Dir("merged"));

        AssertSameFiles(Dir("single"), Dir("merged"), "sweep.csv", "exceedance-downtime.svg", "metadata.json");
    }

    [Fact]
    public void Sweep_Shard_WritesManifestRecordsAndScenarioCopyOnly()
    {
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "1/4", "--out", Dir("s1"), .. SweepGrid]);

        var manifest = ShardManifest.ReadJson(File.ReadAllBytes(Path.Combine(Dir("s1"), "shard.json")));
        Assert.Equal(("sweep", 250L, 250L, (long?)1000), (manifest.Command, manifest.FirstTrial, manifest.Trials, manifest.TotalTrials));
        Assert.Equal(4, manifest.Variants!.Count);
        Assert.Equal(["data[erp-db].replication[0].lag=5m,1h", "data[erp-db].backups[hourly-offsite].interval=1h,24h"], manifest.Arguments!.Single(a => a.Option == "--set").Values);
        Assert.Equal(File.ReadAllBytes(_scenario), File.ReadAllBytes(Path.Combine(Dir("s1"), "scenarios", "0", "03-hourly-async-dr.yaml")));
        Assert.Equal(
            ["shard.json", "variant-0.bin", "variant-1.bin", "variant-2.bin", "variant-3.bin"],
            OutputListing.Files(Dir("s1")));
    }

    [Fact]
    public void Merge_CompareShardsOfOtherVariants_ExitsInvalidInputNamingTheVariants()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", Daily, "--shard", "0/2", "--out", Dir("s0"));
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", NoReplication, "--shard", "1/2", "--out", Dir("s1"));

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains($"the list of variants differs ({Dir("s0")}: baseline, daily, {Dir("s1")}: baseline, no-repl)", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("merged")));
    }

    [Fact]
    public void Merge_CompareShardsOfOtherOverrides_ExitsInvalidInputNamingTheOverrides()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", Daily, "--shard", "0/2", "--out", Dir("s0"));
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", "daily:data[erp-db].backups[hourly-offsite].interval=12h", "--shard", "1/2", "--out", Dir("s1"));

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains("variant daily's overrides differs", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("interval=12h", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SweepShardsOfOtherSeed_ExitsInvalidInputNamingBothSeeds()
    {
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "0/2", "--out", Dir("s0"), .. SweepGrid]);
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "1/2", "--seed", "7", "--out", Dir("s1"), .. SweepGrid]);

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains($"the seed differs ({Dir("s0")}: 2026, {Dir("s1")}: 7)", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SweepShardsOfOtherTargets_ExitsInvalidInputNamingTheOptions()
    {
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "0/2", "--out", Dir("s0"), .. SweepGrid]);
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "1/2", "--out", Dir("s1"), .. SweepGrid[..^2]]);

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains("the list of analysis options differs", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--target rpo.p95<=2h", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_CompareShardWithSweepShard_ExitsInvalidInputNamingTheCommands()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", Daily, "--shard", "0/2", "--out", Dir("s0"));
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "1000", "--shard", "1/2", "--out", Dir("s1"), .. SweepGrid]);

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains($"the command differs ({Dir("s0")}: compare, {Dir("s1")}: sweep)", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_CompareMissingShard_ExitsInvalidInputNamingTheMissingTrials()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "900", "--variant", Daily, "--shard", "0/3", "--out", Dir("s0"));
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "900", "--variant", Daily, "--shard", "2/3", "--out", Dir("s2"));

        AssertExit(ExitCodes.InvalidScenario, "merge", Dir("s0"), Dir("s2"), "--out", Dir("merged"));

        Assert.Contains("trials 300..599 are missing", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_AlteredVariantRecords_ExitsRuntimeFailure()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", Daily, "--shard", "0/2", "--out", Dir("s0"));
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "1000", "--variant", Daily, "--shard", "1/2", "--out", Dir("s1"));
        string records = Path.Combine(Dir("s1"), "variant-1.bin");
        byte[] bytes = File.ReadAllBytes(records);
        bytes[100] ^= 1;
        File.WriteAllBytes(records, bytes);

        AssertExit(ExitCodes.RuntimeFailure, "merge", Dir("s0"), Dir("s1"), "--out", Dir("merged"));

        Assert.Contains($"{records}: its SHA-256 differs", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("merged")));
    }

    [Fact]
    public void Merge_ScenarioCopyPathOutsideTheShard_ExitsRuntimeFailure()
    {
        AssertExit(ExitCodes.Success, "compare", _scenario, "--trials", "100", "--variant", Daily, "--shard", "0/1", "--out", Dir("s0"));
        string manifest = Path.Combine(Dir("s0"), "shard.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"scenarios/0/", "\"../../", StringComparison.Ordinal));

        AssertExit(ExitCodes.RuntimeFailure, "merge", Dir("s0"), "--out", Dir("merged"));

        Assert.Contains("lies outside the shard directory", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ShardWithPrecision_ExitsUsageError()
    {
        AssertExit(ExitCodes.UsageError, "compare", _scenario, "--variant", Daily, "--precision", "5%", "--shard", "0/2", "--out", Dir("s0"));

        Assert.Contains("--shard cannot be combined with --precision", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_MoreShardsThanTrials_ExitsUsageError()
    {
        AssertExit(ExitCodes.UsageError, ["sweep", _scenario, "--trials", "2", "--shard", "0/3", "--out", Dir("s0"), .. SweepGrid]);

        Assert.Contains("leave shard 0 empty", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_TrialRangesMerged_ByteIdenticalToOneProcess()
    {
        string[] sweep = ["sweep", _scenario, "--trials", "2500", .. SweepGrid];
        AssertExit(ExitCodes.Success, [.. sweep, "--out", Dir("single")]);
        AssertExit(ExitCodes.Success, [.. sweep, "--trials-to", "1100", "--out", Dir("a")]);
        AssertExit(ExitCodes.Success, [.. sweep, "--trials-from", "1100", "--trials-to", "2500", "--threads", "1", "--out", Dir("b")]);

        AssertExit(ExitCodes.Success, "merge", Dir("a"), Dir("b"), "--out", Dir("merged"));

        AssertSameFiles(Dir("single"), Dir("merged"), "sweep.csv", "metadata.json");
    }

    [Fact]
    public void Compare_ResumeFromAnInterruptedRunsChunks_ByteIdenticalToAnUninterruptedRun()
    {
        string[] compare = ["compare", _scenario, "--trials", "4000", "--variant", Daily, "--variant", NoReplication, "--metric", "downtime"];
        AssertExit(ExitCodes.Success, [.. compare, "--out", Dir("plain")]);

        // What an interrupted run leaves: its checkpoint with the first chunks of every variant.
        var inputs = new List<VariantInput>
        {
            new("baseline", _scenario, []),
            new("daily", _scenario, [ScenarioOverride.Parse("data[erp-db].backups[hourly-offsite].interval=24h")]),
            new("no-repl", _scenario, [ScenarioOverride.Parse("data[erp-db].replication=[]")]),
        };
        var loaded = VariantRuns.Load(inputs, new CliContext(_stdout, _stderr, false, default))!;
        var arguments = new List<ShardArgument> { new("--variant", [Daily, NoReplication]), new("--metric", ["downtime"]) };
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_scenario)));
        var checkpoint = VariantShards.OpenCheckpoint(new VariantJob("compare", [_scenario], arguments, inputs, loaded), 2026, new TrialRange(0, 4000, 4000, false), _ => hash, Dir("resumed"), resume: false);
        new VariantSimulation([.. loaded.Select(v => v.Scenario)], 2026, 1)
            .Run(0, 2048, null, new GroupConsumerChain([]), VariantShards.Stores(checkpoint, loaded));

        AssertExit(ExitCodes.Success, [.. compare, "--resume", "--out", Dir("resumed")]);

        Assert.Contains("Resumed: 6 chunks came from", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Dir("resumed"), CheckpointStore.FolderName)));
        AssertSameFiles(Dir("plain"), Dir("resumed"), "compare.csv");
    }

    [Fact]
    public void Sweep_ResumeWithOtherTargets_ExitsRuntimeFailureNamingTheOptions()
    {
        // A checkpoint that a sweep with another target left.
        var inputs = new List<VariantInput> { new("x", _scenario, []) };
        var loaded = VariantRuns.Load(inputs, new CliContext(_stdout, _stderr, false, default))!;
        var arguments = new List<ShardArgument> { new("--set", [SweepGrid[1], SweepGrid[3]]), new("--target", ["rpo.p95<=4h"]), new("--pareto", []) };
        VariantShards.OpenCheckpoint(new VariantJob("sweep", [_scenario], arguments, inputs, loaded), 2026, new TrialRange(0, 300, 300, false), _ => "", Dir("s"), resume: false);

        AssertExit(ExitCodes.RuntimeFailure, ["sweep", _scenario, "--trials", "300", "--resume", "--out", Dir("s"), .. SweepGrid]);

        Assert.Contains("holds checkpoints of another run", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dir("s"), "sweep.csv")));
    }

    [Fact]
    public void Sweep_CheckpointOfACompletedRun_IsDeletedAndResumeStartsAfresh()
    {
        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "300", "--checkpoint", "--out", Dir("s"), .. SweepGrid]);
        Assert.False(Directory.Exists(Path.Combine(Dir("s"), CheckpointStore.FolderName)));

        AssertExit(ExitCodes.Success, ["sweep", _scenario, "--trials", "300", "--resume", "--out", Dir("s"), .. SweepGrid]);

        Assert.DoesNotContain("Resumed", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_RaceSplitIntoShards_ExitsUsageError()
    {
        AssertExit(ExitCodes.UsageError, ["sweep", _scenario, "--race", "--shard", "0/2", "--out", Dir("s0"), .. SweepGrid]);

        Assert.Contains("a race cannot be split into parts", _stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    // Every file of the single run, and no other, with the same bytes; the named ones must be among them.
    private static void AssertSameFiles(string expected, string actual, params string[] required)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Subset(names.ToHashSet(), required.ToHashSet<string?>());
        Assert.Contains("exceedance.csv", names);
        foreach (string? file in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file!))), $"{file} differs");
        }
    }

    private string Dir(string name) => Path.Combine(_root, name);

    private void AssertExit(int expected, params string[] args)
    {
        int code = Program.Run(args, _stdout, _stderr);
        Assert.True(code == expected, $"exit {code}, expected {expected}: {_stderr}");
    }
}
