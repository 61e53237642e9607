using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models;

public class ScenarioLoaderTests
{
    internal const string FullScenario = """
        name: Hourly backups plus async replication
        description: free text
        simulation:
          horizon: 2y
          start: 2026-03-01T06:30
          trials: 5000
          seed: 42
        regions:
          - name: gulf
          - name: inland
        sites:
          - name: hq
            region: gulf
          - name: dr
            region: inland
        components:
          - name: hq-power
            site: hq
            kind: power
            failure:
              time_to_failure: { dist: exponential, mean: 4000h }
              time_to_repair: { dist: lognormal, median: 2h, p90: 8h }
          - name: hq-host
            site: hq
            kind: host
            requires: [hq-power]
          - name: hq-san-a
            site: hq
            kind: storage
            requires: [hq-power]
          - name: hq-san-b
            site: hq
            kind: storage
            failure:
              time_to_failure: { dist: weibull, shape: 1.5, scale: 1y }
              time_to_repair: 4h
              effect: destroyed
          - name: web1
            site: hq
            kind: host
          - name: web2
            site: hq
            kind: host
          - name: web3
            site: hq
            kind: host
          - name: dr-host
            site: dr
            kind: host
        services:
          - name: erp
            site: hq
            requires:
              - hq-host
              - any_of: [hq-san-a, hq-san-b]
              - k_of_n: { k: 2, of: [web1, web2, web3] }
            rto: 4h
            standby:
              site: dr
              requires: [dr-host]
            recovery:
              detection: 15m
              failover:
                mode: manual
                after: 1h
                duration: { dist: triangular, min: 10m, mode: 15m, max: 1h }
        data:
          - name: erp-db
            service: erp
            storage: hq-san-a
            size_gb: 500
            change_rate_gb_per_hour: 2
            rpo: 1h
            backups:
              - name: hourly
                interval: 1h
                offset: 5m
                duration: 10m
                destination: offsite
                retention: 30d
                restore:
                  throughput_gb_per_hour: 200
                  setup: 1h
              - name: nightly
                interval: 1d
                destination: { site: dr }
                restore:
                  throughput_gb_per_hour: 50
            replication:
              - mode: async
                to: { site: dr }
                lag: { dist: exponential, mean: 5m }
              - mode: sync
                to: { component: hq-san-b }
        threats:
          - name: fire
            kind: fire
            rate_per_year: 0.0033
            scope: { site: hq }
            effect: destroyed
            rebuild: { dist: uniform, min: 30d, max: 90d }
          - name: utility-power
            kind: power
            rate_per_year: 1.4
            scope: { component: hq-power }
            effect: outage
            duration: { dist: lognormal, low: 30m, high: 8h }
          - name: hurricane
            kind: hurricane
            rate_per_year: 0.1
            scope: { region: gulf }
            effect: outage
            duration: { dist: gamma, shape: 2, mean: 3d }
          - name: disk
            kind: hardware
            rate_per_year: 0.5
            scope: { component: hq-san-a }
            effect: outage
            duration: { dist: pert, min: 1h, mode: 2h, max: 1d }
          - name: odd
            kind: other
            rate_per_year: 0
            scope: { component: web1 }
            effect: outage
            duration: { dist: lognormal, mu: 0.5, sigma: 1.2 }
        """;

