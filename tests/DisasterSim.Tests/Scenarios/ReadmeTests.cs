using System.Text.RegularExpressions;

namespace DisasterSim.Tests.Scenarios;

/// <summary>README and docs: short, self-contained, their example the shipped file, their links alive.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = Path.GetDirectoryName(ShippedScenarioTests.ScenarioDirectory)!;

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string> { "README.md", Path.Combine("scenarios", "README.md") };
        foreach (string file in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Root, file));
        }

        return data;
    }

    [Fact]
    public void Readme_IsAtMost15Kilobytes()
    {
        long size = new FileInfo(Path.Combine(Root, "README.md")).Length;

        Assert.True(size <= 15 * 1024, $"README.md is {size:N0} bytes; keep it at most 15 KB and move depth to docs/.");
    }

    [Fact]
    public void Readme_TheAnnotatedScenarioIsTheShippedFile()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        string shipped = File.ReadAllText(Path.Combine(ShippedScenarioTests.ScenarioDirectory, "00-small-office.yaml")).ReplaceLineEndings("\n");
        var block = YamlBlock().Match(readme);

        Assert.True(block.Success, "README.md has no ```yaml block");
        Assert.Equal(shipped, block.Groups[1].Value);
    }

    [Fact]
    public void Readme_KeepsExactlyTwoSetUpCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var setUp = SetUpBlock().Match(readme);

        Assert.True(setUp.Success, "README.md has no '## Set up' section with a ```sh block");
        Assert.Equal(
            ["dotnet run --project src/Cli -c Release -- run scenarios/03-hourly-async-dr.yaml", "dotnet test tests/DisasterSim.Tests"],
            setUp.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_CitesNothingOutsideTheRepository(string document)
    {
        string text = File.ReadAllText(Path.Combine(Root, document));

        Assert.DoesNotMatch(OutsideReference(), text);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_LinksResolve(string document)
    {
        string directory = Path.GetDirectoryName(Path.Combine(Root, document))!;
        foreach (Match link in RelativeLink().Matches(File.ReadAllText(Path.Combine(Root, document))))
        {
            string target = Path.GetFullPath(Path.Combine(directory, link.Groups[1].Value));
            Assert.True(File.Exists(target) || Directory.Exists(target), $"{document}: link '{link.Groups[1].Value}' leads nowhere");
            if (link.Groups[2].Success && target.EndsWith(".md", StringComparison.Ordinal))
            {
                Assert.Contains(link.Groups[2].Value, Anchors(File.ReadAllText(target)));
            }
        }
    }

    [Fact]
    public void ShippedScenarios_CiteNothingOutsideTheRepository()
    {
        foreach (string file in Directory.GetFiles(ShippedScenarioTests.ScenarioDirectory, "*.yaml", SearchOption.AllDirectories))
        {
            Assert.DoesNotMatch(OutsideReference(), File.ReadAllText(file));
        }
    }

    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    private static HashSet<string> Anchors(string markdown) =>
        [.. Heading().Matches(markdown).Select(m => AnchorPunctuation().Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex("## Set up\\n.*?```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SetUpBlock();

    [GeneratedRegex(@"\.\./\.\./shared|BRIEF\.md|ANALYTIC\.md|\bthe brief\b|\bthe issue\b", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideReference();

    [GeneratedRegex(@"\]\((?!https?:|#|mailto:)([^)#\s]+)(?:#([^)\s]+))?\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex AnchorPunctuation();
}
