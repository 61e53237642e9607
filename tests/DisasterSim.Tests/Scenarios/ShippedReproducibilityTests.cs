using DisasterSim.Cli;
using DisasterSim.Cli.Commands;

namespace DisasterSim.Tests.Scenarios;

/// <summary>Every shipped scenario, run through the command line, writes byte-identical files for any thread count and on every run.</summary>
public sealed class ShippedReproducibilityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-repro-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> All() => ShippedScenarioTests.All();

    [Theory]
    [MemberData(nameof(All))]
    public void Run_AnyThreadCountAndAgain_ByteIdenticalFiles(string name)
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, name);

        // 2,500 trials make three chunks of work, so several threads really do share the run.
        var one = Run(scenario, "one", "1");
        var three = Run(scenario, "three", "3");
        var again = Run(scenario, "again", "3");

        foreach (string file in RunCommand.OutputFiles)
        {
            Assert.True(one[file].AsSpan().SequenceEqual(three[file]), $"{name}: {file} differs between 1 and 3 threads");
            Assert.True(three[file].AsSpan().SequenceEqual(again[file]), $"{name}: {file} differs between two runs");
        }

        Assert.True(one["incidents.csv"].Length > 200, $"{name}: too few incidents to show anything");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Dictionary<string, byte[]> Run(string scenario, string label, string threads)
    {
        string outDir = Path.Combine(_root, label);
        var stderr = new StringWriter();
        int code = Program.Run(["run", scenario, "--trials", "2500", "--threads", threads, "--out", outDir, "--no-progress"], TextWriter.Null, stderr);
        Assert.True(code == ExitCodes.Success, stderr.ToString());
        return RunCommand.OutputFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(outDir, f)));
    }
}
