using BenchmarkDotNet.Running;

namespace DisasterSim.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/DisasterSim.Benchmarks</c> runs <c>disastersim bench</c> (the benchmark
/// scenarios through the engine against the hand-written loop); <c>-- bdn --filter PATTERN</c> runs the
/// BenchmarkDotNet suite instead; <c>-- sim SCENARIO TRIALS [ROUNDS]</c> times one scenario's trial simulator;
/// <c>-- floor TRIALS</c> runs the hand-written loop alone, a process to time against <c>disastersim run</c>;
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

        if (args.Length > 1 && args[0] == "floor")
        {
            QuickTiming.Floor(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        DisasterSim.Cli.Program.Main(["bench", .. args]);
    }
}
