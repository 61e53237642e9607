using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Scenarios;


namespace DisasterSim.Tests.Cli.Sharding;

/// <summary>Shards of a shipped scenario, run and merged through the command line with the real loader and engine.</summary>
public sealed class ShardMergeTests : IDisposable
{
    private const string Trials = "3000";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-shards-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public ShardMergeTests() => Directory.CreateDirectory(_root);

    [Fact]
    public void Merge_ThreeShards_ByteIdenticalToSingleRun()
    {
        string single = Run("single", "--trials", Trials);
        string[] shards = [Run("s0", "--trials", Trials, "--shard", "0/3"), Run("s1", "--trials", Trials, "--shard", "1/3"), Run("s2", "--trials", Trials, "--shard", "2/3")];

        // Given in another order than the trials': merge sorts them.
        AssertExit(ExitCodes.Success, "merge", shards[2], shards[0], shards[1], "--out", Dir("merged"));

        AssertSameOutputs(single, Dir("merged"));
        Assert.Contains("Merged 3 shards (3000 trials)", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MergeFormatXlsx_TwoShards_WorkbookByteIdenticalToSingleRunsAndEqualToTheMergedCsv()
    {
        string single = Run("single", "--trials", Trials, "--format", "xlsx");
        string[] shards = [Run("s0", "--trials", Trials, "--shard", "0/2"), Run("s1", "--trials", Trials, "--shard", "1/2")];

        AssertExit(ExitCodes.Success, "merge", shards[0], shards[1], "--format", "xlsx", "--out", Dir("merged"));

        string workbook = Path.Combine(Dir("merged"), ResultsWorkbook.FileName);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, ResultsWorkbook.FileName)), File.ReadAllBytes(workbook));
        ResultsWorkbookTests.AssertSheetEqualsCsv(workbook, "trials", Path.Combine(Dir("merged"), "trials.csv"));
        Assert.Contains("metadata.json, results.xlsx, report.html to", _stderr.ToString(), StringComparison.Ordinal);

