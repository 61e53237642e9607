using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models;

/// <summary>The keys for monitors, gray failures, power chains, ransomware, schedules, calendars, failback, active-active and endpoints.</summary>
public class ScenarioLoaderDisasterKeysTests
{
    private const string Estate = """
        name: x
        regions: [{ name: gulf }, { name: north }]
        sites: [{ name: hq, region: gulf }, { name: dr, region: north }]
        components:
          - name: power
            site: hq
            kind: power
            backup_power: { ups_runtime: 15m, generator: { start_failure_probability: 0.05, fuel_runtime: 72h, refuel: not_during_regional_events } }
          - name: dns
            site: hq
            kind: dns
            failure: { time_to_failure: 1000h, time_to_repair: 1h, silent_probability: 0.5 }
          - { name: host, site: hq, kind: host, requires: [power, dns] }
          - { name: dr-host, site: dr, kind: host }
        calendar:
          business_hours: 09:00-17:00
          holidays: [2026-12-25]
          response: { business_hours: 15m, nights: 1h, weekends: 4h }
        monitors:
          - name: probe
            site: dr
            delay: 5m
            checks: [{ service: app }, { component: dns, type: liveness }]
        services:
          - name: app
            site: hq
            requires: [host]
            move_for_maintenance: true
            standby: { site: dr, requires: [dr-host] }
            failback: { when: next_window, window: patch, duration: 30m }
            recovery:
              detection: 1d
              failover:
                mode: estimate
                duration: 15m
                success_probability: 0.9
                estimate: { noise: { dist: lognormal, median: 1, p90: 3 }, margin: 2h, reassess: 4h }
          - name: web
            active_active:
              - { site: hq, capacity: 0.6, requires: [host] }
              - { site: dr, capacity: 0.6, requires: [dr-host] }
            recovery: { detection: 1m }
        endpoints:
          - { name: laptops, devices: 100, loss_rate_per_year: 0.03, data_gb: 20, change_rate_gb_per_hour: 0.01, sync: { interval: 1d, coverage: 0.5 } }
        threats:
          - { name: patch, kind: maintenance, schedule: { every: month, week: 2, weekday: tue, at: "22:00" }, scope: { site: hq }, effect: outage, duration: 4h }
          - { name: hang, kind: dns, rate_per_year: 2, scope: { component: dns }, effect: outage, silent: true, ends_after_detection: true, duration: 10m }
          - name: storm
            kind: hurricane
            rate_per_year: 0.2
            active_months: [8, 9, 10]
            scope: { region: gulf }
            affects: power
            site_hit_probability: 0.7
            effect: outage
            duration: 3d
            flood: { probability: 0.1, rebuild: 90d }
          - { name: crypto, kind: ransomware, rate_per_year: 0.2, scope: { site: hq }, effect: corruption, dwell: 10d, cleanup: 5d }
        """;

