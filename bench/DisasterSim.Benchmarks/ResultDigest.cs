using System.Globalization;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Benchmarks;

/// <summary>
/// A fingerprint of everything the trial simulator reports for every shipped scenario: incidents, losses, traces,
/// per-trial totals and event counts. A change meant to be a pure optimisation must leave every line unchanged.
/// </summary>
public static class ResultDigest
{
    public static void Run(long trials)
    {
        var root = FindScenarios();
        foreach (string path in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path);
            var model = SimulationModel.Compile(BenchScenarios.Load(relative));

            // Once with every step traced (the first trials), once as a batch run would: both must agree.
            var traced = new HashingSink(wantsTrace: true);
            var plain = new HashingSink(wantsTrace: false);
            var simulator = new TrialSimulator(model, 2026);
            var batch = new TrialSimulator(model, 2026);
            for (long t = 0; t < trials; t++)
            {
                simulator.Run(t, t < 2_000 ? traced : plain);
                plain.AddTotals(simulator);
                batch.Run(t, null);
                traced.AddTotals(batch);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relative,-36} {plain.Hash:X16} {traced.Hash:X16} trace steps {traced.Steps}"));
        }
    }

    private static string FindScenarios()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "scenarios");
            if (Directory.Exists(path))
            {
                return path;
            }
        }

        throw new DirectoryNotFoundException("scenarios not found");
    }

    private sealed class HashingSink(bool wantsTrace) : ITrialSink
    {
        public ulong Hash { get; private set; } = 0xCBF29CE484222325UL;

        public long Steps { get; private set; }

        public bool WantsTrace => wantsTrace;

        public void OnIncident(in IncidentRecord incident) => Add(incident.ToString());

        public void OnDataLoss(in DataLossRecord loss) => Add(loss.ToString());

        public void OnTrace(in TraceEvent step)
        {
            Steps++;
            Add(step.ToString());
        }

        public void AddTotals(TrialSimulator simulator)
        {
            Add(simulator.EventCount);
            foreach (double x in simulator.TrialDowntime)
            {
                Add(BitConverter.DoubleToInt64Bits(x));
            }

            foreach (double x in simulator.TrialPlannedDowntime)
            {
                Add(BitConverter.DoubleToInt64Bits(x));
            }

            foreach (int x in simulator.TrialIncidents)
            {
                Add(x);
            }

            foreach (double x in simulator.TrialLossHours)
            {
                Add(BitConverter.DoubleToInt64Bits(x));
            }

            foreach (double x in simulator.TrialLossGb)
            {
                Add(BitConverter.DoubleToInt64Bits(x));
            }
        }

        private void Add(string text)
        {
            foreach (char ch in text)
            {
                Add(ch);
            }
        }

        private void Add(long value) => Hash = (Hash ^ (ulong)value) * 0x100000001B3UL;
    }
}
