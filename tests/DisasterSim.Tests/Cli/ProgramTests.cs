using DisasterSim.Cli;

namespace DisasterSim.Tests.Cli;

public sealed class ProgramTests
{
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "disastersim-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

    [Fact]
    public void Run_MissingScenarioFile_ExitsInvalidScenarioAndNamesFile()
    {
        var (code, stdout, stderr) = Invoke("run", Missing, "--no-progress");

        Assert.Equal(ExitCodes.InvalidScenario, code);
        Assert.Contains(Missing, stderr, StringComparison.Ordinal);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Validate_MissingScenarioFile_ExitsInvalidScenario()
    {
        var (code, stdout, stderr) = Invoke("validate", Missing);

        Assert.Equal(ExitCodes.InvalidScenario, code);
        Assert.StartsWith(Missing + ":0:0: error: ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Validate_DirectoryInsteadOfFile_ExitsInvalidScenario()
    {
        var (code, _, stderr) = Invoke("validate", Path.GetTempPath());

        Assert.Equal(ExitCodes.InvalidScenario, code);
        Assert.Contains("is a directory", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "x.yaml", "--bogus")]
    [InlineData("run", "x.yaml", "--trials", "0")]
    [InlineData("run", "x.yaml", "--trials", "abc")]
    [InlineData("run", "x.yaml", "--threads", "-1")]
    [InlineData("run", "x.yaml", "--seed", "-1")]
    [InlineData("run")]
    [InlineData("frobnicate")]
    [InlineData]
    public void Run_BadCommandLine_ExitsUsageErrorOnStderrOnly(params string[] args)
    {
        var (code, stdout, stderr) = Invoke(args);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("disastersim: ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Run_TrialsZero_MessageNamesOptionAndValue()
    {
        var (_, _, stderr) = Invoke("run", "x.yaml", "--trials", "0");

        Assert.Contains("--trials must be a whole number of at least 1", stderr, StringComparison.Ordinal);
        Assert.Contains("'0'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_ExitsSuccessAndListsOptions()
    {
        var (code, stdout, _) = Invoke("run", "--help");

        Assert.Equal(ExitCodes.Success, code);
        foreach (string option in new[] { "--trials", "--seed", "--threads", "--out", "--no-progress" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    private static (int Code, string Stdout, string Stderr) Invoke(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
