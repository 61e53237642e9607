using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>The checks a DR planner would make: each case edits one line of a clean scenario and expects one located diagnostic.</summary>
public sealed class PlannerChecksTests
{
    private const string Clean = """
        name: planner
        regions: [{ name: gulf }, { name: north }]
        sites:
          - { name: hq, region: gulf }
          - { name: metro, region: gulf }
          - { name: dr, region: north }
        components:
          - { name: hq-san, site: hq, kind: storage }
          - { name: hq-host, site: hq, kind: host }
          - { name: nas, site: hq, kind: storage }
          - { name: dr-host, site: dr, kind: host }
        services:
          - name: erp
            site: hq
            requires: [hq-host, hq-san]
            rto: 4h
            standby: { site: dr, requires: [dr-host] }
            recovery:
              detection: 5m
              failover: { mode: manual, after: 30m, duration: 15m }
        data:
          - name: erp-db
            service: erp
            storage: hq-san
            size_gb: 100
            change_rate_gb_per_hour: 1
            rpo: 1h
            backups:
              - { name: hourly, interval: 1h, duration: 10m, destination: offsite, retention: 30d, restore: { throughput_gb_per_hour: 50, setup: 2h } }
            replication:
              - { mode: async, to: { site: dr }, lag: 1m }
        threats:
          - { name: fire, kind: fire, rate_per_year: 0.003, scope: { site: hq }, effect: destroyed, rebuild: 30d }
          - { name: storm, kind: power, rate_per_year: 0.2, scope: { component: hq-host }, effect: outage, duration: 3d }

        """;

    /// <summary>Case, replaced text, replacement, severity, expected path, text the message must contain, expected line.</summary>
    public static TheoryData<string, string, string, Severity, string, string, int> Cases => new()
    {
        { "threat rate per hour mistaken for per year", "rate_per_year: 0.2,", "rate_per_year: 99999999999,", Severity.Error, "threats[1].rate_per_year", "about 99,999,999,999 times in each trial of 1y; the limit is 100,000 a trial", 34 },
        { "horizon of millennia", "name: planner\n", "name: planner\nsimulation: { horizon: 1000000y }\n", Severity.Error, "threats[1].rate_per_year", "about 203,000 times in each trial of 1000000y", 35 },
        { "failure process that never stops", "{ name: nas, site: hq, kind: storage }", "{ name: nas, site: hq, kind: storage, failure: { time_to_failure: 0s, time_to_repair: 0s } }", Severity.Error, "components[2].failure", "without end", 10 },
        { "outage longer than its return period", "duration: 3d }", "duration: 3y }", Severity.Warning, "threats[1].rate_per_year", "down about 60% of the time", 34 },
        { "rto below failover time", "rto: 4h", "rto: 20m", Severity.Warning, "services[0].rto", "detection 5m + wait 30m + failover 15m = 50m", 16 },
        { "rto far below failover time", "rto: 4h", "rto: 1m", Severity.Warning, "services[0].rto", "shorter than a failover can achieve", 16 },
        { "standby in the primary's hurricane region", "standby: { site: dr,", "standby: { site: metro,", Severity.Warning, "services[0].standby.site", "threat 'storm2' takes both", 17 },
        { "rpo tighter than the replica", "rpo: 1h", "rpo: 30s", Severity.Warning, "data[0].rpo", "on average 1m old", 27 },
        { "no protection at all", "    backups:\n      - { name: hourly, interval: 1h, duration: 10m, destination: offsite, retention: 30d, restore: { throughput_gb_per_hour: 50, setup: 2h } }\n    replication:\n      - { mode: async, to: { site: dr }, lag: 1m }\n", "", Severity.Warning, "data[0].name", "has no backup and no replica", 22 },
        { "backup job longer than its interval", "duration: 10m, destination", "duration: 2h, destination", Severity.Warning, "data[0].backups[0].duration", "takes 2h, longer than its interval 1h", 29 },
        { "backup at the site it protects", "destination: offsite,", "destination: { component: nas },", Severity.Warning, "data[0].backups[0].destination", "threat 'fire' destroys both", 29 },
        { "backup on its own storage", "destination: offsite,", "destination: { component: hq-san },", Severity.Warning, "data[0].backups[0].destination", "does not survive a failure of hq-san", 29 },
        { "retention shorter than the interval", "retention: 30d", "retention: 30m", Severity.Warning, "data[0].backups[0].retention", "shorter than the interval", 29 },
        { "replica on its own storage", "to: { site: dr }, lag: 1m", "to: { component: hq-san }, lag: 1m", Severity.Warning, "data[0].replication[0].to", "protects nothing", 31 },
        { "replica lag above the backup interval", "lag: 1m }", "lag: 2h }", Severity.Warning, "data[0].replication[0].lag", "lags 2h on average, more than the backup interval 1h", 31 },
        { "failover without a replica at the standby", "to: { site: dr }, lag: 1m", "to: { site: metro }, lag: 1m", Severity.Warning, "data[0].name", "must restore it from backup 'hourly', adding about 4h", 22 },
        { "failover with neither replica nor backup off the primary", "destination: offsite, retention: 30d, restore: { throughput_gb_per_hour: 50, setup: 2h } }\n    replication:\n      - { mode: async, to: { site: dr }", "destination: { component: nas }, retention: 30d, restore: { throughput_gb_per_hour: 50, setup: 2h } }\n    replication:\n      - { mode: async, to: { site: metro }", Severity.Warning, "data[0].name", "no backup outside 'hq': after a failover caused by a site disaster it is a total loss", 22 },
    };

    [Fact]
    public void Load_CleanScenario_NoDiagnostic()
    {
        var result = ScenarioLoader.Parse(Clean, "planner.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_PlanningMistake_ReportsLocatedDiagnostic(string name, string find, string replace, Severity severity, string path, string message, int line)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);
        string yaml = Clean.Replace(find, replace, StringComparison.Ordinal);
        if (name.Contains("hurricane", StringComparison.Ordinal))
        {
            yaml += "  - { name: storm2, kind: hurricane, rate_per_year: 0.1, scope: { region: gulf }, effect: outage, duration: 2d }\n";
        }

        var result = ScenarioLoader.Parse(yaml, "planner.yaml");

        var found = result.Diagnostics.Where(d => d.Path == path && d.Message.Contains(message, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"{name}: expected one diagnostic at {path} containing \"{message}\"; got:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal(severity, found[0].Severity);
        Assert.Equal(line, found[0].Line);
        Assert.Equal(severity == Severity.Error, !result.Success);
    }

    [Fact]
    public void Parse_OverSizeLimit_ErrorAtFirstLineNamesTheLimit()
    {
        string yaml = "name: x\n#" + new string('x', 11 * 1024 * 1024) + "\n";

        var result = ScenarioLoader.Parse(yaml, "big.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("big.yaml:1:1: error: the file is 11,534,346 bytes; scenario files are limited to 10,485,760 bytes (10 MiB), a fixed guard against runaway input; a real estate fits in far less: look for generated or pasted bulk, or split it into several scenarios", error.ToString());
    }
}
