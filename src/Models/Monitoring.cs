using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>What a monitor's check looks at.</summary>
public enum CheckTarget
{
    /// <summary>A component.</summary>
    Component,

    /// <summary>A service, end to end.</summary>
    Service,
}

/// <summary>How deep a check looks.</summary>
public enum CheckType
{
    /// <summary>Is it alive (process running, host pingable)? Misses gray failures and failures of what it depends on.</summary>
    Liveness,

    /// <summary>Does it do its job (resolve a name, deliver a test mail)? Sees every way it can stop working.</summary>
    Functional,
}

/// <summary>One check of a monitor.</summary>
/// <param name="Target">Component or service.</param>
/// <param name="Name">The component's or service's name.</param>
/// <param name="Type">Liveness or functional.</param>
public sealed record MonitorCheck(CheckTarget Target, string Name, CheckType Type);

/// <summary>
/// A monitoring system: itself a component-like thing at a site with its own dependencies. It detects an outage
/// after its delay only if it is working (site up, requirements met) when the outage starts and one of its checks
/// sees what failed.
/// </summary>
/// <param name="Name">Unique name.</param>
/// <param name="Site">Where it runs.</param>
/// <param name="Requires">What it needs to work and to report (DNS, network, power, ...).</param>
/// <param name="Delay">Time from the failure to the alert being acted on, hours.</param>
/// <param name="Checks">What it checks.</param>
public sealed record Monitor(string Name, string Site, Requirement? Requires, Distribution Delay, ImmutableArray<MonitorCheck> Checks)
{
    /// <summary>Gets the services it needs to work and to report (a resolver, a directory); empty for none.</summary>
    public ImmutableArray<string> RequiresServices { get; init; } = [];
}

/// <summary>Battery and generator behind a power component: they bridge outages of the utility feed.</summary>
/// <param name="UpsRuntimeHours">How long the batteries carry the load. Range: ≥ 0.</param>
/// <param name="GeneratorStartFailureProbability">Chance the generator fails to start; 1 means no generator. Range: [0, 1].</param>
/// <param name="FuelRuntimeHours">How long the generator runs on the fuel on site. Range: &gt; 0.</param>
/// <param name="Refuel">When fuel deliveries arrive.</param>
public sealed record BackupPower(double UpsRuntimeHours, double GeneratorStartFailureProbability, double FuelRuntimeHours, RefuelPolicy Refuel)
{
    /// <summary>
    /// Gets the generator's time to failure once it runs, hours (a failure to run, not to start); null when it never fails
    /// while running. A generator that failed is not restarted within the utility outage.
    /// </summary>
    public Distribution? RunningTimeToFailure { get; init; }
}

/// <summary>Whether a running generator gets more fuel.</summary>
public enum RefuelPolicy
{
    /// <summary>Deliveries always arrive: the generator runs until the utility returns.</summary>
    Always,

    /// <summary>Deliveries arrive except while a regional threat is active on the site's region (roads closed, fuel rationed).</summary>
    NotDuringRegionalEvents,

    /// <summary>No deliveries: the generator stops when its fuel runs out.</summary>
    Never,
}
