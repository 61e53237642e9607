using System.Collections.Immutable;
using Monitor = DisasterSim.Models.Monitor;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>Builds small scenarios in code for engine tests: two sites (hq, dr) in two regions by default.</summary>
internal sealed class ScenarioBuilder
{
    private readonly List<Region> _regions = [new("south"), new("north")];
    private readonly List<Site> _sites = [new("hq", "south"), new("dr", "north")];
    private readonly List<Component> _components = [];
    private readonly List<Service> _services = [];
    private readonly List<DataSet> _data = [];
    private readonly List<Threat> _threats = [];
    private readonly List<Monitor> _monitors = [];
    private double _horizon = SimulationSettings.HoursPerYear;

    public static Distribution Fixed(double hours) => Distribution.Fixed(hours);

    public static Distribution Exp(double mean) => Distribution.ExponentialByMean(mean);

    public static Requirement All(params string[] names) =>
        new RequireAtLeast(names.Length, [.. names.Select(n => (Requirement)new RequireComponent(n))]);

    public ScenarioBuilder Horizon(double hours)
    {
        _horizon = hours;
        return this;
    }

    public ScenarioBuilder Site(string name, string region)
    {
        _sites.Add(new Site(name, region));
        return this;
    }

    public ScenarioBuilder Component(string name, string site = "hq", FailureProcess? failure = null, Requirement? requires = null, string kind = "host", BackupPower? backupPower = null)
    {
        _components.Add(new Component(name, site, kind, failure, requires) { BackupPower = backupPower });
        return this;
    }

    public ScenarioBuilder Monitor(string name, string site, Requirement? requires, Distribution delay, params MonitorCheck[] checks)
    {
        _monitors.Add(new Monitor(name, site, requires, delay, [.. checks]));
        return this;
    }

    public ScenarioBuilder Service(string name, Requirement? requires, Distribution? detection = null, Standby? standby = null, Failover? failover = null, double? rto = null)
    {
        _services.Add(new Service(name, "hq", requires, standby, new Recovery(detection ?? Fixed(0), failover), rto));
        return this;
    }

    public ScenarioBuilder Data(string name, string service, string storage, double sizeGb = 100, double rate = 2, Backup[]? backups = null, Replication[]? replicas = null, double? rpo = null)
    {
        _data.Add(new DataSet(name, service, storage, sizeGb, rate, rpo, [.. backups ?? []], [.. replicas ?? []]));
        return this;
    }

    public ScenarioBuilder Threat(string name, double ratePerYear, Scope scope, Effect effect, Distribution length, Func<Threat, Threat>? configure = null)
    {
        var threat = new Threat(name, "test", ratePerYear, scope, effect, effect == Effect.Outage ? length : null, effect == Effect.Destroyed ? length : null);
        if (effect == Effect.Corruption)
        {
            threat = threat with { Cleanup = length };
        }

        _threats.Add(configure is null ? threat : configure(threat));
        return this;
    }

    public Scenario Build() => new()
    {
        Name = "test",
        Simulation = SimulationSettings.Default with { HorizonHours = _horizon },
        Regions = [.. _regions],
        Sites = [.. _sites],
        Components = [.. _components],
        Services = [.. _services],
        DataSets = [.. _data],
        Threats = [.. _threats],
        Monitors = [.. _monitors],
    };

    public static Backup Backup(double interval, double duration, Location destination, double offset = 0, double throughput = 50, double setup = 2, double? retention = null) =>
        new("b", interval, offset, duration, destination, throughput, setup, retention);
}
