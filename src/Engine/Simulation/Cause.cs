namespace DisasterSim.Engine.Simulation;

/// <summary>What started an incident.</summary>
public enum CauseKind
{
    /// <summary>A threat arrival (index into the scenario's threats).</summary>
    Threat,

    /// <summary>A component's own failure process (index into the scenario's components).</summary>
    ComponentFailure,

    /// <summary>A planned maintenance window (index into the scenario's threats): reported apart from unplanned downtime.</summary>
    Maintenance,

    /// <summary>A planned failback from the standby to the primary (index: the service): reported apart from unplanned downtime.</summary>
    Failback,
}

/// <summary>
/// Why something changed: handed as a value from the handler of an event through propagation to the code that opens an
/// incident, so the incident names what started it.
/// </summary>
/// <param name="Kind">A threat, a component's own failure, maintenance or a failback.</param>
/// <param name="Index">The threat, component or service.</param>
internal readonly record struct Cause(CauseKind Kind, int Index)
{
    /// <summary>Gets whether it is planned work, which is known at once and loses no data.</summary>
    public bool IsPlanned
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => Kind switch
    {
        CauseKind.Threat => false,
        CauseKind.ComponentFailure => false,
        CauseKind.Maintenance => true,
        CauseKind.Failback => true,
    };
    }
}
