using System.Collections.Immutable;
using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Cli;

/// <summary>The run and validate commands end to end, with the loader and engine replaced by the hand-built fixture.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-run-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenarioPath;
    private readonly RunResult _result = RunResultFixture.Create();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private RunOptions? _optionsSeen;

    public RunCommandTests()
    {
        Directory.CreateDirectory(_root);
        _scenarioPath = Path.Combine(_root, RunResultFixture.SourceFileName);
        File.WriteAllBytes(_scenarioPath, RunResultFixture.ScenarioBytes);
    }

    private string OutDir => Path.Combine(_root, "out");

    [Fact]
    public void Run_ValidScenario_WritesGoldenFilesAndPrintsSummary()
    {
        int code = Invoke(Loaded(Warning("simulation.trials", "few trials")), "run", _scenarioPath, "--out", OutDir, "--no-progress");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(RunCommand.OutputFiles.Order(StringComparer.Ordinal), OutputListing.Files(OutDir));
        foreach (string file in new[] { "summary.csv", "trials.csv", "incidents.csv" })
        {
            GoldenFiles.AssertMatches(file, File.ReadAllText(Path.Combine(OutDir, file)));
        }

        string metadata = File.ReadAllText(Path.Combine(OutDir, "metadata.json"));
        Assert.Contains("\"scenario_file\": \"small.yaml\"", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, metadata, StringComparison.Ordinal);
        Assert.Contains("shop", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("orders", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: simulation.trials: few trials", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SummaryOnly_WritesTheSameSummaryAndRemovesOlderPerTrialFiles()
    {
        Assert.Equal(ExitCodes.Success, Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--no-progress"));
        byte[] full = File.ReadAllBytes(Path.Combine(OutDir, "summary.csv"));

        int code = Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--no-progress", "--summary-only");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(["metadata.json", "report.html", "summary.csv"], OutputListing.Files(OutDir));
        Assert.Equal(full, File.ReadAllBytes(Path.Combine(OutDir, "summary.csv")));
        Assert.Contains("Wrote summary.csv, metadata.json, report.html to", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoIncidentsCsv_WritesTheSameTrialsAndRemovesAnOlderIncidentsFile()
    {
        Assert.Equal(ExitCodes.Success, Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--no-progress"));
        byte[] trials = File.ReadAllBytes(Path.Combine(OutDir, "trials.csv"));

        int code = Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--no-progress", "--no-incidents-csv");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(["metadata.json", "report.html", "summary.csv", "trials.csv"], OutputListing.Files(OutDir));
        Assert.Equal(trials, File.ReadAllBytes(Path.Combine(OutDir, "trials.csv")));
        Assert.Contains("Wrote summary.csv, trials.csv, metadata.json, report.html to", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Twice_OutputIsByteIdentical()
    {
        Assert.Equal(ExitCodes.Success, Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--threads", "1"));
        var first = RunCommand.OutputFiles.Select(f => File.ReadAllBytes(Path.Combine(OutDir, f))).ToList();
        Assert.Equal(ExitCodes.Success, Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--threads", "7"));
        var second = RunCommand.OutputFiles.Select(f => File.ReadAllBytes(Path.Combine(OutDir, f))).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Run_NoOptions_TakesTrialsAndSeedFromScenario()
    {
        Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir);

        Assert.Equal(new RunOptions(3, 42, Environment.ProcessorCount), _optionsSeen);
    }

    [Fact]
    public void Run_Options_OverrideScenario()
    {
        Invoke(Loaded(), "run", _scenarioPath, "--out", OutDir, "--trials", "1000", "--seed", "18446744073709551615", "--threads", "3");

        Assert.Equal(new RunOptions(1000, ulong.MaxValue, 3), _optionsSeen);
    }

    [Fact]
    public void Run_LoadErrors_PrintsEveryDiagnosticAndExitsInvalidScenario()
    {
        var result = new LoadResult(null, [Error("services[0].rto", "expected a duration"), Warning("name", "empty"), Error("threats[1].rate", "must be ≥ 0; got -1")]);

        int code = Invoke(_ => result, "run", _scenarioPath, "--out", OutDir);

        Assert.Equal(ExitCodes.InvalidScenario, code);
        Assert.Equal(3, _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{_scenarioPath}:3:5: error: threats[1].rate: must be ≥ 0; got -1", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Null(_optionsSeen);
        Assert.False(Directory.Exists(OutDir));
    }

    [Fact]
    public void Run_OutputDirectoryIsAFile_ExitsRuntimeFailureWithOneLine()
    {
        string file = Path.Combine(_root, "not-a-dir");
        File.WriteAllText(file, "");

        int code = Invoke(Loaded(), "run", _scenarioPath, "--out", Path.Combine(file, "sub"));

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        string stderr = _stderr.ToString();
        Assert.StartsWith("disastersim: error: cannot create output directory", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(_optionsSeen);
    }

    [Fact]
    public void Run_Cancelled_ExitsCancelledAndLeavesNoFile()
    {
        using var cancellation = new CancellationTokenSource();
        var context = Context(Loaded(), cancellation.Token) with
        {
            RunSimulation = (_, _, _, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return _result;
            },
        };

        int code = Program.Run(["run", _scenarioPath, "--out", OutDir], context);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Empty(OutputListing.Files(OutDir));
    }

    [Fact]
    public void Run_EngineThrows_InternalErrorWithoutStackTrace()
    {
        var context = Context(Loaded()) with { RunSimulation = (_, _, _, _, _) => throw new InvalidOperationException("boom") };

        int code = Program.Run(["run", _scenarioPath, "--out", OutDir], context);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Equal("disastersim: internal error: boom\n", _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(OutputListing.Files(OutDir));
    }

    [Fact]
    public void Validate_ValidScenario_PrintsCountsAndWarnings()
    {
        int code = Invoke(Loaded(Warning("threats[0]", "never happens")), "validate", _scenarioPath);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal($"{_scenarioPath}: valid (1 services, 1 data sets, 1 threats)\n", _stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Contains("warning: threats[0]: never happens", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultOutputDirectory_ScenarioPath_IsOutSlashFileNameWithoutExtension() =>
        Assert.Equal(Path.Combine("out", "small"), RunCommand.DefaultOutputDirectory(Path.Combine("some", "dir", "small.yaml")));

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private Func<string, LoadResult> Loaded(params Diagnostic[] diagnostics) =>
        _ => new LoadResult(_result.Scenario, [.. diagnostics]);

    private Diagnostic Warning(string path, string message) => new(Severity.Warning, _scenarioPath, 2, 3, path, message);

    private Diagnostic Error(string path, string message) => new(Severity.Error, _scenarioPath, 3, 5, path, message);

    private CliContext Context(Func<string, LoadResult> load, CancellationToken cancellationToken = default) =>
        new(_stdout, _stderr, StderrIsTerminal: false, cancellationToken)
        {
            LoadScenario = load,
            RunSimulation = (_, options, hooks, _, _) =>
            {
                _optionsSeen = options;
                return RunResultFixture.Feed(_result, hooks);
            },
        };

    private int Invoke(Func<string, LoadResult> load, params string[] args) => Program.Run(args, Context(load));
}