    [Fact]
    public void Parse_FullScenario_LoadsEveryValue()
    {
        LoadResult result = ScenarioLoader.Parse(FullScenario, "full.yaml");

        Assert.Empty(result.Diagnostics);
        Scenario s = Assert.IsType<Scenario>(result.Scenario);
        Assert.Equal("Hourly backups plus async replication", s.Name);
        Assert.Equal("free text", s.Description);
        Assert.Equal(new SimulationSettings(2 * 8766, new DateTime(2026, 3, 1, 6, 30, 0), 5000, 42), s.Simulation);
        Assert.Equal(["gulf", "inland"], s.Regions.Select(r => r.Name));
        Assert.Equal(new Site("dr", "inland"), s.Sites[1]);

        Component power = s.Components[0];
        Assert.Equal("power", power.Kind);
        FailureProcess failure = Assert.IsType<FailureProcess>(power.Failure);
        Assert.Equal(Distribution.ExponentialByMean(4000), failure.TimeToFailure);
        Assert.Equal(DistributionKind.LogNormal, failure.TimeToRepair.Kind);
        Assert.Equal(Math.Log(2), failure.TimeToRepair.A, 12);
        Assert.Equal(Math.Log(4) / 1.2815515655446004, failure.TimeToRepair.B, 12);
        Assert.Equal(Effect.Outage, failure.Effect);
        Assert.Equal(new RequireComponent("hq-power"), s.Components[1].Requires);
        Assert.Equal(Effect.Destroyed, s.Components[3].Failure!.Effect);
        Assert.Equal(Distribution.Weibull(1.5, 8766), s.Components[3].Failure!.TimeToFailure);
        Assert.Equal(Distribution.Fixed(4), s.Components[3].Failure!.TimeToRepair);

        Service erp = s.Services.Single();
        Assert.Equal(4, erp.RtoHours);
        RequireAtLeast all = Assert.IsType<RequireAtLeast>(erp.Requires);
        Assert.Equal(3, all.K);
        Assert.Equal(new RequireComponent("hq-host"), all.Items[0]);
        RequireAtLeast anyOf = Assert.IsType<RequireAtLeast>(all.Items[1]);
        Assert.Equal(1, anyOf.K);
        Assert.Equal<Requirement>([new RequireComponent("hq-san-a"), new RequireComponent("hq-san-b")], anyOf.Items);
        RequireAtLeast kOfN = Assert.IsType<RequireAtLeast>(all.Items[2]);
        Assert.Equal(2, kOfN.K);
        Assert.Equal(3, kOfN.Items.Length);
        Assert.Equal(new Standby("dr", new RequireComponent("dr-host")), erp.Standby);
        Assert.Equal(Distribution.Fixed(0.25), erp.Recovery.Detection);
        Failover failover = Assert.IsType<Failover>(erp.Recovery.Failover);
        Assert.Equal(FailoverMode.Manual, failover.Mode);
        Assert.Equal(1, failover.AfterHours);
        Assert.Equal(Distribution.Triangular(10.0 / 60, 0.25, 1), failover.Duration);

        DataSet db = s.DataSets.Single();
        Assert.Equal(("erp-db", "erp", "hq-san-a", 500.0, 2.0, (double?)1.0), (db.Name, db.Service, db.Storage, db.SizeGb, db.ChangeRateGbPerHour, db.RpoHours));
        Assert.Equal(new Backup("hourly", 1, 5.0 / 60, 10.0 / 60, Location.Offsite, 200, 1, 720), db.Backups[0]);
        Assert.Equal(new Backup("nightly", 24, 0, 0, new Location(LocationKind.Site, "dr"), 50, 0, null), db.Backups[1]);
        Assert.Equal(new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Distribution.ExponentialByMean(5.0 / 60)), db.Replications[0]);
        Assert.Equal(new Replication(ReplicationMode.Sync, new Location(LocationKind.Component, "hq-san-b"), null), db.Replications[1]);

