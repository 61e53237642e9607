using System.Text;
using DisasterSim.Cli.Output;

namespace DisasterSim.Tests.Cli;

public sealed class RunMetadataTests
{
    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void WriteJson_AnyCulture_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        var metadata = RunMetadata.From(RunResultFixture.Create(), "/some/where/" + RunResultFixture.SourceFileName, RunResultFixture.ScenarioBytes, "1.2.3-test");

        using var stream = new MemoryStream();
        metadata.WriteJson(stream);

        GoldenFiles.AssertMatches("metadata.json", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void From_AbsolutePath_KeepsOnlyFileName()
    {
        var metadata = RunMetadata.From(RunResultFixture.Create(), Path.Combine(Path.GetTempPath(), "a", "b.yaml"), [], null);

        Assert.Equal("b.yaml", metadata.ScenarioFile);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", metadata.ScenarioSha256);
        Assert.False(string.IsNullOrEmpty(metadata.EngineVersion));
    }

    [Fact]
    public void WriteJson_SketchedStatistics_ListsThemWithTheSketchAccuracy()
    {
        var result = RunResultFixture.Create() with { SketchedStatistics = ["service shop: downtime per incident"] };
        var metadata = RunMetadata.From(result, RunResultFixture.SourceFileName, RunResultFixture.ScenarioBytes, "1.2.3-test");

        using var stream = new MemoryStream();
        metadata.WriteJson(stream);
        string json = Encoding.UTF8.GetString(stream.ToArray());

        Assert.EndsWith("  \"sketch_relative_accuracy\": 0.001,\n  \"sketched_statistics\": [\n    \"service shop: downtime per incident\"\n  ]\n}\n", json, StringComparison.Ordinal);
    }
}
