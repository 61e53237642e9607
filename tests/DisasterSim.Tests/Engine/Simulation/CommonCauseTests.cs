using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Engine.Simulation.Overlaps;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// Common causes: a group of components that one arrival takes down together, rates raised for a while after a threat
/// (aftershocks of its own arrivals, stressed hardware failing more often), and a generator that fails while running.
/// </summary>
public sealed class CommonCauseTests
{
    private static Scenario Load(string yaml)
    {
        var result = ScenarioLoader.Parse(yaml, "causes.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Scenario!;
    }

    private static RunResult Run(Scenario scenario, int trials, ulong seed = 5) => MonteCarloRunner.Run(scenario, new RunOptions(trials, seed, 1));

    /// <summary>Asserts that <paramref name="expected"/> lies in the 99% interval of the mean of <paramref name="values"/>.</summary>
    private static void AssertMeanNear(double expected, IReadOnlyCollection<double> values)
    {
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double half = 2.576 * sd / Math.Sqrt(values.Count);
        Assert.True(Math.Abs(mean - expected) <= half, $"mean {mean} of {values.Count} values; expected {expected} ± {half}");
    }

    private const string Pair = """
        name: pair
        simulation: { horizon: 1y, start: 2026-01-05 }
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }]
        components: [{ name: a, site: hq, kind: host }, { name: b, site: hq, kind: host }]
        services: [{ name: app, site: hq, requires: [{ any_of: [a, b] }], recovery: { detection: 0s } }]
        """;

    [Fact]
    public void Group_TakesDownEveryMember_AtEachArrival()
    {
        // A redundant pair survives the loss of either member; a common cause of both stops it for the whole 5 h, at its
        // rate of 3 a year: 3 incidents a trial on average (99% interval of a Poisson mean over 2,000 trials).
        var scenario = Load(Pair + "\nthreats: [{ name: batch, kind: firmware, rate_per_year: 3, scope: { components: [a, b] }, effect: outage, duration: 5h }]");
        var single = Load(Pair + "\nthreats: [{ name: one, kind: firmware, rate_per_year: 3, scope: { component: a }, effect: outage, duration: 5h }]");

        var result = Run(scenario, 2000);

        Assert.Empty(Run(single, 200).Incidents);
        double perTrial = result.Incidents.Count / 2000.0;
        Assert.InRange(perTrial, 3 - (2.576 * Math.Sqrt(3 / 2000.0)), 3 + (2.576 * Math.Sqrt(3 / 2000.0)));
        Assert.True(result.Incidents.Count(i => Math.Abs(i.DowntimeHours - 5) < 1e-9) > 0.99 * result.Incidents.Count);
    }

    private const string Host = """
        name: stressed
        simulation: { horizon: 1y, start: 2026-01-05 }
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }]
        components: [{ name: host, site: hq, kind: host, failure: { time_to_failure: TTF, time_to_repair: REPAIR } }]
        services: [{ name: app, site: hq, requires: [host], recovery: { detection: 0s } }]
        """;

    [Fact]
    public void RaisedFailures_AgeTheComponentFaster_ForTheWindowOnly()
    {
        // The host would fail at 100 h. Maintenance holds it from 10 h to 20 h; from 20 h it ages twice as fast for 30 h:
        // 20 h of age at 20 h, 80 h of age at 50 h, and the 20 h left pass at the normal rate: it fails at 70 h.
        var scenario = Load(Host.Replace("TTF", "100h", StringComparison.Ordinal).Replace("REPAIR", "1h", StringComparison.Ordinal) + """

            threats:
              - name: swap
                kind: maintenance
                schedule: { dates: [2026-01-05 10:00] }
                scope: { component: host }
                effect: outage
                duration: 10h
                aftermath: { failures: { factor: 2, for: 30h } }
            """);

        var trial = OneTrial.Run(scenario);

        var raised = Assert.Single(trial.Of(TraceKind.RatesRaised));
        Assert.Equal((20.0, 1, 2.0, 50.0), (raised.Time, raised.Detail, raised.Value, raised.Value2));
        var own = trial.Incidents.First(i => i.CauseKind == CauseKind.ComponentFailure);
        Assert.Equal(70, own.StartHours, 9);
        Assert.Equal(1, own.DowntimeHours, 9);
    }

    [Fact]
    public void RaisedFailures_ExponentialHost_FailsFactorTimesAsOftenInTheWindows()
    {
        // Exponential time to failure, mean M = 1,000 h: own failures come at 1/M, and at k/M (k = 10) while a window is
        // open. Windows of W = 100 h open at the end of each one-minute arrival (rate 4 a year) and merge when they overlap:
        // the time covered is about (H − W)(1 − e^(−λW)) + ∫₀^W (1 − e^(−λt)) dt, so E[failures] = (H + (k − 1) × covered) / M.
        var scenario = Load(Host.Replace("TTF", "{ dist: exponential, mean: 1000h }", StringComparison.Ordinal).Replace("REPAIR", "0.36s", StringComparison.Ordinal) + """

            threats: [{ name: shock, kind: power-surge, rate_per_year: 4, scope: { component: host }, effect: outage, duration: 1m, aftermath: { failures: { factor: 10, for: 100h } } }]
            """);
        double h = 8766, w = 100, lambda = 4 / h;
        double covered = ((h - w) * (1 - Math.Exp(-lambda * w))) + w - ((1 - Math.Exp(-lambda * w)) / lambda);
        double expected = (h + (9 * covered)) / 1000;

        var result = Run(scenario, 2000);

        var perTrial = Enumerable.Range(0, 2000)
            .Select(t => (double)result.Incidents.Count(i => i.Trial == t && i.CauseKind == CauseKind.ComponentFailure)).ToList();
        AssertMeanNear(expected, perTrial);
        Assert.True(expected > 12, "the raise is large enough to be seen");
    }

    [Fact]
    public void Aftershocks_ClusterArrivals_AtTheRenewalRate()
    {
        // Base rate λ = 2 a year; after each arrival the rate is k = 20 times that for W = 168 h (an arrival in the window
        // extends it). A cluster holds e^m arrivals on average (m = kλW, a geometric number); a cycle lasts the gaps inside the
        // cluster (each an Exp(kλ) below W), the last window and an Exp(λ) wait: arrivals per hour = e^m / E[cycle].
        var scenario = Load(Host.Replace("TTF", "1000000y", StringComparison.Ordinal).Replace("REPAIR", "1h", StringComparison.Ordinal).Replace("horizon: 1y", "horizon: 50y", StringComparison.Ordinal) + """

            threats: [{ name: quake, kind: earthquake, rate_per_year: 2, scope: { component: host }, effect: outage, duration: 1s, aftermath: { arrivals: { factor: 20, for: 1w } } }]
            """);
        double lambda = 2 / 8766.0, k = 20, w = 168, m = k * lambda * w;
        double gap = (1 / (k * lambda)) - (w * Math.Exp(-m) / (1 - Math.Exp(-m)));
        double cycle = ((Math.Exp(m) - 1) * gap) + w + (1 / lambda);
        double expected = Math.Exp(m) / cycle * 50 * 8766;

        var result = Run(scenario, 400);

        var perTrial = Enumerable.Range(0, 400).Select(t => (double)result.Incidents.Count(i => i.Trial == t)).ToList();
        AssertMeanNear(expected, perTrial);
        Assert.True(expected > 190, "twice the 100 arrivals of the base rate");
    }

    private const string Grid = """
        name: grid
        simulation: { horizon: 1y, start: 2026-01-05 }
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }]
        components:
          - { name: utility, site: hq, kind: power, backup_power: { ups_runtime: 15m, generator: { start_failure_probability: 0, fuel_runtime: 48h, refuel: always, running_time_to_failure: RUN } } }
          - { name: host, site: hq, kind: host, requires: [utility] }
        services: [{ name: app, site: hq, requires: [host], recovery: { detection: 0s } }]
        threats: [{ name: grid, kind: utility, rate_per_year: 1, scope: { component: utility }, effect: outage, duration: 100h }]
        """;

    [Fact]
    public void Generator_FailingWhileRunning_DarkensTheSiteThen()
    {
        // A 100 h utility outage, refuelled: the UPS bridges 15 min, the generator runs 5 h and fails: dark 94.75 h.
        var result = Run(Load(Grid.Replace("RUN", "5h", StringComparison.Ordinal)), 300);

        Assert.NotEmpty(result.Incidents);
        Assert.True(result.Incidents.Count(i => Math.Abs(i.DowntimeHours - 94.75) < 1e-9) > 0.95 * result.Incidents.Count);
    }

    [Fact]
    public void Generator_ExponentialRunningFailure_LosesItsMeanRunningTime()
    {
        // Running time to failure T ~ Exp(10 h): downtime = 100 − 0.25 − min(T, 99.75), mean 99.75 − 10 (1 − e^(−9.975)).
        // Trials with exactly one outage only, so that no second outage overlaps (which trials those are does not depend on T).
        var result = Run(Load(Grid.Replace("RUN", "{ dist: exponential, mean: 10h }", StringComparison.Ordinal)), 6000);

        var single = result.Incidents.GroupBy(i => i.Trial).Where(g => g.Count() == 1).Select(g => g.Single().DowntimeHours).ToList();
        Assert.True(single.Count > 1500);
        AssertMeanNear(99.75 - (10 * (1 - Math.Exp(-9.975))), single);
    }
}
