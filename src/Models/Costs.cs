namespace DisasterSim.Models;

/// <summary>What an outage of a service costs.</summary>
/// <remarks>All money is in the scenario's one currency (<see cref="Scenario.Currency"/>).</remarks>
/// <param name="OutagePerHour">Penalty per hour the service does not run. Range: ≥ 0.</param>
/// <param name="PerIncident">Fixed penalty per incident, whatever its length. Range: ≥ 0.</param>
public sealed record ServiceCosts(double OutagePerHour, double PerIncident)
{
    /// <summary>No penalty at all.</summary>
    public static ServiceCosts None { get; } = new(0, 0);
}

/// <summary>What losing data of a data set costs.</summary>
/// <remarks>All money is in the scenario's one currency (<see cref="Scenario.Currency"/>).</remarks>
/// <param name="LossPerHour">Penalty per hour of changes lost. Range: ≥ 0.</param>
/// <param name="LossPerGb">Penalty per GB lost. Range: ≥ 0.</param>
public sealed record DataSetCosts(double LossPerHour, double LossPerGb)
{
    /// <summary>No penalty at all.</summary>
    public static DataSetCosts None { get; } = new(0, 0);
}

/// <summary>A yearly cost not tied to one protection (monitoring contract, DR tests, insurance premium, ...).</summary>
/// <param name="Name">What it is.</param>
/// <param name="PerYear">Cost per year. Range: ≥ 0.</param>
public sealed record OtherCost(string Name, double PerYear);
