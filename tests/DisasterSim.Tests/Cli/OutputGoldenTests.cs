using System.Text.RegularExpressions;
using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Cli;

/// <summary>Every file the run command writes, end to end through the command line, against its golden file, in two cultures.</summary>
public sealed partial class OutputGoldenTests : IDisposable
{
    /// <summary>One line per output: its file name and how to normalise what legitimately differs between builds.</summary>
    private static readonly Dictionary<string, Func<string, string>> Outputs = new(StringComparer.Ordinal)
    {
        ["summary.csv"] = text => text,
        ["trials.csv"] = text => text,
        ["incidents.csv"] = text => text,
        ["metadata.json"] = text => EngineVersion().Replace(text, "\"engine_version\": \"1.2.3-test\""),

        // The text and the charts' presence, not their pixels (which follow the fonts installed).
        ["report.html"] = text => ReportEngine().Replace(InlinedImage().Replace(text, "data:image/png;base64,PNG"), "engine 1.2.3-test,"),
    };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-golden-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in Outputs.Keys)
        {
            data.Add(file, "");
            data.Add(file, "de-DE");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_SmallScenario_OutputMatchesGoldenByteForByte(string file, string culture)
    {
        Directory.CreateDirectory(_root);
        string scenario = Path.Combine(_root, RunResultFixture.SourceFileName);
        File.WriteAllBytes(scenario, RunResultFixture.ScenarioBytes);
        string outDir = Path.Combine(_root, "out");
        var result = RunResultFixture.Create();
        var context = new CliContext(TextWriter.Null, TextWriter.Null, StderrIsTerminal: false, CancellationToken.None)
        {
            LoadScenario = _ => new LoadResult(result.Scenario, []),
            RunSimulation = (_, _, hooks, _, _) => RunResultFixture.Feed(result, hooks),
        };

        using (new CultureScope(culture))
        {
            Assert.Equal(ExitCodes.Success, Program.Run(["run", scenario, "--seed", "42", "--out", outDir, "--threads", "2"], context));
        }

        GoldenFiles.AssertMatches(file, Outputs[file](File.ReadAllText(Path.Combine(outDir, file))));
    }

    [Fact]
    public void Outputs_CoverEveryFileTheRunWrites() =>
        Assert.Equal(RunCommand.OutputFiles.Order(StringComparer.Ordinal), Outputs.Keys.Order(StringComparer.Ordinal));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [GeneratedRegex("\"engine_version\": \"[^\"]*\"")]
    private static partial Regex EngineVersion();

    [GeneratedRegex("data:image/png;base64,[A-Za-z0-9+/=]+")]
    private static partial Regex InlinedImage();

    [GeneratedRegex("engine [^ ,]+,")]
    private static partial Regex ReportEngine();
}
