using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Scenarios;

/// <summary>Every shipped scenario loads cleanly, runs, and tells the story its comments promise.</summary>
public sealed class ShippedScenarioTests
{
    public static string ScenarioDirectory { get; } = FindScenarios();

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ScenarioDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ScenarioDirectory, file));
        }

        return data;
    }

    public static Scenario Load(string name)
    {
        var result = ScenarioLoader.Load(Path.Combine(ScenarioDirectory, name));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        return result.Scenario!;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ShippedScenario_LoadsAndRuns(string name)
    {
        var scenario = Load(name);

        var result = MonteCarloRunner.Run(scenario, new RunOptions(2_000, scenario.Simulation.Seed, 2));

        Assert.Equal(2_000, result.Trials.Trials);
        Assert.NotEmpty(result.Incidents);
        Assert.DoesNotContain(result.Incidents, i => i.Action == IncidentAction.Unresolved);
    }

    private static string FindScenarios()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "scenarios");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "DisasterSim.sln")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No scenarios/ folder above the test binaries.");
    }

    [Fact]
    public void NightlyOnsite_FireLosesEverything()
    {
        var result = MonteCarloRunner.Run(Load("01-nightly-onsite-fire.yaml"), new RunOptions(20_000, 2026, 2));

        var fires = result.Incidents.Where(i => i.CauseKind == CauseKind.Threat && result.Scenario.Threats[i.CauseIndex].Name == "fire").ToList();
        Assert.NotEmpty(fires);
        Assert.All(fires, f => Assert.True(f.TotalLoss));
        Assert.All(fires, f => Assert.Equal(IncidentAction.RebuiltEmpty, f.Action));
        Assert.All(fires, f => Assert.True(f.DowntimeHours >= 30 * 24));
    }

    [Fact]
    public void NightlyOffsite_LossStaysNearADay()
    {
        var result = MonteCarloRunner.Run(Load("02-nightly-offsite.yaml"), new RunOptions(20_000, 2026, 2));

        Assert.NotEmpty(result.DataLosses);
        Assert.DoesNotContain(result.DataLosses, l => l.TotalLoss);
        var stats = result.DataSets[0].LossHoursPerIncident;
        Assert.InRange(stats.Mean, 12, 16);
        Assert.InRange(stats.P99, 24, 27);
    }

    [Fact]
    public void HourlyAsyncDr_LossStaysNearTheReplicationLag()
    {
        var result = MonteCarloRunner.Run(Load("03-hourly-async-dr.yaml"), new RunOptions(20_000, 2026, 2));

        var stats = result.DataSets[0].LossHoursPerIncident;
        Assert.True(stats.P50 < 5.0 / 60, $"median loss {stats.P50} h");
        Assert.True(stats.P95 < 0.5, $"P95 loss {stats.P95} h");
        Assert.True(result.Services[0].DowntimePerIncident.P99 < 4);
    }

    private static RunResult RunShipped(string name, long trials = 20_000) =>
        MonteCarloRunner.Run(Load(name), new RunOptions(trials, 2026, 2));

    [Fact]
    public void Ransomware_ShortRetentionLosesEverythingFarMoreOften()
    {
        var result = RunShipped("08-ransomware.yaml");

        double shortRetention = result.DataSets.Single(d => d.Name == "file-shares").TotalLossProbability;
        double longRetention = result.DataSets.Single(d => d.Name == "erp-db").TotalLossProbability;
        Assert.True(shortRetention > 0.03, $"14-day retention: P(total loss) {shortRetention}");
        Assert.True(shortRetention > 5 * longRetention, $"{shortRetention} vs {longRetention}");
        Assert.DoesNotContain(result.Incidents, i => i.Action == IncidentAction.FailedOver);
    }

    [Fact]
    public void LostLaptops_BackedUpLoseHalfASyncInterval_OthersEverything()
    {
        var result = RunShipped("09-lost-laptops.yaml");

        var synced = result.DataSets.Single(d => d.Name == "sales-laptops").LossHoursPerIncident;
        Assert.InRange(synced.Mean, 1.9, 2.1);
        Assert.InRange(synced.Max, 3.9, 4.0);
        Assert.Equal(1, result.DataSets.Single(d => d.Name == "sales-laptops.unprotected").LossGbPerIncident.P50 / 40, 9);
    }

    [Fact]
    public void PatchTuesday_TwelveFourHourWindowsAYear_ReportedApart()
    {
        var result = RunShipped("10-patch-tuesday.yaml", 2_000);

        var reports = result.Services.Single(s => s.Name == "reports");
        Assert.InRange(reports.PlannedDowntimePerTrial!.Mean, 46, 48.0001);
        var portal = result.Services.Single(s => s.Name == "portal");
        Assert.True(portal.PlannedDowntimePerTrial!.Mean < 15, $"portal planned downtime {portal.PlannedDowntimePerTrial.Mean} h");
    }

    [Fact]
    public void DnsStory_SilentOutageLastsDays_ExternalProbeFindsItInMinutes()
    {
        var result = RunShipped("11-dns-monitoring.yaml");

        var mail = result.Services.Single(s => s.Name == "mail").DowntimePerIncident;
        var fixedMail = result.Services.Single(s => s.Name == "mail-fixed").DowntimePerIncident;
        Assert.True(mail.Mean > 24, $"mail: {mail.Mean} h per incident");
        Assert.True(fixedMail.Max < 1, $"mail-fixed: at most {fixedMail.Max} h");
    }

    [Fact]
    public void CloudOutage_SecondRegionFailsOverInMinutes()
    {
        var result = RunShipped("12-cloud-provider-outage.yaml");

        Assert.True(result.Services.Single(s => s.Name == "shop").DowntimePerIncident.P50 > 2);
        Assert.True(result.Services.Single(s => s.Name == "shop-multi").DowntimePerIncident.Max < 1);
    }

    [Fact]
    public void BeforeAfter_RecommendedEstateCostsLessInExpectation()
    {
        var before = RunShipped("13-before-today.yaml");
        var after = RunShipped("14-after-recommended.yaml");

        double costBefore = DisasterSim.Engine.Costs.CostModel.Summarize(before).Total.Mean;
        double costAfter = DisasterSim.Engine.Costs.CostModel.Summarize(after).Total.Mean;
        Assert.True(costAfter < costBefore, $"after {costAfter} vs before {costBefore}");
        Assert.True(after.DataSets[0].TotalLossProbability < before.DataSets[0].TotalLossProbability / 5);
    }

    [Fact]
    public void ActiveActive_OneSiteDownCostsNothing_TwoSitesDownStopTheService()
    {
        var result = RunShipped("15-active-active.yaml");

        Assert.NotEmpty(result.Incidents);
        double hurricane = result.Incidents.Count(i => i.CauseKind == CauseKind.Threat && result.Scenario.Threats[i.CauseIndex].Name == "hurricane") / (double)result.Incidents.Count;
        Assert.True(hurricane > 0.8, $"only {hurricane:P0} of incidents come from the regional hurricane");
        Assert.Equal(0, result.DataSets[0].LossHoursPerTrial.Max);
    }

    [Fact]
    public void OneAdmin_LastServiceWaitsForTheOthersRestores_TwoPeopleWithPrioritiesDoNot()
    {
        var one = RunShipped("24-one-admin.yaml", 4_000);
        var team = RunShipped("25-team-with-priorities.yaml", 4_000);

        // web is last in the one administrator's queue, behind some 39 hours of other restores; erp is first.
        static double MeanDowntime(RunResult r, string service)
        {
            int s = r.Scenario.Services.IndexOf(r.Scenario.Services.Single(x => x.Name == service));
            return r.Incidents.Where(i => i.Service == s).Average(i => i.DowntimeHours);
        }

        Assert.True(MeanDowntime(one, "web") > MeanDowntime(one, "erp") + 20, $"web {MeanDowntime(one, "web")} h, erp {MeanDowntime(one, "erp")} h an incident");
        Assert.True(MeanDowntime(team, "web") < MeanDowntime(one, "web") - 20, $"team {MeanDowntime(team, "web")} h, one admin {MeanDowntime(one, "web")} h");
    }
}
