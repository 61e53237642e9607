namespace DisasterSim.Engine.Simulation;

/// <summary>Receives the incidents and data losses of a trial as they close.</summary>
public interface ITrialSink
{
    /// <summary>A service incident closed.</summary>
    void OnIncident(in IncidentRecord incident);

    /// <summary>A data set was recovered from a recovery point (possibly with zero loss) in an incident that closed.</summary>
    void OnDataLoss(in DataLossRecord loss);

    /// <summary>Gets whether the sink wants every step of the trial (<see cref="OnTrace"/>); off for batch runs.</summary>
    bool WantsTrace => false;

    /// <summary>One step of the trial, in order; called only when <see cref="WantsTrace"/> is true.</summary>
    void OnTrace(in TraceEvent step)
    {
    }
}
