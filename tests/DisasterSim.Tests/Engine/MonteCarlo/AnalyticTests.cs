using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using MathNet.Numerics.Distributions;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.MonteCarlo;

/// <summary>Closed forms of reliability theory (availability, Poisson arrivals, periodic backups, mirrored MTTDL), each inside the 99% CI of a fixed-seed run.</summary>
[Trait("Category", "Statistical")]
public sealed class AnalyticTests
{
    private const double Z99 = 2.5758293035489004;

    private static void AssertInside99(double exact, IReadOnlyCollection<double> sample, double maxRelativeHalfWidth = 0.02)
    {
        double mean = sample.Average();
        double sd = Math.Sqrt(sample.Sum(x => (x - mean) * (x - mean)) / (sample.Count - 1));
        double halfWidth = Z99 * sd / Math.Sqrt(sample.Count);
        Assert.True(halfWidth < maxRelativeHalfWidth * exact, $"CI half-width {halfWidth} is too wide for {exact}");
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"exact {exact} outside [{mean - halfWidth}, {mean + halfWidth}]");
    }

    [Fact]
    public void OneRepairableComponent_ExpectedDowntimeOverYear_Is34_893()
    {
        // ANALYTIC 1: m = 2000 h, r = 8 h, T = 8766 h.
        double m = 2000, r = 8, t = 8766;
        double l = 1 / m, u = 1 / r;
        double exact = l / (l + u) * (t - ((1 - Math.Exp(-(l + u) * t)) / (l + u)));
        Assert.Equal(34.893, exact, 3);
        var scenario = new ScenarioBuilder().Horizon(t)
            .Component("c", failure: new FailureProcess(Exp(m), Exp(r), Effect.Outage))
            .Service("s", All("c"))
            .Build();

        var result = MonteCarloRunner.Run(scenario, new RunOptions(40_000, 11, 2));

        AssertInside99(exact, result.Trials.DowntimeColumn(0));
    }

    [Fact]
    public void SeriesParallelKofN_LongRunUnavailability_MatchesRbd0_984912()
    {
        // ANALYTIC 2: availabilities 0.99 (power) in series with 1-of-2 fans (0.95) and 2-of-3 disks (0.97).
        // Each component repairs in 1 h on average, so its time to failure has mean A / (1 − A).
        FailureProcess WithAvailability(double a) => new(Exp(a / (1 - a)), Exp(1), Effect.Outage);
        double horizon = 20_000;
        var requires = new RequireAtLeast(3, [
            new RequireComponent("power"),
            new RequireAtLeast(1, [new RequireComponent("fan1"), new RequireComponent("fan2")]),
            new RequireAtLeast(2, [new RequireComponent("d1"), new RequireComponent("d2"), new RequireComponent("d3")]),
        ]);
        var scenario = new ScenarioBuilder().Horizon(horizon)
            .Component("power", failure: WithAvailability(0.99))
            .Component("fan1", failure: WithAvailability(0.95))
            .Component("fan2", failure: WithAvailability(0.95))
            .Component("d1", failure: WithAvailability(0.97))
            .Component("d2", failure: WithAvailability(0.97))
            .Component("d3", failure: WithAvailability(0.97))
            .Service("s", requires)
            .Build();
        double fans = 1 - (0.05 * 0.05);
        double disks = (3 * 0.97 * 0.97 * 0.03) + (0.97 * 0.97 * 0.97);
        double availability = 0.99 * fans * disks;
        Assert.Equal(0.984912, availability, 6);

        var result = MonteCarloRunner.Run(scenario, new RunOptions(1_500, 12, 2));

        // Everything starts up; the transient costs about U/(λ+μ) per component, under 1e-4 of the horizon.
        AssertInside99((1 - availability) * horizon, result.Trials.DowntimeColumn(0));
    }

    [Fact]
    public void PoissonThreat_IncidentCountsPerTrial_ArePoisson()
    {
        // ANALYTIC 3: ρ = 3 per year over one year; short outages so incidents never overlap in practice.
        double rho = 3;
        var scenario = new ScenarioBuilder()
            .Component("c")
            .Service("s", All("c"))
            .Threat("blip", rho, new Scope(ScopeKind.Component, "c"), Effect.Outage, Fixed(0.001))
            .Build();
        int n = 40_000;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(n, 13, 2));

        var counts = Enumerable.Range(0, n).Select(i => (double)result.Trials.IncidentCount(i, 0)).ToList();
        AssertInside99(rho, counts);
        double mean = counts.Average();
        double variance = counts.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        Assert.InRange(variance / rho, 0.97, 1.03);
        double pZero = counts.Count(x => x == 0) / (double)n;
        double se = Math.Sqrt(Math.Exp(-rho) * (1 - Math.Exp(-rho)) / n);
        Assert.InRange(pZero, Math.Exp(-rho) - (Z99 * se), Math.Exp(-rho) + (Z99 * se));

        // Chi-square on the histogram, bins 0..8 and 9+.
        var poisson = new Poisson(rho);
        double chi2 = 0;
        for (int k = 0; k <= 9; k++)
        {
            double p = k < 9 ? poisson.Probability(k) : 1 - poisson.CumulativeDistribution(8);
            double observed = k < 9 ? counts.Count(x => x == k) : counts.Count(x => x >= 9);
            chi2 += (observed - (n * p)) * (observed - (n * p)) / (n * p);
        }

        Assert.True(chi2 < ChiSquared.InvCDF(9, 0.99), $"chi-square {chi2} with 9 degrees of freedom");
    }

    [Fact]
    public void PeriodicBackups_LossOfDestructiveIncident_IsUniformOnDurationToIntervalPlusDuration()
    {
        // ANALYTIC 4: T = 24 h, b = 2 h: loss uniform on [2, 26] h, mean 14 h.
        double interval = 24, duration = 2;
        var scenario = new ScenarioBuilder()
            .Component("san", kind: "storage")
            .Service("s", All("san"))
            .Data("db", "s", "san", backups: [Backup(interval, duration, Location.Offsite)])
            .Threat("san-dies", 1, new Scope(ScopeKind.Component, "san"), Effect.Destroyed, Fixed(0))
            .Build();

        var result = MonteCarloRunner.Run(scenario, new RunOptions(20_000, 14, 2));

        // The first incident of each trial sees an undisturbed schedule (a later one may follow a job that the first
        // one broke). Incidents in the first job window find no backup at all: rare (2 h of the year), reported as total loss.
        var first = result.DataLosses.GroupBy(x => x.Trial).Select(g => g.First()).ToList();
        var losses = first.Where(x => !x.TotalLoss).Select(x => x.LossHours).ToList();
        Assert.True(first.Count(x => x.TotalLoss) < 0.001 * first.Count);
        Assert.InRange(losses.Min(), duration, duration + 0.01);
        Assert.InRange(losses.Max(), interval + duration - 0.01, interval + duration);
        AssertInside99((interval / 2) + duration, losses);
        var sorted = losses.Order().ToArray();
        double ks = sorted.Select((x, i) => Math.Max(Math.Abs(((i + 1.0) / sorted.Length) - ((x - duration) / interval)), Math.Abs((i / (double)sorted.Length) - ((x - duration) / interval)))).Max();
        Assert.True(ks < 1.63 / Math.Sqrt(sorted.Length), $"KS distance {ks}");
    }
}