    [Fact]
    public void Parse_EveryNewKey_LoadsIntoTheModel()
    {
        var result = ScenarioLoader.Parse(Estate, "estate.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var s = result.Scenario!;
        Assert.Equal(new BackupPower(0.25, 0.05, 72, RefuelPolicy.NotDuringRegionalEvents), s.Components[0].BackupPower);
        Assert.Equal(0.5, s.Components[1].Failure!.SilentProbability);
        Assert.Equal(TimeSpan.FromHours(9), s.Calendar!.BusinessStart);
        Assert.Equal(2, s.Calendar.PeriodAt(new DateTime(2026, 12, 25, 12, 0, 0)));
        Assert.Equal(0, s.Calendar.PeriodAt(new DateTime(2026, 12, 24, 12, 0, 0)));
        var probe = Assert.Single(s.Monitors);
        Assert.Equal([new MonitorCheck(CheckTarget.Service, "app", CheckType.Functional), new MonitorCheck(CheckTarget.Component, "dns", CheckType.Liveness)], probe.Checks.ToArray());
        var app = s.Services[0];
        Assert.True(app.MoveForMaintenance);
        Assert.Equal(new Failback(FailbackTiming.NextWindow, "patch", Distribution.Fixed(0.5)), app.Failback);
        Assert.Equal(FailoverMode.Estimate, app.Recovery.Failover!.Mode);
        Assert.Equal(0.9, app.Recovery.Failover.SuccessProbability);
        Assert.Equal(2, app.Recovery.Failover.MarginHours);
        Assert.Equal(4, app.Recovery.Failover.ReassessHours);
        Assert.Equal(Distribution.LogNormalByMedianP90(1, 3), app.Recovery.Failover.EstimateNoise);
        var web = s.Services.Single(x => x.Name == "web");
        Assert.Equal("hq", web.Site);
        Assert.Equal([0.6, 0.6], web.ActiveSites.Select(a => a.Capacity));
        Assert.Equal(new MaintenanceSchedule(Recurrence.Monthly, DayOfWeek.Tuesday, 2, TimeSpan.FromHours(22)), s.Threats.Single(t => t.Name == "patch").Schedule);
        var hang = s.Threats.Single(t => t.Name == "hang");
        Assert.True(hang.Silent && hang.EndsAfterDetection);
        var storm = s.Threats.Single(t => t.Name == "storm");
        Assert.Equal([8, 9, 10], storm.ActiveMonths.ToArray());
        Assert.Equal(("power", 0.7, 0.1), (storm.Affects, storm.SiteHitProbability, storm.FloodProbability));
        var crypto = s.Threats.Single(t => t.Name == "crypto");
        Assert.Equal((Effect.Corruption, Distribution.Fixed(240), Distribution.Fixed(120)), (crypto.Effect, crypto.Dwell, crypto.Cleanup));
        Assert.Contains(s.Services, x => x.Name == "laptops.unprotected");
        Assert.Equal(100 * 0.5 * 0.03, s.Threats.Single(t => t.Name == "laptops.loss").RatePerYear, 12);
    }

    /// <summary>Case name, text replaced, replacement, expected path, text the message must contain.</summary>
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        { "probability above one", "start_failure_probability: 0.05", "start_failure_probability: 1.5", "components[0].backup_power.generator.start_failure_probability", "'1.5' is out of range; expected a probability between 0 and 1" },
        { "unknown refuel policy", "refuel: not_during_regional_events", "refuel: sometimes", "components[0].backup_power.generator.refuel", "'sometimes'" },
        { "silent probability negative", "silent_probability: 0.5", "silent_probability: -0.5", "components[1].failure.silent_probability", "'-0.5'" },
        { "bad business hours", "business_hours: 09:00-17:00", "business_hours: 17:00-09:00", "calendar.business_hours", "'17:00-09:00' is not a span of business hours" },
        { "missing response", "  response: { business_hours: 15m, nights: 1h, weekends: 4h }\n", "", "calendar", "missing required key 'response'" },
        { "check naming both", "checks: [{ service: app }", "checks: [{ service: app, component: dns }", "monitors[0].checks[0]", "exactly one of 'component' or 'service'" },
        { "check of unknown service", "checks: [{ service: app }", "checks: [{ service: ap }", "monitors[0].checks[0].service", "unknown service 'ap' (did you mean 'app'?)" },
        { "estimate block on manual mode", "mode: estimate", "mode: manual", "services[0].recovery.failover.estimate", "'estimate' applies to mode: estimate only, found mode 'manual'" },
        { "unknown failover mode", "mode: estimate", "mode: guess", "services[0].recovery.failover.mode", "'guess'" },
        { "window without next_window", "when: next_window", "when: immediate", "services[0].failback.window", "'window' applies to when: next_window only" },
        { "failback window not a threat", "window: patch", "window: patchy", "services[0].failback.window", "unknown threat 'patchy' (did you mean 'patch'?)" },
        { "standby on active-active", "recovery: { detection: 1m }", "standby: { site: dr }\n    recovery: { detection: 1m }", "services[1].standby", "an active-active service has no standby" },
        { "schedule with a rate", "schedule: { every: month", "rate_per_year: 1, schedule: { every: month", "threats[0].rate_per_year", "a scheduled (planned) threat has no rate_per_year" },
        { "schedule bad time", "at: \"22:00\"", "at: \"25:00\"", "threats[0].schedule.at", "'25:00' is not a time of day" },
        { "schedule bad week", "week: 2", "week: 6", "threats[0].schedule.week", "'6'" },
        { "active month out of range", "active_months: [8, 9, 10]", "active_months: [8, 13]", "threats[2].active_months[1]", "'13'" },
        { "site hit probability on site scope", "effect: outage, silent: true", "effect: outage, site_hit_probability: 0.5, silent: true", "threats[1].site_hit_probability", "applies to a region scope only" },
        { "flood without rebuild", "flood: { probability: 0.1, rebuild: 90d }", "flood: { probability: 0.1 }", "threats[2].flood", "missing required key 'rebuild'" },
        { "corruption without dwell", "effect: corruption, dwell: 10d,", "effect: corruption,", "threats[3]", "a threat with effect corruption needs 'dwell'" },
        { "corruption with duration", "cleanup: 5d }", "cleanup: 5d, duration: 1h }", "threats[3].duration", "duration" },
        { "silent not a flag", "silent: true", "silent: maybe", "threats[1].silent", "'maybe'" },
        { "endpoint rate absurd", "loss_rate_per_year: 0.03", "loss_rate_per_year: 1e12", "endpoints[0].loss_rate_per_year", "losses a year" },
        { "endpoint sync every nanosecond", "sync: { interval: 1d", "sync: { interval: 0.000001s", "endpoints[0].sync.interval", "shorter than one second" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenDisasterKey_ReportsPathAndValue(string caseName, string find, string replace, string path, string contains)
    {
        Assert.Contains(find, Estate, StringComparison.Ordinal);
        var result = ScenarioLoader.Parse(Estate.Replace(find, replace, StringComparison.Ordinal), "estate.yaml");

        Assert.False(result.Success, caseName);
        string all = string.Join("\n", result.Diagnostics);
        Assert.True(
            result.Diagnostics.Any(d => d.Severity == Severity.Error && d.Path == path && d.Message.Contains(contains, StringComparison.Ordinal) && d.Line > 0),
            $"{caseName}: no error at '{path}' containing \"{contains}\"; got:\n{all}");
    }
}
