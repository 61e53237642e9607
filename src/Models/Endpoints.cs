using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>A fleet of laptops or tablets, each of which can be lost or stolen with the data on it.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Devices">Number of devices. Range: ≥ 1.</param>
/// <param name="LossRatePerYear">Losses and thefts per device per year. Range: ≥ 0.</param>
/// <param name="DataGb">Data on one device, GB.</param>
/// <param name="ChangeRateGbPerHour">New or changed data on one device, GB per hour.</param>
/// <param name="SyncIntervalHours">Time between syncs or backups of a covered device; null when no device is backed up.</param>
/// <param name="Coverage">Share of the devices that are backed up. Range: [0, 1].</param>
/// <param name="ReplacementHours">Time to get a user working again on a new device (restore included), hours.</param>
public sealed record EndpointFleet(
    string Name,
    int Devices,
    double LossRatePerYear,
    double DataGb,
    double ChangeRateGbPerHour,
    double? SyncIntervalHours,
    double Coverage,
    double ReplacementHours);

/// <summary>
/// Expresses endpoint fleets in the ordinary estate language, so the engine treats them like everything else:
/// each fleet becomes, per backed-up and not-backed-up part, a storage component, a service (the users' work),
/// a data set (one device's data) and a Poisson loss threat that destroys one device's data.
/// </summary>
public static class EndpointFleets
{
    /// <summary>The region and site the generated components live at, outside every data center.</summary>
    public const string Place = "endpoints";

    /// <summary>Returns the scenario with its fleets expanded (unchanged when it has none).</summary>
    public static Scenario Expand(Scenario scenario, ImmutableArray<EndpointFleet> fleets)
    {
        if (fleets.IsDefaultOrEmpty)
        {
            return scenario;
        }

        var components = scenario.Components.ToBuilder();
        var services = scenario.Services.ToBuilder();
        var data = scenario.DataSets.ToBuilder();
        var threats = scenario.Threats.ToBuilder();
        foreach (var fleet in fleets)
        {
            double covered = fleet.SyncIntervalHours is null ? 0 : fleet.Coverage;
            Add(fleet, fleet.Name, fleet.Devices * covered, fleet.SyncIntervalHours, components, services, data, threats);
            Add(fleet, fleet.Name + ".unprotected", fleet.Devices * (1 - covered), null, components, services, data, threats);
        }

        return scenario with
        {
            Regions = scenario.Regions.Add(new Region(Place)),
            Sites = scenario.Sites.Add(new Site(Place, Place)),
            Components = components.ToImmutable(),
            Services = services.ToImmutable(),
            DataSets = data.ToImmutable(),
            Threats = threats.ToImmutable(),
            Endpoints = fleets,
        };
    }

    private static void Add(
        EndpointFleet fleet,
        string name,
        double devices,
        double? syncHours,
        ImmutableArray<Component>.Builder components,
        ImmutableArray<Service>.Builder services,
        ImmutableArray<DataSet>.Builder data,
        ImmutableArray<Threat>.Builder threats)
    {
        if (devices <= 0)
        {
            return;
        }

        string device = name + ".device";
        components.Add(new Component(device, Place, "endpoint", null, null));
        // The user is back at work on a new device after the replacement time (the incident's "detection"); the
        // newest sync is then on it at once.
        services.Add(new Service(name, Place, new RequireComponent(device), null, new Recovery(Distribution.Fixed(fleet.ReplacementHours), null), null));
        ImmutableArray<Backup> backups = syncHours is { } interval
            ? [new Backup("sync", interval, 0, 0, Location.Offsite, double.PositiveInfinity, 0, null)]
            : [];
        data.Add(new DataSet(name, name, device, fleet.DataGb, fleet.ChangeRateGbPerHour, null, backups, []));
        threats.Add(new Threat(name + ".loss", "endpoint-loss", devices * fleet.LossRatePerYear, new Scope(ScopeKind.Component, device), Effect.Destroyed, null, Distribution.Fixed(0)));
    }
}
