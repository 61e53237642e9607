using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>The keys of crews, service priorities and the day shift taking over: what loads, and what a typo or a slip says.</summary>
public sealed class CrewKeysTests
{
    private const string Clean = """
        name: crews
        simulation: { horizon: 1y, start: 2026-01-01 }
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }, { name: dr, region: r }]
        components:
          - { name: san, site: hq, kind: storage }
          - { name: drh, site: dr, kind: host }
        calendar:
          response: { business_hours: 15m, nights: 2h, weekends: 4h }
          business_hours_take_over: true
        crews:
          - name: ops
            size: 2
            skills: [failover, restore, rebuild]
            restore_work: setup
            absent: { days_per_year: 30, block: 1w, dates: [2026-12-24, { from: 2026-08-03, to: 2026-08-14 }] }
          - { name: dba, size: 1 }
        services:
          - name: erp
            site: hq
            requires: [san]
            priority: 1
            standby: { site: dr, requires: [drh] }
            recovery: { detection: 5m, failover: { mode: manual, duration: 30m } }
        data:
          - { name: db, service: erp, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, backups: [{ name: nightly, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 50, setup: 1h } }], replication: [{ mode: async, to: { site: dr }, lag: 1m }] }
        threats:
          - { name: fire, kind: fire, rate_per_year: 0.1, scope: { site: hq }, effect: destroyed, rebuild: 30d }
        """;

