using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

/// <summary>The files streamed during a run: the note when a CSV file outgrows a spreadsheet.</summary>
public sealed class StreamedRunFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-streamed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void SpreadsheetNote_RowsOverTheLimit_NamesTheFileItsRowsAndTheWayOut()
    {
        var scenario = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");
        var result = MonteCarloRunner.Run(scenario, new RunOptions(300, 1, 1));
        long incidents = result.Incidents.Count;
        using var directory = new OutputDirectory(_root);
        using var files = new StreamedRunFiles(directory, scenario, result.Options, new PerTrialFiles(true, true, OutputFormat.Csv), shardBinding: null, CancellationToken.None);
        result.KeptRecords.Replay(new ConsumerChain(files.Consumers));
        files.Complete();

        // A file fits while its rows and the header are within the limit.
        Assert.True(incidents > 301, "the scenario must have more incidents than trials for the test to mean anything");
        Assert.Null(files.SpreadsheetNote(limit: incidents + 1));
        string? note = files.SpreadsheetNote(limit: incidents);
        Assert.NotNull(note);
        Assert.Contains($"incidents.csv has {incidents:N0} rows", note, StringComparison.Ordinal);
        Assert.DoesNotContain("trials.csv", note, StringComparison.Ordinal);
        Assert.Contains("--format parquet", note, StringComparison.Ordinal);
        Assert.Contains("--no-incidents-csv", note, StringComparison.Ordinal);
        Assert.Contains("trials.csv has 300 rows and incidents.csv", files.SpreadsheetNote(limit: 300), StringComparison.Ordinal);
    }

    [Fact]
    public void SpreadsheetNote_Parquet_SaysNothing()
    {
        var scenario = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");
        var result = MonteCarloRunner.Run(scenario, new RunOptions(50, 1, 1));
        using var directory = new OutputDirectory(_root);
        using var files = new StreamedRunFiles(directory, scenario, result.Options, new PerTrialFiles(true, true, OutputFormat.Parquet), shardBinding: null, CancellationToken.None);
        result.KeptRecords.Replay(new ConsumerChain(files.Consumers));
        files.Complete();

        Assert.Null(files.SpreadsheetNote(limit: 2));
    }
}
