using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.MonteCarlo;

/// <summary>
/// Closed forms for services that require services and for standbys that are not twins, each inside the 99% CI of a
/// fixed-seed run: a chain's unavailability, the degraded share of time at a partial standby, and the waiting of two
/// services for one place at a shared DR site (a small Markov chain).
/// </summary>
[Trait("Category", "Statistical")]
public sealed class ServiceAnalyticTests
{
    private const double Z99 = 2.5758293035489004;

    private static void AssertInside99(double exact, IReadOnlyCollection<double> sample, double maxRelativeHalfWidth)
    {
        double mean = sample.Average();
        double sd = Math.Sqrt(sample.Sum(x => (x - mean) * (x - mean)) / (sample.Count - 1));
        double halfWidth = Z99 * sd / Math.Sqrt(sample.Count);
        Assert.True(halfWidth < maxRelativeHalfWidth * exact, $"CI half-width {halfWidth} is too wide for {exact}");
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"exact {exact} outside [{mean - halfWidth}, {mean + halfWidth}]");
    }

    private static FailureProcess WithAvailability(double a) => new(Exp(a / (1 - a)), Exp(1), Effect.Outage);

    [Fact]
    public void Chain_AppRequiresDns_UnavailabilityIsOneMinusTheProduct()
    {
        // dns available 0.99, the app's own host 0.98, each repairing in 1 h on average: the app runs only while both do,
        // so its long-run unavailability is 1 − 0.99 × 0.98 = 0.0298, as for components in series; dns keeps its 0.01.
        double horizon = 20_000;
        var scenario = new ScenarioBuilder().Horizon(horizon)
            .Component("dns-host", failure: WithAvailability(0.99))
            .Component("app-host", failure: WithAvailability(0.98))
            .Service("dns", All("dns-host"))
            .Service("app", All("app-host"))
            .Build();
        scenario = scenario with { Services = [scenario.Services[0], scenario.Services[1] with { RequiresServices = ["dns"] }] };

        var result = MonteCarloRunner.Run(scenario, new RunOptions(1_500, 31, 2));

        // Everything starts up; the transient costs about U/(λ+μ) per component, under 1e-4 of the horizon.
        AssertInside99(0.01 * horizon, result.Trials.DowntimeColumn(0), 0.03);
        AssertInside99((1 - (0.99 * 0.98)) * horizon, result.Trials.DowntimeColumn(1), 0.02);
    }

    [Fact]
    public void PartialStandby_DegradedHoursAreTheShortfallTimesTheTimeThere()
    {
        // The host fails with mean 2000 h and repairs with mean 8 h over T = 8766 h; the failover is instant, so the
        // service is at its half-capacity standby exactly while its host is down, and goes home when it is repaired. Its
        // downtime-equivalent is 0.5 × the host's expected downtime, 0.5 × 34.893 h (an alternating renewal process).
        double m = 2000, r = 8, t = 8766;
        double l = 1 / m, u = 1 / r;
        double hostDown = l / (l + u) * (t - ((1 - Math.Exp(-(l + u) * t)) / (l + u)));
        var scenario = new ScenarioBuilder().Horizon(t)
            .Component("host", failure: new FailureProcess(Exp(m), Exp(r), Effect.Outage))
            .Component("dr-host", site: "dr")
            .Service("s", All("host"), standby: new Standby("dr", All("dr-host")) { Capacity = 0.5 }, failover: new Failover(FailoverMode.Automatic, 0, Fixed(0)))
            .Build();

        var result = MonteCarloRunner.Run(scenario, new RunOptions(40_000, 32, 2));

        AssertInside99(0.5 * hostDown, result.Trials.DowntimeColumn(0), 0.03);
    }

    [Fact]
    public void SharedSiteWithOnePlace_EachServiceWaitsRhoSquaredOverTwoOnePlusRhoSquared()
    {
        // Two services, each on its own host (failure rate λ, repair rate μ, exponential), fail over instantly to one DR site
        // with a single place and go home when their host is repaired. States: both up (u), one at the standby (a each),
        // one at the standby and the other waiting (b each). Balance: 2λu = 2μa, 2μb = λa, so u = 1/(1+ρ)², ρ = λ/μ, and
        // each service is down (waiting) a fraction b = ρ² / (2 (1+ρ)²) of the time. With ρ = 0.1: 0.0041322.
        double mttf = 100, mttr = 10, horizon = 50_000;
        double rho = mttr / mttf;
        double waiting = rho * rho / (2 * (1 + rho) * (1 + rho));
        var failover = new Failover(FailoverMode.Automatic, 0, Fixed(0));
        var scenario = new ScenarioBuilder().Horizon(horizon)
            .Component("a-host", failure: new FailureProcess(Exp(mttf), Exp(mttr), Effect.Outage))
            .Component("b-host", failure: new FailureProcess(Exp(mttf), Exp(mttr), Effect.Outage))
            .Component("a-dr", site: "dr")
            .Component("b-dr", site: "dr")
            .Service("a", All("a-host"), standby: new Standby("dr", All("a-dr")), failover: failover)
            .Service("b", All("b-host"), standby: new Standby("dr", All("b-dr")), failover: failover)
            .Build();
        scenario = scenario with { Sites = [.. scenario.Sites.Select(s => s.Name == "dr" ? s with { Capacity = 1 } : s)] };

        var result = MonteCarloRunner.Run(scenario, new RunOptions(2_000, 33, 2));

        // Starting with both up, the chain relaxes within tens of hours: the transient is under 1e-3 of the horizon.
        AssertInside99(waiting * horizon, result.Trials.DowntimeColumn(0), 0.03);
        AssertInside99(waiting * horizon, result.Trials.DowntimeColumn(1), 0.03);
    }
}
