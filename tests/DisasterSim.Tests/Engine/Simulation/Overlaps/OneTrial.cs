using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>Runs trial 0 of a scenario in checking mode and keeps everything it recorded.</summary>
internal sealed class OneTrial : ITrialSink
{
    private OneTrial(Scenario scenario)
    {
        Simulator = new TrialSimulator(SimulationModel.Compile(scenario), seed: 7, check: true);
        Simulator.Run(0, this);
    }

    public TrialSimulator Simulator { get; }

    public List<IncidentRecord> Incidents { get; } = [];

    public List<DataLossRecord> Losses { get; } = [];

    public List<TraceEvent> Steps { get; } = [];

    public bool WantsTrace => true;

    public static OneTrial Run(Scenario scenario) => new(scenario);

    /// <summary>Gets the steps of one kind, in order.</summary>
    public IEnumerable<TraceEvent> Of(TraceKind kind) => Steps.Where(s => s.Kind == kind);

    public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

    public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);

    public void OnTrace(in TraceEvent step) => Steps.Add(step);

    /// <summary>A failure process that fails after <paramref name="up"/> hours and is back <paramref name="down"/> hours later, again and again.</summary>
    public static FailureProcess Every(double up, double down, Effect effect = Effect.Outage) =>
        new(Distribution.Fixed(up), Distribution.Fixed(down), effect);
}
