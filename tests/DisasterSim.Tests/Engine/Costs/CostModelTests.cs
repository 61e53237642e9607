using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Costs;

public sealed class CostModelTests
{
    private const double Z99 = 2.5758293035489004;

    /// <summary>
    /// The SAN scenario of the recovery-path tests: a 1 h power outage at 30 h, the SAN destroyed at 40 h, restored from
    /// the offsite backup of 6 h by 54 h. In the 60 h trial: 15 h of downtime in 2 incidents, 34 h and 68 GB lost.
    /// </summary>
    private static Scenario SanScenario()
    {
        var scenario = new ScenarioBuilder().Horizon(60)
            .Component("power", failure: new FailureProcess(Fixed(30), Fixed(1), Effect.Outage))
            .Component("san", failure: new FailureProcess(Fixed(40), Fixed(10), Effect.Destroyed), requires: All("power"), kind: "storage")
            .Service("app", All("san"), detection: Fixed(1))
            .Data("db", "app", "san", sizeGb: 100, rate: 2, backups: [Backup(24, 2, Location.Offsite, offset: 6) with { CostPerYear = 8766 }])
            .Build();
        return scenario with
        {
            Services = [scenario.Services[0] with { Costs = new ServiceCosts(1000, 100) }],
            DataSets = [scenario.DataSets[0] with { Costs = new DataSetCosts(10, 1) }],
            OtherCosts = [new OtherCost("monitoring", 876.6)],
        };
    }

    [Fact]
    public void Protection_SumsBackupsReplicasStandbysAndOtherCosts()
    {
        var scenario = new ScenarioBuilder()
            .Component("san", kind: "storage")
            .Service("app", All("san"), standby: new Standby("dr", null) { CostPerYear = 100_000 }, failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
            .Data(
                "db",
                "app",
                "san",
                backups: [Backup(24, 1, Location.Offsite) with { CostPerYear = 3000 }, Backup(1, 0, Location.Offsite) with { CostPerYear = 500 }],
                replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.1)) { CostPerYear = 20_000 }])
            .Build() with { OtherCosts = [new OtherCost("tests", 7000)] };

        Assert.Equal(130_500, CostModel.Protection(scenario));
        Assert.True(CostModel.HasCosts(scenario));
        Assert.False(CostModel.HasCosts(new ScenarioBuilder().Build()));
    }

    [Fact]
    public void Trial_DeterministicSanLoss_MatchesHandComputation()
    {
        // Protection: (8,766 + 876.6) a year over 60 h of 8,766 = 66. Outage 15 h × 1,000 = 15,000; 2 incidents × 100 = 200;
        // data 34 h × 10 + 68 GB × 1 = 408. Total 15,674.
        var scenario = SanScenario();
        var simulator = new TrialSimulator(SimulationModel.Compile(scenario), seed: 3);
        simulator.Run(0, null);

        var cost = CostModel.Trial(scenario, simulator.TrialDowntime, simulator.TrialIncidents, simulator.TrialLossHours, simulator.TrialLossGb);

        Assert.Equal(66, cost.Protection, 9);
        Assert.Equal(15_000, cost.Outage, 9);
        Assert.Equal(200, cost.Incidents, 9);
        Assert.Equal(408, cost.DataLoss, 9);
        Assert.Equal(15_608, cost.Penalties, 9);
        Assert.Equal(15_674, cost.Total, 9);
    }

    [Fact]
    public void Trial_FromRunResult_EqualsTrialFromSimulator()
    {
        var scenario = SanScenario();
        var result = MonteCarloRunner.Run(scenario, new RunOptions(2, 3, 1));

        var costs = CostModel.Trials(result);
        var summary = CostModel.Summarize(result);

        Assert.All(costs, c => Assert.Equal(15_674, c.Total, 9));
        Assert.Equal(CostModel.Trial(result, 1), costs[1]);
        Assert.Equal(8766 + 876.6, summary.AnnualProtection, 9);
        Assert.Equal(15_674, summary.Total.Mean, 9);
        Assert.Equal(66, summary.Protection.P99, 9);
    }

    [Fact]
    public void Trial_WrongNumberOfValues_Throws()
    {
        var scenario = SanScenario();

        Assert.Throws<ArgumentException>(() => CostModel.Trial(scenario, new double[2], new int[1], new double[1], new double[1]));
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void Penalties_PoissonOutageOnOneService_MeanMatchesClosedFormInside99PercentCi()
    {
        // Outages arrive as a Poisson process of λ = 4 a year and last D = 24 h (fixed); detection 0, no standby.
        // Downtime inside the horizon T is the covered measure of [0, T]: P(covered at t) = 1 − exp(−λ·min(t, D)), so
        // E[downtime] = D − (1 − e^(−λD))/λ + (T − D)(1 − e^(−λD)); incidents start when the service is up:
        // E[incidents] = λ·((1 − e^(−λD))/λ + (T − D)·e^(−λD)). Without overlaps this is λ·T·D per year, as the
        // usual "rate × E[duration] × outage_per_hour"; the closed form also counts merged and truncated outages.
        const double perHour = 20_000, perIncident = 5_000, protection = 40_000;
        double t = SimulationSettings.HoursPerYear, d = 24, rate = 4 / SimulationSettings.HoursPerYear;
        double covered = 1 - Math.Exp(-rate * d);
        double downtime = d - (covered / rate) + ((t - d) * covered);
        double incidents = rate * ((covered / rate) + ((t - d) * (1 - covered)));
        double exact = (downtime * perHour) + (incidents * perIncident);
        var built = new ScenarioBuilder()
            .Component("power")
            .Service("erp", All("power"))
            .Threat("grid", 4, new Scope(ScopeKind.Component, "power"), Effect.Outage, Fixed(d))
            .Build();
        var scenario = built with
        {
            Services = [built.Services[0] with { Costs = new ServiceCosts(perHour, perIncident) }],
            OtherCosts = [new OtherCost("dr contract", protection)],
        };

        var result = MonteCarloRunner.Run(scenario, new RunOptions(20_000, 17, 2));
        var penalties = CostModel.Trials(result).Select(c => c.Penalties).ToArray();
        var summary = CostModel.Summarize(result);

        double mean = penalties.Average();
        double sd = Math.Sqrt(penalties.Sum(x => (x - mean) * (x - mean)) / (penalties.Length - 1));
        double halfWidth = Z99 * sd / Math.Sqrt(penalties.Length);
        Assert.True(halfWidth < 0.02 * exact, $"CI half-width {halfWidth} is too wide for {exact}");
        Assert.True(Math.Abs(mean - exact) <= halfWidth, $"exact {exact} outside [{mean - halfWidth}, {mean + halfWidth}]");
        Assert.Equal(mean + protection, summary.Total.Mean, 6);
    }
}
