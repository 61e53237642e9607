using DisasterSim.Cli;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

/// <summary>Every command that simulates checks its size before it starts, and refuses, with the option to raise the limit, what would outgrow the machine.</summary>
public sealed class RunLimitsTests : IDisposable
{
    // A flicker of the power every five minutes, each lasting a second: valid, and a hundred thousand incidents a trial.
    private const string Storm = """
        name: storm
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }]
        components: [{ name: host, site: hq, kind: host }]
        services:
          - { name: app, site: hq, requires: [host], recovery: { detection: 1s } }
        threats:
          - { name: flicker, kind: power, rate_per_year: 99990, scope: { site: hq }, effect: outage, duration: 1s }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-limits-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly string _storm;
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public RunLimitsTests()
    {
        Directory.CreateDirectory(_root);
        _storm = Path.Combine(_root, "storm.yaml");
        File.WriteAllText(_storm, Storm);
    }

    private string Out => Path.Combine(_root, "out");

    [Fact]
    public void Run_MoreMemoryThanAllowed_RefusedBeforeAnythingIsCreated()
    {
        int code = Run("run", _storm, "--trials", "1000", "--out", Out, "--max-memory", "64MB");

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Matches(@"^disastersim: error: the run would need about [0-9,.]+ (MB|GB) of memory, more than the 64 MB allowed \(--max-memory; by default what is available\); [0-9.]+ (ms|s) a trial, [0-9,]+ events and [0-9,]+ incident records per trial \(a pilot of [0-9]+ trials\)\. Run fewer trials, use --threads 1 \(fewer chunks in flight\), or raise --max-memory if the machine has it\.\n$", _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Run_LongerThanAllowed_RefusedNamingTheEstimateAndTheOption()
    {
        int code = Run("run", _storm, "--trials", "5000", "--out", Out, "--max-time", "1s");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("longer than the 1 s allowed (--max-time)", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("split the run into shards (--shard K/N) on several machines, or raise --max-time if you mean it.", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Run_LongRun_PrintsItsEstimateBeforeStarting()
    {
        using var cancellation = new CancellationTokenSource();
        var context = new CliContext(_stdout, _stderr, StderrIsTerminal: false, cancellation.Token)
        {
            RunSimulation = (_, _, _, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("not reached");
            },
        };

        int code = Program.Run(["run", _storm, "--trials", "100000", "--out", Out, "--max-time", "100d"], context);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Matches(@"^Estimate: about [0-9.,]+ (min|h|days) on [0-9]+ threads? and [0-9.,]+ (MB|GB) of memory; ", _stderr.ToString());
    }

    [Fact]
    public void Profile_TrialsOfAHundredThousandIncidents_SmallChunksSizedOnTheFirstTrial()
    {
        var scenario = ScenarioLoader.Parse(Storm, "storm.yaml").Scenario!;

        var profile = RunProfile.Measure(scenario, 1, 0, 3);
        var again = RunProfile.Measure(scenario, 1, 0, 50);

        // About 100,000 records a trial: 2^20 / 100,000 = 10.5, so chunks of 8 trials, whatever the pilot's length.
        Assert.InRange(profile.FirstTrialRecords, 90_000, 110_000);
        Assert.Equal(8, profile.ChunkTrials);
        Assert.Equal(profile.ChunkTrials, again.ChunkTrials);
        var estimate = profile.Estimate(new RunOptions(1000, 1, 1) { ChunkTrials = profile.ChunkTrials }, keepRecords: false);
        Assert.InRange(estimate.Bytes, 100e6, 1.5e9);
        Assert.InRange(estimate.Incidents, 90e6, 110e6);
    }

    [Fact]
    public void Process_IncidentHeavyTrialsUnderAMemoryCeiling_RunWithinIt()
    {
        if (!CliProcess.Available)
        {
            return;
        }

        // 400 MiB of heap; in chunks of 1,024 trials the records of 100 such trials took 6.4 GB.
        using var child = CliProcess.Start(
            ["run", _storm, "--trials", "100", "--summary-only", "--threads", "1", "--out", Out, "--no-progress"],
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x19000000" });
        var (exit, _, stderr) = child.Wait(TimeSpan.FromMinutes(3));

        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.True(File.Exists(Path.Combine(Out, "summary.csv")));
    }

    [Theory]
    [InlineData("compare --trials 10000001", "2 runs of 10,000,001 trials × 1y horizon = 20,000,002 simulated years, over the limit of 10,000,000")]
    [InlineData("compare --precision 1% --max-trials 9223372036854775807", "2 runs of 9,223,372,036,854,775,807 trials × 1y horizon")]
    [InlineData("compare --precision 1% --max-trials 6000000", "2 runs of 6,000,000 trials × 1y horizon = 12,000,000 simulated years")]
    [InlineData("sweep --trials 10000001", "2 runs of 10,000,001 trials × 1y horizon = 20,000,002 simulated years")]
    public void VariantCommand_TrialYearsOverTheLimit_UsageErrorBeforeAnyRun(string options, string expected)
    {
        string[] words = options.Split(' ');
        string[] args = words[0] == "compare"
            ? ["compare", _scenario, "-V", "x:data[erp-db].rpo=2h", "--out", Out, .. words[1..]]
            : ["sweep", _scenario, "--set", "data[erp-db].rpo=1h,2h", "--out", Out, .. words[1..]];

        int code = Run(args);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(expected, _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Sweep_GridOverTheLimit_RefusedBeforeItIsBuilt()
    {
        string values = string.Join(",", Enumerable.Range(1, 1000).Select(i => i + "h"));

        int code = Run("sweep", _scenario, "--set", "data[erp-db].rpo=" + values, "--set", "services[erp].rto=" + values, "--out", Out);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("disastersim: error: 1,000,000 variants in the grid, over the limit of 1,000; narrow the grid, or raise the limit with --max-variants 1000000 if you mean it.\n", _stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Batch_MoreScenariosThanAllowed_Refused()
    {
        int code = Run("batch", ShippedScenarioTests.ScenarioDirectory, "--out", Out, "--max-variants", "2");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("scenarios, over the limit of 2;", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_HugeTrials_RefusedBeforeMeasuring()
    {
        int code = Run("bench", "--trials", "9999999999999");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("× 3 rounds × 9,999,999,999,999 trials = ", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("over the limit of 10,000,000. Lower --trials or --rounds", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run", "SCENARIO", "--seed", "-1" }, "disastersim: --seed must be a whole number from 0 to 18446744073709551615; got '-1'.")]
    [InlineData(new[] { "compare", "SCENARIO", "SCENARIO", "--seed", "x" }, "disastersim: --seed must be a whole number from 0 to 18446744073709551615; got 'x'.")]
    [InlineData(new[] { "trace", "SCENARIO", "--trial", "1", "--seed", "-1" }, "disastersim: --seed must be a whole number")]
    [InlineData(new[] { "run", "SCENARIO", "--out", "" }, "disastersim: --out must name a directory; got ''.")]
    [InlineData(new[] { "merge", "SCENARIO", "--out", " " }, "disastersim: --out must name a directory; got ' '.")]
    [InlineData(new[] { "compare", "SCENARIO", "--bogus", "-V", "x:data[erp-db].rpo=2h" }, "disastersim: unknown option '--bogus'; a file whose name starts with '-' can be given as ./--bogus.")]
    [InlineData(new[] { "sweep", "--bogus", "SCENARIO", "--set", "data[erp-db].rpo=1h" }, "disastersim: unknown option '--bogus'")]
    [InlineData(new[] { "compare", "SCENARIO", "-V", "x\u202Eevil:data[erp-db].rpo=2h" }, "the variant name holds U+202E, a bidirectional formatting character")]
    public void CommandLine_Misuse_UsageErrorSayingWhatWasExpected(string[] args, string expected)
    {
        int code = Run([.. args.Select(a => a == "SCENARIO" ? _scenario : a)]);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(expected, _stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", _stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ScenarioNamedOnlyDots_DefaultOutputStaysInsideOut()
    {
        string cwd = Path.Combine(_root, "cwd");
        Directory.CreateDirectory(cwd);
        string dots = Path.Combine(cwd, "...yaml");
        File.Copy(_scenario, dots);

        Assert.Equal(Path.Combine("out", "scenario"), DisasterSim.Cli.Commands.RunCommand.DefaultOutputDirectory(dots));
        Assert.Equal(Path.Combine("out", "..x"), DisasterSim.Cli.Commands.RunCommand.DefaultOutputDirectory("..x.yaml"));
    }

    [Fact]
    public void Run_SummaryOnlyOnASmallDisk_RunsBecauseNoPerTrialFileIsWritten()
    {
        var context = new CliContext(_stdout, _stderr, StderrIsTerminal: false, CancellationToken.None) { FreeDiskBytes = _ => 1000 };

        int summaryOnly = Program.Run(["run", _scenario, "--trials", "1000", "--out", Out, "--summary-only"], context);
        int full = Program.Run(["run", _scenario, "--trials", "1000", "--out", Out], context);

        Assert.True(summaryOnly == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(ExitCodes.RuntimeFailure, full);
        Assert.Contains("trials.csv alone needs at least", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_IncidentsOutgrowingTheDisk_WarnedBeforeStarting()
    {
        using var cancellation = new CancellationTokenSource();
        var context = new CliContext(_stdout, _stderr, StderrIsTerminal: false, cancellation.Token)
        {
            FreeDiskBytes = _ => 1_000_000,
            RunSimulation = (_, _, _, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("not reached");
            },
        };

        Program.Run(["run", _storm, "--trials", "20", "--out", Out], context);

        Assert.Matches(@"Warning: incidents\.csv may reach about [0-9,.]+ MB \([0-9,]+ incidents\) and 1,000,000 bytes is free in '.*'; --no-incidents-csv leaves it out\.", _stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private int Run(params string[] args) => Program.Run(args, _stdout, _stderr);
}
