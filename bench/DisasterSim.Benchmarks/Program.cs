using BenchmarkDotNet.Running;

namespace DisasterSim.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/DisasterSim.Benchmarks</c> times the availability model through
/// the engine against the hand-written loop and prints the ratio; <c>-- bdn --filter PATTERN</c> runs the
/// BenchmarkDotNet suite instead; <c>-- sim SCENARIO TRIALS [ROUNDS]</c> times one scenario;
/// <c>-- queue TRIALS</c> times the hand-written loop on the engine's event queue; <c>-- digest TRIALS</c> prints
/// a fingerprint of every shipped scenario's results, which an optimisation must leave unchanged.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "bdn")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return;
        }

        if (args.Length > 1 && args[0] == "queue")
        {
            QueueProbe.Run(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args.Length > 1 && args[0] == "digest")
        {
            ResultDigest.Run(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args.Length > 1 && args[0] == "sim")
        {
            int rounds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3;
            QuickTiming.SimulatorOnly(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), rounds);
            return;
        }

        long trials = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        QuickTiming.Run(trials);
    }
}
