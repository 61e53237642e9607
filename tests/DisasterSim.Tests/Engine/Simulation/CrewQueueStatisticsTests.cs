using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// Where the crew queue reduces to M/M/c: one threat destroys a component at Poisson arrivals (rate λ), every arrival's rebuild
/// takes an exponential time (rate μ) of one member of a crew of c who does only rebuilds, and nothing else asks for them.
/// The mean wait before a member takes a rebuild is then Erlang C's W_q = C(c, λ/μ) / (cμ − λ) (Kleinrock, Queueing Systems
/// vol. 1, 1975, §3.5).
/// </summary>
public sealed class CrewQueueStatisticsTests
{
    /// <summary>The probability that an arrival waits in M/M/c with offered load <paramref name="a"/> = λ/μ (Erlang C).</summary>
    private static double ErlangC(int c, double a)
    {
        double term = 1;
        double sum = 0;
        for (int k = 0; k < c; k++)
        {
            sum += term;
            term *= a / (k + 1);
        }

        // term is now a^c / c!.
        double last = term / (1 - (a / c));
        return last / (sum + last);
    }

    private static string Scenario(int c, double lambdaPerHour, double meanRebuildHours) => $$"""
        name: mmc rebuild queue
        simulation: { horizon: 5y, seed: 11 }
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }]
        components: [{ name: host, site: hq, kind: host }]
        services: [{ name: app, site: hq, requires: [host], recovery: { detection: 0s } }]
        threats:
          - { name: breakage, kind: hardware, rate_per_year: {{(lambdaPerHour * 8766).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, scope: { component: host }, effect: destroyed, rebuild: { dist: exponential, mean: {{meanRebuildHours.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}h } }
        crews: [{ name: builders, size: {{c}}, skills: [rebuild] }]
        """;

    [Theory]
    // ρ = λ / (cμ): 0.7 with two members, 2/3 with three, 0.5 with one (M/M/1: W_q = ρ / (μ − λ) = 4 h).
    [InlineData(2, 0.35, 4.0)]
    [InlineData(3, 0.5, 4.0)]
    [InlineData(1, 0.125, 4.0)]
    public void RebuildQueue_MeanWait_MatchesErlangC(int c, double lambda, double meanRebuild)
    {
        var result = ScenarioLoader.Parse(Scenario(c, lambda, meanRebuild), "mmc.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var model = SimulationModel.Compile(result.Scenario!);
        double mu = 1 / meanRebuild;
        double exact = ErlangC(c, lambda / mu) / ((c * mu) - lambda);

        // Each trial (five years, some 5,000 to 15,000 rebuilds, started empty: the transient is a few days) gives one mean
        // wait; trials are independent, so their mean has a t 99% interval. (With 40 trials, seed 11 put the two-member case
        // 2.9 standard errors low; with 200 trials every case is inside at seeds 11 and 13, so that was chance, not bias.)
        const int Trials = 200;
        var sink = new WaitSink();
        var simulator = new TrialSimulator(model, seed: 11, check: false);
        var means = new double[Trials];
        for (int t = 0; t < Trials; t++)
        {
            sink.Clear();
            simulator.Run(t, sink);
            Assert.True(sink.Count > 4000, $"trial {t}: only {sink.Count} rebuilds started");
            means[t] = sink.Sum / sink.Count;
        }

        double mean = means.Average();
        double sd = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (Trials - 1));
        double half = 2.601 * sd / Math.Sqrt(Trials); // t quantile, 199 degrees of freedom, 99% two-sided
        Assert.True(Math.Abs(mean - exact) <= half, $"mean wait {mean:F4} h ± {half:F4} (99%), Erlang C gives {exact:F4} h");

        // The interval is narrow enough to tell: it excludes a wait 5% off the exact value.
        Assert.True(half < 0.05 * exact, $"99% half-width {half:F4} h is too wide to test W_q = {exact:F4} h");
    }

    /// <summary>Sums the waits of the rebuilds crew members start.</summary>
    private sealed class WaitSink : ITrialSink
    {
        public double Sum { get; private set; }

        public int Count { get; private set; }

        public bool WantsTrace => true;

        public void Clear() => (Sum, Count) = (0, 0);

        public void OnIncident(in IncidentRecord incident)
        {
        }

        public void OnDataLoss(in DataLossRecord loss)
        {
        }

        public void OnTrace(in TraceEvent step)
        {
            if (step.Kind == TraceKind.CrewAssigned && (step.Detail & 3) == (int)CrewWork.Rebuild)
            {
                Sum += step.Value;
                Count++;
            }
        }
    }
}
