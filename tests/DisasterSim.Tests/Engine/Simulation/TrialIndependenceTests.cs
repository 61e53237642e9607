using DisasterSim.Engine.Simulation;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// A trial is a function of (model, seed, trial) alone: whatever a simulator ran before, in whatever order, a trial
/// gives the same incidents, losses and totals. Streams are seeded when first drawn from in a trial and every other
/// piece of state is reused, so a stale stream or a leftover value would show here.
/// </summary>
public sealed class TrialIndependenceTests
{
    private const int Trials = 300;

    public static TheoryData<string> All() => ShippedScenarioTests.All();

    [Theory]
    [MemberData(nameof(All))]
    public void AnyOrderAndRepeats_SameTrialResults(string name)
    {
        var model = SimulationModel.Compile(ShippedScenarioTests.Load(name));
        var forward = new TrialSimulator(model, 5);
        var expected = Enumerable.Range(0, Trials).Select(t => Fingerprint(forward, t)).ToList();

        var backward = new TrialSimulator(model, 5);
        for (int t = Trials - 1; t >= 0; t--)
        {
            Assert.Equal(expected[t], Fingerprint(backward, t));
            Assert.Equal(expected[t], Fingerprint(backward, t));
        }
    }

    private static string Fingerprint(TrialSimulator simulator, long trial)
    {
        var sink = new RecordingSink();
        simulator.Run(trial, sink);
        return string.Join(
            "\n",
            sink.Lines
                .Append($"events {simulator.EventCount}")
                .Append("downtime " + string.Join(' ', simulator.TrialDowntime.ToArray().Select(BitConverter.DoubleToInt64Bits)))
                .Append("planned " + string.Join(' ', simulator.TrialPlannedDowntime.ToArray().Select(BitConverter.DoubleToInt64Bits)))
                .Append("incidents " + string.Join(' ', simulator.TrialIncidents.ToArray()))
                .Append("loss " + string.Join(' ', simulator.TrialLossHours.ToArray().Select(BitConverter.DoubleToInt64Bits)))
                .Append("gb " + string.Join(' ', simulator.TrialLossGb.ToArray().Select(BitConverter.DoubleToInt64Bits))));
    }

    private sealed class RecordingSink : ITrialSink
    {
        public List<string> Lines { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Lines.Add(incident.ToString());

        public void OnDataLoss(in DataLossRecord loss) => Lines.Add(loss.ToString());
    }
}
