using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models;

/// <summary>The keys of common causes (group scopes, aftermath, a generator failing while running) and of a change profile.</summary>
public class ScenarioLoaderCausesTests
{
    private const string Estate = """
        name: causes
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }, { name: colo, region: r1 }]
        components:
          - name: power
            site: hq
            kind: power
            backup_power: { ups_runtime: 15m, generator: { start_failure_probability: 0.02, fuel_runtime: 48h, refuel: always, running_time_to_failure: 200h } }
          - { name: san-a, site: hq, kind: storage, requires: [power], failure: { time_to_failure: 50000h, time_to_repair: 8h } }
          - { name: san-b, site: colo, kind: storage, failure: { time_to_failure: 50000h, time_to_repair: 8h } }
          - { name: host, site: hq, kind: host, requires: [power] }
        services:
          - { name: app, site: hq, requires: [host], recovery: { detection: 5m } }
        data:
          - name: db
            service: app
            storage: san-a
            size_gb: 500
            change_rate_gb_per_hour: 2
            change_profile: { business_hours: 1, nights: 0.2, weekends: 0.05 }
            replication: [{ mode: async, to: { component: san-b }, lag: 5m }]
            backups: [{ name: nightly, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 100 } }]
        threats:
          - name: firmware
            kind: firmware
            rate_per_year: 0.1
            scope: { components: [san-a, san-b] }
            effect: outage
            duration: 12h
            aftermath: { failures: { factor: 5, for: 30d } }
          - name: quake
            kind: earthquake
            rate_per_year: 0.05
            scope: { site: hq }
            effect: outage
            duration: 2d
            aftermath: { arrivals: { factor: 50, for: 7d } }
        """;

