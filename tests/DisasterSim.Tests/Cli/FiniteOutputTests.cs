using DisasterSim.Cli;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Cli;

/// <summary>A NaN or an infinity that reaches the writers stops the command with its file, row and column, and nothing is written.</summary>
public sealed class FiniteOutputTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-finite-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public FiniteOutputTests() => Directory.CreateDirectory(_root);

    private string Out => Path.Combine(_root, "out");

    [Fact]
    public void Run_NaNInATrialRow_RefusedNamingFileTrialAndColumnAndNothingWritten()
    {
        var result = RunResultFixture.Create();
        result.KeptRecords.Table.SetService(1, 0, double.NaN, 0);

        int code = Run(result);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Equal(
            "disastersim: internal error: refusing to write a non-finite value to trials.csv: trial 1, column shop.downtime_h is NaN; nothing was written (this is a bug: please report it with the scenario and the command line)\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(OutputListing.Names(Out));
    }

    [Fact]
    public void Run_InfinityInAnIncident_RefusedNamingTheIncident()
    {
        var result = RunResultFixture.Create();
        result.KeptRecords.Incidents[1] = result.KeptRecords.Incidents[1] with { DowntimeHours = double.PositiveInfinity };

        int code = Run(result);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Contains("refusing to write a non-finite value to incidents.csv: trial 2, service shop, incident at 8000.125 h, column downtime_h is Infinity", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(OutputListing.Names(Out));
    }

    [Fact]
    public void Run_NaNStatisticWithSummaryOnly_RefusedNamingRowAndColumn()
    {
        var result = RunResultFixture.Create();
        result = result with { Services = [result.Services[0] with { DowntimePerTrial = result.Services[0].DowntimePerTrial with { StdDev = double.NaN } }] };

        int code = Run(result, "--summary-only");

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Contains("refusing to write a non-finite value to summary.csv: service shop, downtime per trial, column std_dev is NaN", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(OutputListing.Names(Out));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private int Run(RunResult result, params string[] more)
    {
        string scenario = Path.Combine(_root, RunResultFixture.SourceFileName);
        File.WriteAllBytes(scenario, RunResultFixture.ScenarioBytes);
        var context = new CliContext(_stdout, _stderr, StderrIsTerminal: false, CancellationToken.None)
        {
            LoadScenario = _ => new LoadResult(result.Scenario, []),
            RunSimulation = (_, _, hooks, _, _) => RunResultFixture.Feed(result, hooks),
        };
        return Program.Run(["run", scenario, "--out", Out, .. more], context);
    }
}