        Assert.Equal(5, s.Threats.Length);
        Threat fire = s.Threats[0];
        Assert.Equal(new Threat("fire", "fire", 0.0033, new Scope(ScopeKind.Site, "hq"), Effect.Destroyed, null, Distribution.Uniform(720, 2160)), fire);
        Threat power2 = s.Threats[1];
        Assert.Equal(new Scope(ScopeKind.Component, "hq-power"), power2.Scope);
        Assert.Null(power2.Rebuild);
        Distribution interval = Assert.IsType<Distribution>(power2.Duration);
        Assert.Equal((Math.Log(0.5) + Math.Log(8)) / 2, interval.A, 12);
        Assert.Equal((Math.Log(8) - Math.Log(0.5)) / (2 * Distribution.Z95), interval.B, 12);
        Assert.Equal(new Scope(ScopeKind.Region, "gulf"), s.Threats[2].Scope);
        Assert.Equal(Distribution.GammaByShapeMean(2, 72), s.Threats[2].Duration);
        Assert.Equal(Distribution.Pert(1, 2, 24), s.Threats[3].Duration);
        Assert.Equal(Distribution.LogNormal(0.5, 1.2), s.Threats[4].Duration);
    }

    [Fact]
    public void Parse_MinimalScenario_UsesDefaults()
    {
        LoadResult result = ScenarioLoader.Parse("name: empty estate\n", "min.yaml");

        Assert.True(result.Success);
        Assert.Equal(SimulationSettings.Default, result.Scenario!.Simulation);
        Assert.Empty(result.Scenario.Components);
        Assert.Null(result.Scenario.Description);
    }

    [Fact]
    public void Load_MissingFile_ReturnsDiagnosticWithoutThrowing()
    {
        string path = Path.Combine(Path.GetTempPath(), "disastersim-" + Guid.NewGuid().ToString("N") + ".yaml");

        LoadResult result = ScenarioLoader.Load(path);

        Assert.False(result.Success);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(path, d.File);
        Assert.Contains("does not exist", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Directory_ReturnsDiagnosticWithoutThrowing()
    {
        LoadResult result = ScenarioLoader.Load(Path.GetTempPath());

        Assert.False(result.Success);
        Assert.Contains("directory", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExistingFile_LoadsIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "disastersim-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, FullScenario);
        try
        {
            LoadResult result = ScenarioLoader.Load(path);

            Assert.True(result.Success);
            Assert.Equal(5, result.Scenario!.Threats.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_TextOverTheSizeLimit_IsRejectedBeforeParsing()
    {
        string yaml = "name: big\ndescription: " + new string('x', 11 * 1024 * 1024) + "\n";

        LoadResult result = ScenarioLoader.Parse(yaml, "big.yaml");

        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Contains("10 MiB", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsAllInFileOrder()
    {
        const string yaml = """
            name: x
            sites:
              - name: a
                region: nowhere
              - name: b
                regoin: gulf
            threats:
              - name: t
                kind: fire
                rate_per_year: -1
                scope: { site: c }
                effect: outage
                duration: 5
            """;

        LoadResult result = ScenarioLoader.Parse(yaml, "many.yaml");

        Assert.False(result.Success);
        Assert.Equal(
            ["sites[0].region", "sites[1]", "sites[1].regoin", "threats[0].rate_per_year", "threats[0].scope.site", "threats[0].duration"],
            result.Diagnostics.Select(d => d.Path));
        Assert.Equal(result.Diagnostics.Select(d => d.Line).Order(), result.Diagnostics.Select(d => d.Line));
    }

    [Fact]
    public void Parse_Warnings_DoNotStopLoading()
    {
        const string yaml = """
            name: w
            regions: [{ name: r }]
            sites: [{ name: hq, region: r }, { name: dr, region: r }]
            components:
              - { name: san, site: hq, kind: storage }
              - { name: dr-host, site: dr, kind: host }
              - { name: hq-host, site: hq, kind: host }
            services:
              - name: erp
                site: hq
                requires: [dr-host]
                standby: { site: dr, requires: [hq-host] }
                recovery: { detection: 5m }
            data:
              - name: db
                service: erp
                storage: san
                size_gb: 1
                change_rate_gb_per_hour: 0
                backups:
                  - name: local
                    interval: 1d
                    retention: 12h
                    destination: { component: san }
                    restore: { throughput_gb_per_hour: 10 }
            """;

        LoadResult result = ScenarioLoader.Parse(yaml, "warn.yaml");

        Assert.True(result.Success);
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Equal(
            ["services[0].requires[0]", "services[0].standby.requires[0]", "data[0].backups[0].retention", "data[0].backups[0].destination"],
            result.Diagnostics.Select(d => d.Path));
        Assert.Contains("does not survive a failure of san", result.Diagnostics[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DiagnosticToString_HasFileLineColumnAndPath()
    {
        LoadResult result = ScenarioLoader.Parse("name: x\nsimulation:\n  trials: 0\n", "s.yaml");

        Assert.Equal("s.yaml:3:11: error: simulation.trials: '0' is out of range; expected a whole number >= 1", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Parse_DependencyChain_OfTenThousandComponents_DoesNotOverflow()
    {
        var yaml = new System.Text.StringBuilder("name: chain\nregions: [{name: r}]\nsites: [{name: s, region: r}]\ncomponents:\n");
        for (int i = 0; i < 10_000; i++)
        {
            yaml.Append("  - { name: c").Append(i).Append(", site: s, kind: host, requires: [c").Append((i + 1) % 10_000).Append("] }\n");
        }

        LoadResult result = ScenarioLoader.Parse(yaml.ToString(), "chain.yaml");

        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("components[0].requires", d.Path);
        Assert.Contains("c0 -> c1 -> c2", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExtensionKeys_HoldAnchorsForReuse()
    {
        const string yaml = """
            name: anchors
            x-repair: &repair { dist: lognormal, median: 2h, p90: 8h }
            regions: [{ name: r }]
            sites: [{ name: s, region: r }]
            components:
              - name: a
                site: s
                kind: host
                failure: { time_to_failure: 1y, time_to_repair: *repair }
            """;

        LoadResult result = ScenarioLoader.Parse(yaml, "x.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(Distribution.LogNormalByMedianP90(2, 8), result.Scenario!.Components[0].Failure!.TimeToRepair);
    }

    [Fact]
    public void Parse_ThousandsOfProblems_StopsListingAtTheLimit()
    {
        string yaml = "name: x\nregions: [" + string.Join(", ", Enumerable.Repeat("1", 1500)) + "]\n";

        LoadResult result = ScenarioLoader.Parse(yaml, "flood.yaml");

        Assert.Equal(1001, result.Diagnostics.Length);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("more than 1000 problems", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MultiLineValueInMessage_StaysOnOneLine()
    {
        LoadResult result = ScenarioLoader.Parse("name: x\nsimulation: { trials: \"1\\n2\" }\n", "ml.yaml");

        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.DoesNotContain('\n', d.ToString());
        Assert.Contains("'1\\n2'", d.Message, StringComparison.Ordinal);
    }
}