    [Fact]
    public void Parse_EveryCausesKey_LoadsIntoTheModel()
    {
        var result = ScenarioLoader.Parse(Estate, "causes.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var s = result.Scenario!;
        Assert.Equal(Distribution.Fixed(200), s.Components[0].BackupPower!.RunningTimeToFailure);
        var firmware = s.Threats[0];
        Assert.Equal(ScopeKind.Components, firmware.Scope.Kind);
        Assert.Equal(["san-a", "san-b"], firmware.Scope.Members.ToArray());
        Assert.Equal(new Aftermath(null, new RaisedRate(5, 720)), firmware.Aftermath);
        Assert.Equal(new Aftermath(new RaisedRate(50, 168), null), s.Threats[1].Aftermath);
        Assert.Equal(new ChangeProfile(1, 0.2, 0.05), s.DataSets[0].ChangeProfile);
    }

    [Fact]
    public void Parse_ChangeProfileKeysLeftOut_AreOne()
    {
        var result = ScenarioLoader.Parse(Estate.Replace("{ business_hours: 1, nights: 0.2, weekends: 0.05 }", "{ nights: 0.2 }", StringComparison.Ordinal), "causes.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(new ChangeProfile(1, 0.2, 1), result.Scenario!.DataSets[0].ChangeProfile);
    }

    [Fact]
    public void Parse_ReplicaInTheSameCommonCauseGroup_Warns()
    {
        // The firmware batch is in both arrays: the replica on san-b goes down with the storage it protects.
        var result = ScenarioLoader.Parse(Estate, "causes.yaml");

        var warning = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Warning && d.Path == "data[0].replication[0]");
        Assert.Contains("common-cause threat 'firmware' takes down together with the storage 'san-a'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AftershocksThatNeverStop_AreCountedByThePlanner()
    {
        // m = 100,000 × 0.05 × 168 / 8,766 ≈ 96: a cluster would hold e^96 arrivals, the trial would never end.
        var result = ScenarioLoader.Parse(Estate.Replace("factor: 50, for: 7d", "factor: 100000, for: 7d", StringComparison.Ordinal), "causes.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("threats[1].aftermath", error.Path);
        Assert.Contains("the aftershocks of threat 'quake'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Case name, text replaced, replacement, expected path, text the message must contain.</summary>
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        { "group member unknown", "components: [san-a, san-b]", "components: [san-a, san-c]", "threats[0].scope.components[1]", "unknown component 'san-c' (did you mean 'san-a'?)" },
        { "group member twice", "components: [san-a, san-b]", "components: [san-a, san-a]", "threats[0].scope.components[1]", "component 'san-a' is already in this group at threats[0].scope.components[0]" },
        { "group empty", "components: [san-a, san-b]", "components: []", "threats[0].scope.components", "components" },
        { "group not a list", "components: [san-a, san-b]", "components: san-a", "threats[0].scope.components", "'san-a'" },
        { "group with affects", "scope: { components: [san-a, san-b] }", "scope: { components: [san-a, san-b] }\n    affects: storage", "threats[0].affects", "a group of components already names what it hits" },
        { "scope misspelt", "scope: { components: [san-a, san-b] }", "scope: { component: san-a, components: [san-b] }", "threats[0].scope", "exactly one of component, site, region or components" },
        { "aftermath empty", "aftermath: { failures: { factor: 5, for: 30d } }", "aftermath: {}", "threats[0].aftermath", "an aftermath needs 'arrivals'" },
        { "aftermath key misspelt", "aftermath: { failures:", "aftermath: { failure:", "threats[0].aftermath.failure", "did you mean 'failures'?" },
        { "factor zero", "factor: 5,", "factor: 0,", "threats[0].aftermath.failures.factor", "'0'" },
        { "factor absurd", "factor: 5,", "factor: 1e9,", "threats[0].aftermath.failures.factor", "'1e9' is out of range" },
        { "window missing", "{ factor: 5, for: 30d }", "{ factor: 5 }", "threats[0].aftermath.failures", "missing required key 'for'" },
        { "window negative", "for: 7d", "for: -7d", "threats[1].aftermath.arrivals.for", "'-7d'" },
        { "aftershocks of a schedule", "rate_per_year: 0.05\n    scope: { site: hq }", "schedule: { every: month, week: 2, weekday: tue, at: \"22:00\" }\n    scope: { site: hq }", "threats[1].aftermath.arrivals", "a scheduled threat has no rate to raise" },
        { "running failure not a distribution", "running_time_to_failure: 200h", "running_time_to_failure: soon", "components[0].backup_power.generator.running_time_to_failure", "'soon'" },
        { "generator key misspelt", "running_time_to_failure: 200h", "runing_time_to_failure: 200h", "components[0].backup_power.generator.runing_time_to_failure", "did you mean 'running_time_to_failure'?" },
        { "profile factor negative", "nights: 0.2", "nights: -0.2", "data[0].change_profile.nights", "'-0.2'" },
        { "profile factor absurd", "nights: 0.2", "nights: 1e7", "data[0].change_profile.nights", "'1e7' is out of range" },
        { "profile key misspelt", "weekends: 0.05", "weekend: 0.05", "data[0].change_profile.weekend", "did you mean 'weekends'?" },
        { "profile empty", "change_profile: { business_hours: 1, nights: 0.2, weekends: 0.05 }", "change_profile: {}", "data[0].change_profile", "needs at least one of business_hours, nights, weekends" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenCausesKey_ReportsPathAndValue(string caseName, string find, string replace, string path, string contains)
    {
        Assert.Contains(find, Estate, StringComparison.Ordinal);
        var result = ScenarioLoader.Parse(Estate.Replace(find, replace, StringComparison.Ordinal), "causes.yaml");

        Assert.False(result.Success, caseName);
        string all = string.Join("\n", result.Diagnostics);
        Assert.True(
            result.Diagnostics.Any(d => d.Severity == Severity.Error && d.Path == path && d.Message.Contains(contains, StringComparison.Ordinal) && d.Line > 0),
            $"{caseName}: no error at '{path}' containing \"{contains}\"; got:\n{all}");
    }
}
