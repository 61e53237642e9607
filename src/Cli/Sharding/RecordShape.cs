using DisasterSim.Models;

namespace DisasterSim.Cli.Sharding;

/// <summary>What the trial records of a scenario may hold; every field read from a records file is checked against it.</summary>
/// <param name="Services">Services: the columns of a row, and the services an incident or a failback names.</param>
/// <param name="DataSets">Data sets: the columns of a row, and the data sets a loss names.</param>
/// <param name="Threats">Threats an incident's threat or maintenance cause may name.</param>
/// <param name="Components">Components an incident's failure cause may name.</param>
/// <param name="HorizonHours">The horizon, in which every record starts.</param>
public sealed record RecordShape(int Services, int DataSets, int Threats, int Components, double HorizonHours)
{
    /// <summary>The shape of <paramref name="scenario"/>'s records.</summary>
    public static RecordShape Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new(scenario.Services.Length, scenario.DataSets.Length, scenario.Threats.Length, scenario.Components.Length, scenario.Simulation.HorizonHours);
    }
}
