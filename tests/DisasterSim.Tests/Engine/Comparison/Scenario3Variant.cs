using DisasterSim.Models;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>Variants of the shipped scenario 3 (hourly backups, async replica, manual failover), for comparison tests.</summary>
internal static class Scenario3Variant
{
    /// <summary>Gets the scenario file's path.</summary>
    public static string Path { get; } = System.IO.Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");

    /// <summary>Loads scenario 3 with <paramref name="overrides"/> (PATH=VALUE) applied.</summary>
    public static Scenario Load(params string[] overrides)
    {
        var result = VariantLoader.Load(Path, overrides.Select(ScenarioOverride.Parse).ToList());
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Scenario!;
    }
}
