using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Cli;

/// <summary>What the run command checks before simulating, and what it says when it stops early.</summary>
public sealed class RunPreflightTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-preflight-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenarioPath;
    private readonly RunResult _result = RunResultFixture.Create();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private int _simulations;

    public RunPreflightTests()
    {
        Directory.CreateDirectory(_root);
        _scenarioPath = Path.Combine(_root, RunResultFixture.SourceFileName);
        File.WriteAllBytes(_scenarioPath, RunResultFixture.ScenarioBytes);
    }

    private string OutDir => Path.Combine(_root, "out");

    [Fact]
    public void Run_TrialsTimesHorizonOverLimit_UsageErrorNamingLimitAndHowToRaiseIt()
    {
        int code = Program.Run(["run", _scenarioPath, "--out", OutDir, "--trials", "5", "--max-trial-years", "4"], Context());

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal(
            "disastersim: error: 5 trials × 1y horizon = 5 simulated years, over the limit of 4 (trials × horizon). Lower --trials (or simulation.trials), or raise the limit with --max-trial-years 5 if you mean it.\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, _simulations);
        Assert.False(Directory.Exists(OutDir));
    }

    [Fact]
    public void Run_TrialsTimesHorizonAtLimit_Runs()
    {
        int code = Program.Run(["run", _scenarioPath, "--out", OutDir, "--trials", "5", "--max-trial-years", "5"], Context());

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(1, _simulations);
    }

    [Fact]
    public void Run_DefaultLimit_TenMillionTrialYears()
    {
        int code = Program.Run(["run", _scenarioPath, "--out", OutDir, "--trials", "10000001"], Context());

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("over the limit of 10,000,000 (trials × horizon)", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(10_000_000, RunCommand.DefaultMaxTrialYears);
    }

    [Fact]
    public void Run_DiskTooSmall_FailsBeforeSimulatingAndWritesNothing()
    {
        var context = Context() with { FreeDiskBytes = _ => 100 };

        int code = Program.Run(["run", _scenarioPath, "--out", OutDir, "--trials", "1000"], context);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.StartsWith($"disastersim: error: not enough disk space for the results in '{OutDir}': trials.csv alone needs at least 10,000 bytes and 100 bytes is free; free some space, choose another --out, or run fewer trials.", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _simulations);
        Assert.Empty(OutputListing.Names(OutDir));
    }

    [Theory]
    [InlineData(1000, 2, 10_000)]
    [InlineData(long.MaxValue, 20_000, long.MaxValue)]
    public void MinimumOutputBytes_TrialsAndEntities_OneDigitAndSeparatorPerFieldWithoutOverflow(long trials, int entities, long expected) =>
        Assert.Equal(expected, RunCommand.MinimumOutputBytes(trials, entities));

    [Fact]
    public void Run_OutputFileIsADirectory_FailsBeforeSimulating()
    {
        Directory.CreateDirectory(Path.Combine(OutDir, "trials.csv"));

        int code = Program.Run(["run", _scenarioPath, "--out", OutDir], Context());

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Contains("cannot write to output directory", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("is a directory", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _simulations);
        Assert.Equal(["trials.csv"], OutputListing.Names(OutDir));
    }

    [Fact]
    public void Run_CancelledMidway_SaysHowFarItGotAndWritesNothing()
    {
        using var cancellation = new CancellationTokenSource();
        var context = Context(cancellation.Token) with
        {
            RunSimulation = (_, _, _, progress, token) =>
            {
                progress!.Report(1024);
                progress.Report(2048);
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return _result;
            },
        };

        int code = Program.Run(["run", _scenarioPath, "--out", OutDir, "--trials", "5000"], context);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal("disastersim: cancelled after 2,048 of 5,000 trials; nothing written.\n", _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(OutputListing.Names(OutDir));
    }

    [Fact]
    public void Run_ExistingResults_StayUntouchedWhenCancelled()
    {
        Directory.CreateDirectory(OutDir);
        File.WriteAllText(Path.Combine(OutDir, "trials.csv"), "old\n");
        using var cancellation = new CancellationTokenSource();
        var context = Context(cancellation.Token) with
        {
            RunSimulation = (_, _, _, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return _result;
            },
        };

        Assert.Equal(ExitCodes.Cancelled, Program.Run(["run", _scenarioPath, "--out", OutDir], context));

        Assert.Equal(["trials.csv"], OutputListing.Names(OutDir));
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(OutDir, "trials.csv")));
    }

    [Fact]
    public void ReproducingCommandLine_NamesFileTrialsAndSeed_RangeForAPart()
    {
        Assert.Equal(["disastersim", "run", "s.yaml", "--trials", "10", "--seed", "7"], RunMetadata.ReproducingCommandLine(new RunOptions(10, 7, 4), "/tmp/x/s.yaml"));
        Assert.Equal(
            ["disastersim", "run", "s.yaml", "--trials-from", "5", "--trials-to", "15", "--seed", "7"],
            RunMetadata.ReproducingCommandLine(new RunOptions(10, 7, 1) { FirstTrial = 5 }, "s.yaml"));
    }

    [Fact]
    public void Run_Metadata_RecordsCommandLineAndIsTheSameForAnyThreadCount()
    {
        Assert.Equal(ExitCodes.Success, Program.Run(["run", _scenarioPath, "--seed", "42", "--out", OutDir, "--threads", "1"], Context()));
        string first = File.ReadAllText(Path.Combine(OutDir, "metadata.json"));
        Assert.Equal(ExitCodes.Success, Program.Run(["run", _scenarioPath, "--threads", "5", "--seed", "42", "--out", OutDir], Context()));
        string second = File.ReadAllText(Path.Combine(OutDir, "metadata.json"));

        Assert.Contains("\"command_line\": [\n    \"disastersim\",\n    \"run\",\n    \"small.yaml\",\n    \"--trials\",", first, StringComparison.Ordinal);
        Assert.Contains("\"--seed\",\n    \"42\"\n  ]", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private CliContext Context(CancellationToken cancellationToken = default) =>
        new(_stdout, _stderr, StderrIsTerminal: false, cancellationToken)
        {
            LoadScenario = _ => new LoadResult(_result.Scenario, []),
            FreeDiskBytes = _ => long.MaxValue,
            RunSimulation = (_, _, _, _, _) =>
            {
                _simulations++;
                return _result;
            },
        };
}
