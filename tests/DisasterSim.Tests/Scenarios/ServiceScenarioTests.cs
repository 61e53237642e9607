using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Tests.Scenarios;

/// <summary>The figures in the headers of the shipped scenarios of dependent services and shared DR sites, at their own trials and seed.</summary>
public sealed class ServiceScenarioTests
{
    private static RunResult RunShipped(string name)
    {
        var scenario = ShippedScenarioTests.Load(name);
        return MonteCarloRunner.Run(scenario, new RunOptions(scenario.Simulation.Trials, scenario.Simulation.Seed, 2));
    }

    [Fact]
    public void DependentServices_TheChainQuadruplesTheApplicationsDowntime()
    {
        var result = RunShipped("22-dependent-services.yaml");

        var chain = result.Services.Single(s => s.Name == "erp").DowntimePerTrial;
        var alone = result.Services.Single(s => s.Name == "erp-alone").DowntimePerTrial;
        Assert.Equal((4.75, 13.1), (Math.Round(chain.Mean, 2), Math.Round(chain.P99, 1)));
        Assert.Equal((1.10, 4.87), (Math.Round(alone.Mean, 2), Math.Round(alone.P99, 2)));
        Assert.Contains(result.Incidents, i => i.Action == IncidentAction.WaitedForDependency);
    }

    [Fact]
    public void SharedDrSite_TheLastInLineWait_TheHalfSizeStandbyCountsHalf()
    {
        var result = RunShipped("23-shared-dr-site.yaml");

        Assert.Equal(24.6, Math.Round(result.Services.Single(s => s.Name == "crm").DowntimePerTrial.Mean, 1));
        Assert.Equal(24.6, Math.Round(result.Services.Single(s => s.Name == "files").DowntimePerTrial.Mean, 1));
        Assert.Equal(13.5, Math.Round(result.Services.Single(s => s.Name == "erp").DowntimePerTrial.Mean, 1));
        Assert.Equal(434_424, Math.Round(DisasterSim.Engine.Costs.CostModel.Summarize(result).Total.Mean));
    }
}
