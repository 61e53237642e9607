using BenchmarkDotNet.Attributes;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Benchmarks;

/// <summary>
/// Writing the per-trial and per-incident files of 10,000 availability-20 trials (about 170,000 incidents), to
/// compare with the 0.2-0.3 s it takes to simulate them.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class OutputBenchmarks
{
    private RunResult _result = null!;

    [GlobalSetup]
    public void Setup() =>
        _result = MonteCarloRunner.Run(BenchScenarios.Load("bench/availability-20.yaml"), new RunOptions(10_000, 2026, 1));

    [Benchmark]
    public void SimulateOnly() =>
        MonteCarloRunner.Run(_result.Scenario, new RunOptions(10_000, 2026, 1));

    [Benchmark]
    public void TrialsCsv() => CsvOutputs.WriteTrials(TextWriter.Null, _result);

    [Benchmark]
    public void IncidentsCsv() => CsvOutputs.WriteIncidents(TextWriter.Null, _result);
}
