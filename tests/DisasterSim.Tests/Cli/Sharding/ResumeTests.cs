using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli.Sharding;

/// <summary>A run stopped midway and resumed writes the very bytes of an uninterrupted run.</summary>
public sealed class ResumeTests : IDisposable
{
    // Five chunks of 1024 trials, the last one partial.
    private const string Trials = "4500";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-resume-" + Guid.NewGuid().ToString("N"));
    private readonly string _scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public ResumeTests() => Directory.CreateDirectory(_root);

    private string Out => Path.Combine(_root, "out");

    private string CheckpointFolder => Path.Combine(Out, CheckpointStore.FolderName);

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void Resume_AfterCancellationMidway_ByteIdenticalToUninterruptedRun(string threads)
    {
        string expected = Path.Combine(_root, "uninterrupted");
        Assert.Equal(ExitCodes.Success, Program.Run(["run", _scenario, "--trials", Trials, "--out", expected], _stdout, _stderr));

        int stopped = RunCancelledAfterSaves(2, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", threads, "--checkpoint");
        Assert.Equal(ExitCodes.Cancelled, stopped);
        Assert.Empty(OutputListing.Files(Out));
        int kept = Directory.GetFiles(CheckpointFolder, "chunk-*.bin").Length;
        Assert.InRange(kept, 2, 4);

        var counting = new CountingContext(_stdout, _stderr);
        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--threads", threads, "--resume"], counting.Context);

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(kept, counting.Loaded);
        Assert.Equal(5 - kept, counting.Simulated);
        foreach (string file in RunCommand.OutputFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out, file))), $"{file} differs");
        }

        Assert.False(Directory.Exists(CheckpointFolder));
        Assert.Contains($"Resumed: {kept} chunks came from", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_CheckpointOfAnotherSeed_ExitsRuntimeFailureNamingBothSeeds()
    {
        RunCancelledAfterSaves(1, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", "1", "--checkpoint");

        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--resume", "--seed", "5"], _stdout, _stderr);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Contains("holds checkpoints of another run: the seed differs (checkpoint: 2026, this run: 5)", _stderr.ToString(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(CheckpointFolder));
    }

    [Fact]
    public void Checkpoint_WithoutResume_StartsAfreshAndRemovesTheFolderWhenDone()
    {
        RunCancelledAfterSaves(1, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", "1", "--checkpoint");
        var counting = new CountingContext(_stdout, _stderr);

        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--checkpoint"], counting.Context);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(0, counting.Loaded);
        Assert.Equal(5, counting.Simulated);
        Assert.False(Directory.Exists(CheckpointFolder));
    }

    [Fact]
    public void Resume_NoCheckpoint_RunsEverything()
    {
        var counting = new CountingContext(_stdout, _stderr);

        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--resume"], counting.Context);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(5, counting.Simulated);
    }

    [Fact]
    public void Resume_LeftoverPartialChunk_IsIgnored()
    {
        RunCancelledAfterSaves(1, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", "1", "--checkpoint");

        // What a kill during a chunk's write leaves: a temporary file, never a chunk's final name.
        File.WriteAllBytes(Path.Combine(CheckpointFolder, "chunk-000000001024.bin.partial"), [1, 2, 3]);
        var counting = new CountingContext(_stdout, _stderr);
        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--resume"], counting.Context);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(1, counting.Loaded);
        Assert.Equal(4, counting.Simulated);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(40_000)]
    [InlineData(-40)]
    public void Resume_OneByteFlippedInAChunk_ChunkSimulatedAgainAndFilesByteIdentical(int offset)
    {
        string expected = Uninterrupted();
        RunCancelledAfterSaves(2, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", "1", "--checkpoint");
        string chunk = Path.Combine(CheckpointFolder, "chunk-000000001024.bin");
        byte[] bytes = File.ReadAllBytes(chunk);
        bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x01;
        File.WriteAllBytes(chunk, bytes);

        ResumeTakingOneChunk(expected);

        Assert.Contains("Note: 1 checkpointed chunks could not be trusted and were simulated again: chunk-000000001024.bin: block at trial 1024: ", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_ChunkOfAnotherSeedPlantedInTheCheckpoint_SimulatedAgainAndFilesByteIdentical()
    {
        string expected = Uninterrupted();
        string other = Path.Combine(_root, "other");
        RunCancelledAfterSaves(1, "run", _scenario, "--trials", Trials, "--out", other, "--threads", "1", "--checkpoint", "--seed", "5");
        RunCancelledAfterSaves(2, "run", _scenario, "--trials", Trials, "--out", Out, "--threads", "1", "--checkpoint");
        File.Copy(Path.Combine(other, CheckpointStore.FolderName, "chunk-000000000000.bin"), Path.Combine(CheckpointFolder, "chunk-000000000000.bin"), overwrite: true);

        ResumeTakingOneChunk(expected);

        Assert.Contains("chunk-000000000000.bin: the records belong to another run", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_CheckpointFolderIsALink_RefusedWithoutFollowingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string elsewhere = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "keep.txt"), "keep");
        Directory.CreateDirectory(Out);
        Directory.CreateSymbolicLink(CheckpointFolder, elsewhere);

        int resumed = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--resume"], _stdout, _stderr);
        int fresh = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--checkpoint"], _stdout, _stderr);

        Assert.Equal(ExitCodes.RuntimeFailure, resumed);
        Assert.Contains("is a symbolic link, not a checkpoint folder this program made", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, fresh);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(elsewhere, "keep.txt")));
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Uninterrupted()
    {
        string expected = Path.Combine(_root, "uninterrupted");
        Assert.Equal(ExitCodes.Success, Program.Run(["run", _scenario, "--trials", Trials, "--out", expected], _stdout, _stderr));
        return expected;
    }

    // Resumes a run whose checkpoint holds two chunks, one of them untrustworthy: one is taken, and the files are the uninterrupted run's.
    private void ResumeTakingOneChunk(string expected)
    {
        var counting = new CountingContext(_stdout, _stderr);

        int code = Program.Run(["run", _scenario, "--trials", Trials, "--out", Out, "--resume"], counting.Context);

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Equal(1, counting.Loaded);
        AssertSameFiles(expected, Out);
    }

    private static void AssertSameFiles(string expected, string actual)
    {
        foreach (string file in RunCommand.OutputFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }

    // Cancels the run, as Ctrl-C would, once a number of chunks have been checkpointed.
    private int RunCancelledAfterSaves(int saves, params string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        var context = new CliContext(_stdout, _stderr, StderrIsTerminal: false, cancellation.Token)
        {
            RunSimulation = (scenario, options, hooks, progress, token) =>
                MonteCarloRunner.Run(scenario, options, hooks with { Store = new CancellingStore(hooks.Store!, saves, cancellation) }, progress, token),
        };
        return Program.Run(args, context);
    }

    private sealed class CountingContext
    {
        private int _loaded;
        private int _simulated;

        public CountingContext(TextWriter stdout, TextWriter stderr) =>
            Context = new CliContext(stdout, stderr, StderrIsTerminal: false, CancellationToken.None)
            {
                RunSimulation = (scenario, options, hooks, progress, token) => MonteCarloRunner.Run(scenario, options, hooks with { Store = new Counting(hooks.Store!, this) }, progress, token),
            };

        public CliContext Context { get; }

        public int Loaded => _loaded;

        public int Simulated => _simulated;

        private sealed class Counting(ITrialChunkStore inner, CountingContext owner) : ITrialChunkStore
        {
            public bool TryLoad(TrialChunk chunk, int count)
            {
                bool loaded = inner.TryLoad(chunk, count);
                if (loaded)
                {
                    Interlocked.Increment(ref owner._loaded);
                }

                return loaded;
            }

            public void Save(TrialChunk chunk)
            {
                Interlocked.Increment(ref owner._simulated);
                inner.Save(chunk);
            }
        }
    }
}
