using System.Reflection;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Tests.Architecture;

/// <summary>Models knows nothing of the engine; the engine knows nothing of the console, CSV or command line.</summary>
public sealed class DependencyDirectionTests
{
    private static string[] References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void Models_ReferencesNeitherEngineNorCli()
    {
        var references = References(typeof(Scenario).Assembly);

        Assert.DoesNotContain("DisasterSim.Engine", references);
        Assert.DoesNotContain("disastersim", references);
        Assert.Contains("YamlDotNet", references);
    }

    [Theory]
    [InlineData("disastersim")]
    [InlineData("CsvHelper")]
    [InlineData("Spectre.Console")]
    [InlineData("System.CommandLine")]
    public void Engine_DoesNotReference(string assembly)
    {
        Assert.DoesNotContain(assembly, References(typeof(MonteCarloRunner).Assembly));
    }

    [Fact]
    public void Engine_ReferencesModels()
    {
        Assert.Contains("DisasterSim.Models", References(typeof(MonteCarloRunner).Assembly));
    }
}
