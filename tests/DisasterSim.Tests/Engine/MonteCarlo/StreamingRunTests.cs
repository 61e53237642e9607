using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.MonteCarlo;

public sealed class StreamingRunTests
{
    private static readonly RunHooks Streaming = new() { KeepRecords = false };

    private static Scenario Estate() => new ScenarioBuilder()
        .Component("power", failure: new FailureProcess(Exp(300), Exp(4), Effect.Outage))
        .Component("san", requires: All("power"), kind: "storage")
        .Component("dr-host", site: "dr")
        .Service("app", All("san"), detection: Exp(0.5), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Manual, 2, Distribution.Triangular(0.2, 0.5, 2)), rto: 4)
        .Data("db", "app", "san", backups: [Backup(24, 0.5, Location.Offsite)], replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Exp(0.1))], rpo: 1)
        .Threat("fire", 0.5, new Scope(ScopeKind.Site, "hq"), Effect.Destroyed, Distribution.Uniform(200, 2000))
        .Build();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_WithoutKeepingRecords_SameStatisticsAsAKeptRun(int threads)
    {
        var scenario = Estate();
        var kept = MonteCarloRunner.Run(scenario, new RunOptions(5_000, 7, 1));

        var streamed = MonteCarloRunner.Run(scenario, new RunOptions(5_000, 7, threads), Streaming);

        Assert.Equal(kept.Services, streamed.Services);
        Assert.Equal(kept.DataSets, streamed.DataSets);
        Assert.Equal(kept.Costs, streamed.Costs);
        Assert.Null(streamed.Records);
        Assert.Empty(streamed.SketchedStatistics);
    }

    [Fact]
    public void Run_BeyondTheExactBudget_SketchedPercentilesWithinTheirBoundAndExactMeans()
    {
        var scenario = Estate();
        var options = new RunOptions(20_000, 7, 2);
        var exact = MonteCarloRunner.Run(scenario, options, Streaming);

        // 17 statistics share 17,000 values: 1,000 each, fewer than the trials.
        var sketched = MonteCarloRunner.Run(scenario, options with { ExactValueBudget = 17_000 }, Streaming);

        Assert.Contains("service app: downtime per trial", sketched.SketchedStatistics);
        Assert.Contains("data db: loss hours per incident", sketched.SketchedStatistics);
        Assert.DoesNotContain("cost total: per trial", sketched.SketchedStatistics); // no prices: all zeros, one stored run
        var (e, s) = (exact.Services[0].DowntimePerTrial, sketched.Services[0].DowntimePerTrial);
        Assert.Equal(e.Mean, s.Mean);
        Assert.Equal(e.Max, s.Max);
        Assert.Equal(e.ShareNonZero, s.ShareNonZero);
        Assert.True(Math.Abs(s.P99 - e.P99) <= QuantileSketch.DefaultRelativeAccuracy * e.P99, $"P99 {s.P99} against {e.P99}");
        Assert.True(Math.Abs(s.P50 - e.P50) <= QuantileSketch.DefaultRelativeAccuracy * e.P50, $"P50 {s.P50} against {e.P50}");
        Assert.Equal(exact.Services[0].TrialBreachProbability, sketched.Services[0].TrialBreachProbability);
    }

    [Fact]
    public void Trials_RunThatDidNotKeepRecords_ThrowsSayingHowToKeepThem()
    {
        var result = MonteCarloRunner.Run(Estate(), new RunOptions(10, 7, 1), Streaming);

        var e = Assert.Throws<InvalidOperationException>(() => result.Incidents);

        Assert.Contains("KeepRecords", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Run_Consumer_SeesEveryTrialOnceInTrialOrderWithItsRecords(int threads)
    {
        var scenario = Estate();
        var options = new RunOptions(10_000, 3, threads) { FirstTrial = 500 };
        var kept = MonteCarloRunner.Run(scenario, options with { Threads = 1 });
        var seen = new Recording();

        MonteCarloRunner.Run(scenario, options, Streaming with { Consumers = [seen] });

        Assert.Equal(500, seen.Ranges[0].First);
        Assert.All(seen.Ranges.Zip(seen.Ranges.Skip(1)), p => Assert.Equal(p.First.First + p.First.Count, p.Second.First));
        Assert.Equal(10_500, seen.Ranges[^1].First + seen.Ranges[^1].Count);
        Assert.Equal(kept.Incidents, seen.Incidents);
        Assert.Equal(kept.Trials.DowntimeColumn(0), seen.Downtime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_ConsumerFails_ItsExceptionSurfacesAndTheRunStops(int threads)
    {
        var failing = new Failing(afterChunks: 3);

        var e = Assert.Throws<IOException>(() => MonteCarloRunner.Run(Estate(), new RunOptions(50_000, 3, threads), Streaming with { Consumers = [failing] }));

        Assert.Equal("disk full", e.Message);
        Assert.Equal(3, failing.Consumed);
    }

    [Fact]
    public void Run_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var cancelling = new Cancelling(cancellation, afterChunks: 2);

        Assert.ThrowsAny<OperationCanceledException>(() => MonteCarloRunner.Run(Estate(), new RunOptions(50_000, 3, 2), Streaming with { Consumers = [cancelling] }, null, cancellation.Token));
    }

    private sealed class Recording : ITrialChunkConsumer
    {
        public List<(long First, int Count)> Ranges { get; } = [];

        public List<IncidentRecord> Incidents { get; } = [];

        public List<double> Downtime { get; } = [];

        public void Consume(TrialChunk chunk)
        {
            Ranges.Add((chunk.FirstTrial, chunk.Count));
            Incidents.AddRange(chunk.Incidents);
            for (int row = 0; row < chunk.Count; row++)
            {
                Downtime.Add(chunk.Downtime(row, 0));
            }
        }
    }

    private sealed class Failing(int afterChunks) : ITrialChunkConsumer
    {
        public int Consumed { get; private set; }

        public void Consume(TrialChunk chunk)
        {
            if (Consumed == afterChunks)
            {
                throw new IOException("disk full");
            }

            Consumed++;
        }
    }

    private sealed class Cancelling(CancellationTokenSource cancellation, int afterChunks) : ITrialChunkConsumer
    {
        private int _consumed;

        public void Consume(TrialChunk chunk)
        {
            if (++_consumed == afterChunks)
            {
                cancellation.Cancel();
            }
        }
    }
}