    [Fact]
    public void Parse_EveryCrewKey_LoadsIntoTheModel()
    {
        var result = ScenarioLoader.Parse(Clean, "crews.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var s = result.Scenario!;
        Assert.True(s.Calendar!.BusinessHoursTakeOver);
        Assert.Equal(1, s.Services[0].Priority);
        var ops = s.Crews[0];
        Assert.Equal(("ops", 2, RestoreWork.Setup), (ops.Name, ops.Size, ops.RestoreWork));
        Assert.Equal([CrewSkill.Failover, CrewSkill.Restore, CrewSkill.Rebuild], ops.Skills.ToArray());
        Assert.Equal(30, ops.Absent!.DaysPerYear);
        Assert.Equal(7, ops.Absent.BlockDays);
        Assert.Equal([new DateSpan(new(2026, 12, 24), new(2026, 12, 24)), new DateSpan(new(2026, 8, 3), new(2026, 8, 14))], ops.Absent.Dates.ToArray());
        var dba = s.Crews[1];
        Assert.Equal([CrewSkill.Failover, CrewSkill.Restore], dba.Skills.ToArray());
        Assert.Equal(RestoreWork.Whole, dba.RestoreWork);
        Assert.Null(dba.Absent);
    }

    public static TheoryData<string, string, string, string, string> BadInput => new()
    {
        { "size: 2", "size: 0", "crews[0].size", "0", "" },
        { "size: 2", "size: 2.5", "crews[0].size", "2.5", "" },
        { "skills: [failover, restore, rebuild]", "skills: [failover, restor]", "crews[0].skills[1]", "restor", "did you mean 'restore'" },
        { "skills: [failover, restore, rebuild]", "skills: []", "crews[0].skills", "", "at least one skill" },
        { "skills: [failover, restore, rebuild]", "skills: [restore, restore]", "crews[0].skills[1]", "restore", "listed twice" },
        { "restore_work: setup", "restore_work: half", "crews[0].restore_work", "half", "" },
        { "restore_work: setup", "restore_wrok: setup", "crews[0].restore_wrok", "restore_wrok", "did you mean 'restore_work'" },
        { "days_per_year: 30", "days_per_year: 400", "crews[0].absent.days_per_year", "400", "0 to 365" },
        { "block: 1w", "block: 36h", "crews[0].absent.block", "36h", "whole number of days" },
        { "{ from: 2026-08-03, to: 2026-08-14 }", "{ from: 2026-08-14, to: 2026-08-03 }", "crews[0].absent.dates[1].to", "2026-08-03", "on or after 'from'" },
        { "dates: [2026-12-24,", "dates: [2026-13-24,", "crews[0].absent.dates[0]", "2026-13-24", "" },
        { "absent: { days_per_year: 30, block: 1w, dates: [2026-12-24, { from: 2026-08-03, to: 2026-08-14 }] }", "absent: { block: 1w }", "crews[0].absent", "", "needs days_per_year" },
        { "priority: 1", "priority: -1", "services[0].priority", "-1", "" },
        { "priority: 1", "priority: high", "services[0].priority", "high", "" },
        { "business_hours_take_over: true", "business_hours_take_over: yes please", "calendar.business_hours_take_over", "yes please", "" },
        { "{ name: dba, size: 1 }", "{ name: ops, size: 1 }", "crews[1].name", "ops", "" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Parse_BadCrewInput_ErrorNamesPathAndValue(string find, string replace, string path, string value, string message)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(Clean.Replace(find, replace, StringComparison.Ordinal), "crews.yaml");

        Assert.False(result.Success);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(path, error.Path);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("crews.yaml:", error.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> Warnings => new()
    {
        { "dates: [2026-12-24, { from: 2026-08-03, to: 2026-08-14 }]", "dates: [2019-12-24]", "crews[0].absent.dates", "outside the simulated time" },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public void Parse_CrewPlanningSlip_WarnsAtItsPath(string find, string replace, string path, string message)
    {
        string yaml = Clean.Replace(find, replace, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(yaml, "crews.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(path, warning.Path);
    }

    [Fact]
    public void Parse_NoCrewFailsOver_WarnsThatManualFailoversNeedNobody()
    {
        string yaml = Clean
            .Replace("skills: [failover, restore, rebuild]", "skills: [restore, rebuild]", StringComparison.Ordinal)
            .Replace("{ name: dba, size: 1 }", "{ name: dba, size: 1, skills: [restore] }", StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(yaml, "crews.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("crews[0]", warning.Path);
        Assert.Contains("no crew has the skill 'failover': the manual failovers of service 'erp' need nobody", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FireNeedsMoreRestoresThanMembers_WarnsAtTheThreat()
    {
        // The site fire destroys the data of three services; two members of 'ops' and one of 'dba' can restore.
        string yaml = Clean
            .Replace("services:\n", "services:\n  - { name: crm, site: hq, requires: [san], recovery: { detection: 5m } }\n  - { name: hr, site: hq, requires: [san], recovery: { detection: 5m } }\n", StringComparison.Ordinal)
            .Replace("data:\n", "data:\n  - { name: crm-db, service: crm, storage: san, size_gb: 10, change_rate_gb_per_hour: 1, backups: [{ name: b, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 50 } }] }\n"
                + "  - { name: hr-db, service: hr, storage: san, size_gb: 10, change_rate_gb_per_hour: 1, backups: [{ name: b, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 50 } }] }\n", StringComparison.Ordinal)
            .Replace("{ name: dba, size: 1 }", "{ name: dba, size: 1, skills: [failover] }", StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(yaml, "crews.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Message.Contains("destroys the data of 3 services at once", StringComparison.Ordinal));
        Assert.Equal("threats[0].name", warning.Path);
        Assert.Contains("only 2 crew members can restore", warning.Message, StringComparison.Ordinal);

        // Once every one of them has a priority, the order is stated: no warning.
        string ordered = yaml.Replace("{ name: crm, site: hq,", "{ name: crm, priority: 2, site: hq,", StringComparison.Ordinal)
            .Replace("{ name: hr, site: hq,", "{ name: hr, priority: 3, site: hq,", StringComparison.Ordinal);
        Assert.DoesNotContain(ScenarioLoader.Parse(ordered, "crews.yaml").Diagnostics, d => d.Message.Contains("at once", StringComparison.Ordinal));
    }
}