        AssertExit(ExitCodes.UsageError, "merge", shards[0], shards[1], "--format", "ods", "--out", Dir("m2"));
    }

    [Fact]
    public void Merge_RangesNotOnChunkBoundaries_ByteIdenticalToSingleRun()
    {
        string single = Run("single", "--trials", "2500");
        string a = Run("a", "--trials-from", "0", "--trials-to", "1");
        string b = Run("b", "--trials-from", "1", "--trials-to", "1500");
        string c = Run("c", "--trials", "2500", "--trials-from", "1500");

        AssertExit(ExitCodes.Success, "merge", a, b, c, "--out", Dir("merged"));

        AssertSameOutputs(single, Dir("merged"));
    }

    [Fact]
    public void Run_Shard_WritesShardFilesAndItsOwnTrials()
    {
        string shard = Run("s1", "--trials", Trials, "--shard", "1/3");

        var manifest = ShardManifest.ReadJson(File.ReadAllBytes(Path.Combine(shard, "shard.json")));
        Assert.Equal((1000L, 1000L, (long?)3000), (manifest.FirstTrial, manifest.Trials, manifest.TotalTrials));
        Assert.Equal(File.ReadAllBytes(_scenario), File.ReadAllBytes(Path.Combine(shard, "scenario.yaml")));
        string[] trialRows = File.ReadAllLines(Path.Combine(shard, "trials.csv"));
        Assert.Equal(1001, trialRows.Length);
        Assert.StartsWith("1000,", trialRows[1], StringComparison.Ordinal);
        Assert.StartsWith("1999,", trialRows[^1], StringComparison.Ordinal);
        Assert.Contains("\"first_trial\": 1000,", File.ReadAllText(Path.Combine(shard, "metadata.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MissingMiddleShard_ExitsInvalidInputNamingTheMissingTrials()
    {
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/3");
        string s2 = Run("s2", "--trials", Trials, "--shard", "2/3");

        AssertExit(ExitCodes.InvalidScenario, "merge", s0, s2, "--out", Dir("merged"));

        Assert.Contains("trials 1000..1999 are missing", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("merged")));
    }

    [Fact]
    public void Merge_MissingLastShard_ExitsInvalidInputNamingTheMissingTrials()
    {
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/3");
        string s1 = Run("s1", "--trials", Trials, "--shard", "1/3");

        AssertExit(ExitCodes.InvalidScenario, "merge", s0, s1, "--out", Dir("merged"));

        Assert.Contains("trials 2000..2999 are missing: the shards were made for 3000 trials", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OverlappingRanges_ExitsInvalidInputNamingTheOverlap()
    {
        string a = Run("a", "--trials-from", "0", "--trials-to", "1200");
        string b = Run("b", "--trials-from", "1000", "--trials-to", "2000");

        AssertExit(ExitCodes.InvalidScenario, "merge", a, b, "--out", Dir("merged"));

        Assert.Contains("overlap on trials 1000..1199", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentSeed_ExitsInvalidInputNamingBothSeeds()
    {
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/2");
        string s1 = Run("s1", "--trials", Trials, "--shard", "1/2", "--seed", "7");

        AssertExit(ExitCodes.InvalidScenario, "merge", s0, s1, "--out", Dir("merged"));

        Assert.Contains($"the seed differs ({s0}: 2026, {s1}: 7)", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentScenarioFile_ExitsInvalidInputNamingTheHash()
    {
        string edited = Path.Combine(_root, "03-hourly-async-dr.yaml");
        File.WriteAllText(edited, File.ReadAllText(_scenario) + "\n# edited\n");
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/2");
        string s1 = RunScenario(edited, "s1", "--trials", Trials, "--shard", "1/2");

        AssertExit(ExitCodes.InvalidScenario, "merge", s0, s1, "--out", Dir("merged"));

        Assert.Contains("the scenario file (SHA-256) differs", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NotAShard_ExitsInvalidInput()
    {
        string single = Run("single", "--trials", "10");

        AssertExit(ExitCodes.InvalidScenario, "merge", single, "--out", Dir("merged"));

        Assert.Contains($"{single}: no shard.json", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_AlteredRecords_ExitsRuntimeFailure()
    {
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/2");
        string s1 = Run("s1", "--trials", Trials, "--shard", "1/2");
        string records = Path.Combine(s1, "shard.bin");
        byte[] bytes = File.ReadAllBytes(records);
        bytes[100] ^= 1;
        File.WriteAllBytes(records, bytes);

        AssertExit(ExitCodes.RuntimeFailure, "merge", s0, s1, "--out", Dir("merged"));

        Assert.Contains("records_sha256", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("merged")));
    }

    [Theory]
    [InlineData("cause", "a record of Threat cause 99, where there are ")]
    [InlineData("action", "a record of action 200, where there are 11")]
    [InlineData("start", "a record starts at NaN h, outside the horizon")]
    [InlineData("downtime", "incident downtime of #0 is -Infinity, where a finite amount of at least 0 was expected")]
    public void Merge_ForgedRecordWithHashesRecomputed_ExitsRuntimeFailureNamingFileBlockAndField(string field, string expected)
    {
        string s0 = Run("s0", "--trials", Trials, "--shard", "0/2");
        string s1 = Run("s1", "--trials", Trials, "--shard", "1/2");
        Forge(s1, incident => field switch
        {
            "cause" => incident with { CauseKind = CauseKind.Threat, CauseIndex = 99 },
            "action" => incident with { Action = (IncidentAction)200 },
            "start" => incident with { StartHours = double.NaN },
            _ => incident with { DowntimeHours = double.NegativeInfinity },
        });

        AssertExit(ExitCodes.RuntimeFailure, "merge", s0, s1, "--out", Dir("merged"));

        string stderr = _stderr.ToString();
        Assert.Contains($"disastersim: error: {Path.Combine(s1, "shard.bin")}: block at trial ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dir("merged"), "incidents.csv")));
    }

    [Fact]
    public void Merge_RecordsFileIsAFifo_ExitsRuntimeFailureWithoutWaiting()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string s0 = Run("s0", "--trials", Trials, "--shard", "0/2");
        string s1 = Run("s1", "--trials", Trials, "--shard", "1/2");
        string records = Path.Combine(s1, "shard.bin");
        File.Delete(records);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [records]))
        {
            mkfifo.WaitForExit();
        }

        // A writer that never writes: the pipe opens, but holds no records file.
        FileStream? writer = null;
        var opener = new Thread(() => writer = new FileStream(records, FileMode.Open, FileAccess.Write)) { IsBackground = true };
        opener.Start();
        AssertExit(ExitCodes.RuntimeFailure, "merge", s0, s1, "--out", Dir("merged"));

        Assert.Contains($"{records}: is empty or not a regular file (a pipe or a device); the shard is incomplete or altered", _stderr.ToString(), StringComparison.Ordinal);
        opener.Join();
        writer?.Dispose();
    }

    // Rewrites a shard's records with its first incident changed, the block checksums, records_sha256 and binding all valid: a forgery, not damage.
    private void Forge(string shard, Func<IncidentRecord, IncidentRecord> change)
    {
        string manifestPath = Path.Combine(shard, "shard.json");
        string records = Path.Combine(shard, "shard.bin");
        var manifest = ShardManifest.ReadJson(File.ReadAllBytes(manifestPath));
        var scenario = ScenarioLoader.Load(_scenario).Scenario!;
        var table = new TrialTable(manifest.FirstTrial, manifest.Trials, scenario.Services.Length, scenario.DataSets.Length);
        var sink = new Sink();
        using (var stream = File.OpenRead(records))
        {
            TrialRecordsFile.Read(stream, RecordShape.Of(scenario), manifest.RecordsBinding(), table, sink);
        }

        sink.Incidents[0] = change(sink.Incidents[0]);
        using (var stream = File.Create(records))
        {
            TrialRecordsFile.Write(stream, manifest.RecordsBinding(), table, manifest.FirstTrial, manifest.Trials, sink.Incidents, sink.Losses);
        }

        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(records)));
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace(manifest.RecordsSha256!, hash, StringComparison.Ordinal));
    }

    private sealed class Sink : ITrialSink
    {
        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);
    }

    [Theory]
    [InlineData("--shard", "3/3")]
    [InlineData("--shard", "1")]
    [InlineData("--shard", "-1/3")]
    [InlineData("--trials-from", "-5")]
    public void Run_BadRange_ExitsUsageError(string option, string value)
    {
        AssertExit(ExitCodes.UsageError, "run", _scenario, "--out", Dir("x"), option, value);

        Assert.Contains(option, _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MoreShardsThanTrials_ExitsUsageError()
    {
        AssertExit(ExitCodes.UsageError, "run", _scenario, "--trials", "2", "--shard", "0/3", "--out", Dir("x"));

        Assert.Contains("leave shard 0 empty", _stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static void AssertSameOutputs(string expected, string actual)
    {
        foreach (string file in RunCommand.OutputFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }

    private string Dir(string name) => Path.Combine(_root, name);

    private string Run(string name, params string[] options) => RunScenario(_scenario, name, options);

    private string RunScenario(string scenario, string name, params string[] options)
    {
        AssertExit(ExitCodes.Success, ["run", scenario, "--out", Dir(name), "--threads", "2", .. options]);
        return Dir(name);
    }

    private void AssertExit(int expected, params string[] args)
    {
        int code = Program.Run(args, _stdout, _stderr);
        Assert.True(code == expected, $"exit {code}, expected {expected}: {_stderr}");
    }
}
