using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// The keys of services that require services and of standbys that are not twins (<c>requires_services</c>,
/// <c>priority</c>, <c>standby.capacity</c>, <c>sites[].capacity</c>): read, refused at their path with their value, and
/// the planner's warnings about them.
/// </summary>
public sealed class ServiceLanguageTests
{
    private const string Clean = """
        name: services
        regions: [{ name: gulf }, { name: north }]
        sites:
          - { name: hq, region: gulf }
          - { name: dr, region: north, capacity: 1 }
        components:
          - { name: dns-host, site: hq, kind: dns }
          - { name: dns-dr, site: dr, kind: dns }
          - { name: erp-host, site: hq, kind: host }
          - { name: erp-dr, site: dr, kind: host }
        services:
          - name: dns
            site: hq
            requires: [dns-host]
            rto: 1h
            priority: 0
            standby: { site: dr, requires: [dns-dr] }
            recovery: { detection: 5m, failover: { mode: automatic, duration: 10m } }
          - name: erp
            site: hq
            requires: [erp-host]
            requires_services: [dns]
            rto: 4h
            priority: 1
            standby: { site: dr, requires: [erp-dr], capacity: 0.5 }
            recovery: { detection: 5m, failover: { mode: manual, after: 30m, duration: 15m } }
        monitors:
          - { name: probe, site: dr, requires_services: [dns], delay: 5m, checks: [{ service: erp }] }

        """;

    [Fact]
    public void Load_CleanScenario_ReadsEveryKeyWithoutDiagnostic()
    {
        var result = ScenarioLoader.Parse(Clean, "services.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var scenario = result.Scenario!;
        Assert.Equal(1, scenario.Sites[1].Capacity);
        Assert.Null(scenario.Sites[0].Capacity);
        Assert.Equal(["dns"], scenario.Services[1].RequiresServices.ToArray());
        Assert.Empty(scenario.Services[0].RequiresServices);
        Assert.Equal((0, 1), (scenario.Services[0].Priority, scenario.Services[1].Priority));
        Assert.Equal((1.0, 0.5), (scenario.Services[0].Standby!.Capacity, scenario.Services[1].Standby!.Capacity));
        Assert.Equal(["dns"], scenario.Monitors[0].RequiresServices.ToArray());
    }

    /// <summary>Case, replaced text, replacement, severity, expected path, text the message must contain, expected line.</summary>
    public static TheoryData<string, string, string, Severity, string, string, int> Cases => new()
    {
        { "unknown required service", "requires_services: [dns]\n", "requires_services: [dsn]\n", Severity.Error, "services[1].requires_services[0]", "unknown service 'dsn' (did you mean 'dns'?)", 22 },
        { "required service not a list", "requires_services: [dns]\n", "requires_services: dns\n", Severity.Error, "services[1].requires_services", "the names of the services it requires", 22 },
        { "service requires itself", "requires_services: [dns]\n", "requires_services: [erp]\n", Severity.Error, "services[1].requires_services", "dependency cycle among services: erp -> erp", 22 },
        { "two services require each other", "    priority: 0\n", "    priority: 0\n    requires_services: [erp]\n", Severity.Error, "services[0].requires_services", "dependency cycle among services: dns -> erp -> dns", 17 },
        { "monitor requires an unknown service", "requires_services: [dns], delay", "requires_services: [nds], delay", Severity.Error, "monitors[0].requires_services[0]", "unknown service 'nds'", 28 },
        { "negative priority", "priority: 1", "priority: -1", Severity.Error, "services[1].priority", "-1", 24 },
        { "fractional priority", "priority: 1", "priority: 1.5", Severity.Error, "services[1].priority", "1.5", 24 },
        { "standby capacity above one", "capacity: 0.5", "capacity: 1.5", Severity.Error, "services[1].standby.capacity", "'1.5' is out of range; expected the share of the full load the standby carries, above 0 and at most 1", 25 },
        { "standby capacity zero", "capacity: 0.5", "capacity: 0", Severity.Error, "services[1].standby.capacity", "0", 25 },
        { "site capacity zero", "region: north, capacity: 1", "region: north, capacity: 0", Severity.Error, "sites[1].capacity", "0", 5 },
        { "site capacity misspelt", "region: north, capacity: 1", "region: north, capacty: 1", Severity.Error, "sites[1].capacty", "did you mean 'capacity'?", 5 },
        { "required service only at the primary site", "    standby: { site: dr, requires: [dns-dr] }\n    recovery: { detection: 5m, failover: { mode: automatic, duration: 10m } }\n", "    recovery: { detection: 5m }\n", Severity.Warning, "services[1].requires_services[0]", "requires service 'dns', which runs only at 'hq', the primary site of both", 21 },
        { "rto shorter than a required service's", "rto: 4h", "rto: 30m", Severity.Warning, "services[1].requires_services[0]", "rto '30m' is shorter than the rto '1h' of service 'dns'", 22 },
        { "full site without priorities", "    priority: 0\n", "", Severity.Warning, "sites[1].capacity", "site 'dr' takes 1 service at a time, and 2 can move there", 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_Mistake_ReportsLocatedDiagnostic(string name, string find, string replace, Severity severity, string path, string message, int line)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);
        string yaml = Clean.Replace(find, replace, StringComparison.Ordinal);
        if (name == "full site without priorities")
        {
            yaml = yaml.Replace("    priority: 1\n", "", StringComparison.Ordinal);
        }

        var result = ScenarioLoader.Parse(yaml, "services.yaml");

        var found = result.Diagnostics.Where(d => d.Path == path && d.Message.Contains(message, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"{name}: expected one diagnostic at {path} containing \"{message}\"; got:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal(severity, found[0].Severity);
        Assert.Equal(line, found[0].Line);
        Assert.Equal(severity == Severity.Error, !result.Success);
    }
}
