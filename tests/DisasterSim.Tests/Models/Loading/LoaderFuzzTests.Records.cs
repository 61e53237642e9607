using System.Globalization;
using DisasterSim.Cli;
using DisasterSim.Cli.Commands;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Cli.Sharding;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// Mutation fuzzing of the files a run trusts besides its scenario: checkpoint chunks, shard records and their manifests.
/// Every damaged or forged input must end in checked records or a located error, never in an exception, a hang, a runaway
/// allocation or a non-finite value; a resumed run must write the very bytes of an uninterrupted one whatever its checkpoint
/// holds; and a merge must write the single run's bytes or refuse.
/// </summary>
/// <remarks>
/// The CI run takes <see cref="DefaultRecordInputs"/> record files read directly and <see cref="DefaultCommandInputs"/> resumes
/// and merges through the command line; <c>DISASTERSIM_FUZZ_RECORDS=N</c> and <c>DISASTERSIM_FUZZ_COMMANDS=N</c> take more.
/// </remarks>
public sealed partial class LoaderFuzzTests
{
    /// <summary>Mutated record files read directly in the CI run.</summary>
    public const int DefaultRecordInputs = 2_500;

    /// <summary>Mutated checkpoints resumed, and mutated shards merged, through the command line in the CI run (each).</summary>
    public const int DefaultCommandInputs = 40;

    private const string Trials = "3000";

    [Fact]
    [Trait("Category", "Fuzz")]
    public void ReadRecords_MutatedShardRecordsAndCheckpointChunks_EveryInputEndsInCheckedRecordsOrLocatedError()
    {
        using var files = new FuzzFiles();
        long inputs = EnvironmentInt("DISASTERSIM_FUZZ_RECORDS", DefaultRecordInputs);
        ulong seed = (ulong)EnvironmentInt("DISASTERSIM_FUZZ_SEED", (long)DefaultSeed);
        var shard = files.Shard(1);
        var shardMutator = new RecordsMutator(files.Shape, shard.Manifest.RecordsBinding(), seed);
        var store = CheckpointStore.Open(files.Root, files.CheckpointManifest, files.Shape, resume: false);
        var chunkMutator = new RecordsMutator(files.Shape, files.CheckpointManifest.RecordsBinding(), seed + 1);
        var worker = new BoundedWorker(WorkerStackBytes);
        var failures = new List<string>();
        int accepted = 0;
        int refused = 0;
        for (long index = 0; index < inputs && failures.Count < 20; index++)
        {
            if (worker.Stuck)
            {
                worker = new BoundedWorker(WorkerStackBytes);
            }

            bool chunk = index % 2 == 1;
            var mutator = chunk ? chunkMutator : shardMutator;
            byte[] bytes = chunk ? mutator.MutateRecords(files.Chunk, index) : mutator.MutateRecords(shard.Records, index);
            string where = $"seed {seed}, input {index} ({(chunk ? "checkpoint chunk" : "shard.bin")}, {mutator.LastKind}, {bytes.Length:N0} bytes)";
            string? verdict = null;
            long allocated = 0;
            string? problem = worker.Run(
                () =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    verdict = chunk ? LoadChunk(store, files, bytes) : ReadShard(shard.Manifest, files.Shape, bytes);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                },
                LoadTimeout);
            long allowance = AllocationAllowance + (AllocationPerInputChar * bytes.Length);
            if (problem is not null)
            {
                failures.Add($"{where}: {problem}");
            }
            else if (allocated > allowance)
            {
                failures.Add($"{where}: allocated {allocated:N0} bytes, more than {allowance:N0}");
            }
            else if (verdict is "accepted")
            {
                accepted++;
            }
            else if (verdict is "refused")
            {
                refused++;
            }
            else
            {
                failures.Add($"{where}: {verdict}");
            }
        }

        worker.Dispose();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs:N0} record files (seed {seed}): {accepted:N0} accepted with every value checked, {refused:N0} refused with located errors, {failures.Count} failures"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(refused > inputs / 2, $"only {refused} of {inputs} inputs were refused: the mutations are too gentle");
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Resume_MutatedCheckpoint_FilesByteIdenticalToAnUninterruptedRunOrALocatedRefusal()
    {
        using var files = new FuzzFiles();
        long inputs = EnvironmentInt("DISASTERSIM_FUZZ_COMMANDS", DefaultCommandInputs);
        ulong seed = (ulong)EnvironmentInt("DISASTERSIM_FUZZ_SEED", (long)DefaultSeed);
        var mutator = new RecordsMutator(files.Shape, files.CheckpointManifest.RecordsBinding(), seed + 2);
        var failures = new List<string>();
        int identical = 0;
        int refused = 0;
        for (long index = 0; index < inputs && failures.Count < 10; index++)
        {
            string output = Path.Combine(files.Root, "resume-" + index.ToString(CultureInfo.InvariantCulture));
            string checkpoint = files.CopyCheckpoint(output);
            bool manifest = index % 4 == 3;
            if (manifest)
            {
                string path = Path.Combine(checkpoint, "checkpoint.json");
                File.WriteAllText(path, mutator.MutateManifest(File.ReadAllText(path), index));
            }
            else
            {
                string chunk = Path.Combine(checkpoint, "chunk-000000001024.bin");
                File.WriteAllBytes(chunk, mutator.MutateRecords(File.ReadAllBytes(chunk), index, forgeries: false));
            }

            string where = $"seed {seed}, input {index} ({(manifest ? "checkpoint.json" : "chunk")}, {mutator.LastKind})";
            var (code, stderr) = Command(["run", files.Scenario, "--trials", Trials, "--out", output, "--resume", "--threads", "2"]);
            if (code == ExitCodes.Success)
            {
                string? difference = files.DifferenceFromSingleRun(output);
                if (difference is null)
                {
                    identical++;
                }
                else
                {
                    failures.Add($"{where}: resumed, but {difference}");
                }
            }
            else if (code == ExitCodes.RuntimeFailure && OneLocatedError(stderr))
            {
                refused++;
            }
            else
            {
                failures.Add($"{where}: exit {code}: {Escape(stderr)}");
            }

            Directory.Delete(output, recursive: true);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs:N0} mutated checkpoints resumed (seed {seed}): {identical:N0} byte-identical to the uninterrupted run, {refused:N0} refused with a located error, {failures.Count} failures"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Merge_MutatedShard_FilesOfTheSingleRunOrALocatedRefusal()
    {
        using var files = new FuzzFiles();
        long inputs = EnvironmentInt("DISASTERSIM_FUZZ_COMMANDS", DefaultCommandInputs);
        ulong seed = (ulong)EnvironmentInt("DISASTERSIM_FUZZ_SEED", (long)DefaultSeed);
        var shard = files.Shard(1);
        var mutator = new RecordsMutator(files.Shape, shard.Manifest.RecordsBinding(), seed + 3);
        var failures = new List<string>();
        int identical = 0;
        int refused = 0;
        for (long index = 0; index < inputs && failures.Count < 10; index++)
        {
            string copy = files.CopyShard(1, "mutated-" + index.ToString(CultureInfo.InvariantCulture));
            bool manifest = index % 2 == 0;
            if (manifest)
            {
                string path = Path.Combine(copy, ShardManifest.FileName);
                File.WriteAllText(path, mutator.MutateManifest(File.ReadAllText(path), index));
            }
            else
            {
                // A forgery that recomputes records_sha256 too: only the range checks stand between it and the outputs.
                string path = Path.Combine(copy, ShardManifest.RecordsFileName);
                byte[] bytes = mutator.MutateRecords(shard.Records, index);
                File.WriteAllBytes(path, bytes);
                string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
                string json = Path.Combine(copy, ShardManifest.FileName);
                File.WriteAllText(json, File.ReadAllText(json).Replace(shard.Manifest.RecordsSha256!, hash, StringComparison.Ordinal));
            }

            string where = $"seed {seed}, input {index} ({(manifest ? "shard.json" : "shard.bin, hash recomputed")}, {mutator.LastKind})";
            string merged = Path.Combine(files.Root, "merged-" + index.ToString(CultureInfo.InvariantCulture));
            var (code, stderr) = Command(["merge", files.ShardDirectory(0), copy, "--out", merged]);
            if (code == ExitCodes.Success)
            {
                // A forged record with values in range merges (a checksum is no signature); its values must still be sound.
                string? difference = files.DifferenceFromSingleRun(merged);
                if (difference is null || (!manifest && mutator.LastKind.StartsWith("forged", StringComparison.Ordinal) && FiniteCsv(merged)))
                {
                    identical++;
                }
                else
                {
                    failures.Add($"{where}: merged, but {difference}");
                }
            }
            else if (code is ExitCodes.InvalidScenario or ExitCodes.RuntimeFailure or ExitCodes.UsageError && OneLocatedError(stderr))
            {
                refused++;
            }
            else
            {
                failures.Add($"{where}: exit {code}: {Escape(stderr)}");
            }

            Directory.Delete(copy, recursive: true);
            if (Directory.Exists(merged))
            {
                Directory.Delete(merged, recursive: true);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs:N0} mutated shards merged (seed {seed}): {identical:N0} merged soundly, {refused:N0} refused with a located error, {failures.Count} failures"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Reads a shard's records as merge does; "accepted" (every value checked again here), "refused", or what went wrong.
    private static string ReadShard(ShardManifest manifest, RecordShape shape, byte[] bytes)
    {
        var checker = new Checker(shape);
        try
        {
            TrialRecordsFile.Read(new MemoryStream(bytes), shape, manifest.RecordsBinding(), checker, (first, count) =>
            {
                if ((first, count) != (manifest.FirstTrial, manifest.Trials))
                {
                    throw new InvalidDataException("another range");
                }
            });
        }
        catch (InvalidDataException e)
        {
            return e.Message.Trim().Length > 0 && !e.Message.Contains('\n', StringComparison.Ordinal) ? "refused" : $"an unclear error: {Escape(e.Message)}";
        }

        return checker.Problem ?? "accepted";
    }

    // Loads a checkpointed chunk as a resumed run does: taken (every value checked again here) or simulated again.
    private static string LoadChunk(CheckpointStore store, FuzzFiles files, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(store.Path, "chunk-000000001024.bin"), bytes);
        var chunk = new TrialChunk(files.Shape.Services, files.Shape.DataSets, MonteCarloRunner.ChunkSize);
        chunk.Reset(1024);
        if (!store.TryLoad(chunk, 1024))
        {
            return chunk.Count == 0 ? "refused" : "refused, but the chunk kept part of the records";
        }

        var checker = new Checker(files.Shape);
        checker.Consume(chunk);
        return checker.Problem ?? "accepted";
    }

    private static (int Code, string Stderr) Command(string[] args)
    {
        var stderr = new StringWriter();
        int code = Program.Run(args, new StringWriter(), stderr);
        return (code, stderr.ToString());
    }

    // A refusal is one line naming what is wrong (no stack trace, no internal error).
    private static bool OneLocatedError(string stderr)
    {
        var lines = stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return lines.Count(l => l.StartsWith("disastersim: error:", StringComparison.Ordinal) || l.Contains(": error: ", StringComparison.Ordinal)) >= 1
            && !stderr.Contains("internal error", StringComparison.Ordinal)
            && !stderr.Contains("   at ", StringComparison.Ordinal);
    }

    private static bool FiniteCsv(string directory) =>
        RunCommand.OutputFiles.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)).All(f =>
        {
            string text = File.ReadAllText(Path.Combine(directory, f));
            return !text.Contains("NaN", StringComparison.Ordinal) && !text.Contains("Infinity", StringComparison.Ordinal) && !text.Contains('\0', StringComparison.Ordinal);
        });

    /// <summary>Checks again, independently of the reader, that what it handed on is in range and finite.</summary>
    private sealed class Checker(RecordShape shape) : ITrialChunkConsumer
    {
        public string? Problem { get; private set; }

        public void Consume(TrialChunk chunk)
        {
            for (int row = 0; row < chunk.Count && Problem is null; row++)
            {
                foreach (double v in chunk.DowntimeRow(row).ToArray().Concat(chunk.PlannedDowntimeRow(row).ToArray()).Concat(chunk.LossHoursRow(row).ToArray()).Concat(chunk.LossGbRow(row).ToArray()))
                {
                    Fail(!(double.IsFinite(v) && v >= 0), $"a row value {v}");
                }

                foreach (int n in chunk.IncidentCountRow(row))
                {
                    Fail(n < 0, $"an incident count {n}");
                }
            }

            foreach (var x in chunk.Incidents)
            {
                int causes = x.CauseKind switch
                {
                    CauseKind.Threat or CauseKind.Maintenance => shape.Threats,
                    CauseKind.ComponentFailure => shape.Components,
                    CauseKind.Failback => shape.Services,
                    _ => -1,
                };
                Fail(x.Service < 0 || x.Service >= shape.Services || x.CauseIndex < 0 || x.CauseIndex >= causes || !Enum.IsDefined(x.Action), $"an incident out of range {x}");
                Fail(!(x.StartHours >= 0 && x.StartHours <= shape.HorizonHours) || !new[] { x.DetectionDelayHours, x.DowntimeHours, x.DataLossHours, x.DataLossGb }.All(v => double.IsFinite(v) && v >= 0), $"an incident's time or amount {x}");
            }

            foreach (var x in chunk.Losses)
            {
                Fail(x.DataSet < 0 || x.DataSet >= shape.DataSets || !new[] { x.LossHours, x.LossGb }.All(v => double.IsFinite(v) && v >= 0), $"a loss out of range {x}");
            }
        }

        private void Fail(bool failed, string what)
        {
            if (failed && Problem is null)
            {
                Problem = "accepted " + what;
            }
        }
    }

    /// <summary>The real files the fuzzing starts from: a single run, its two shards and a complete checkpoint folder, of shipped scenario 3.</summary>
    private sealed class FuzzFiles : IDisposable
    {
        public FuzzFiles()
        {
            Directory.CreateDirectory(Root);
            var scenario = ScenarioLoader.Load(Scenario).Scenario!;
            Shape = RecordShape.Of(scenario);
            Run("run", Scenario, "--trials", Trials, "--out", Single);
            Run("run", Scenario, "--trials", Trials, "--shard", "0/2", "--out", ShardDirectory(0));
            Run("run", Scenario, "--trials", Trials, "--shard", "1/2", "--out", ShardDirectory(1));

            // A checkpoint that holds every chunk: the run is stopped after its last save, before its outputs are committed.
            using var cancellation = new CancellationTokenSource();
            var context = new CliContext(new StringWriter(), new StringWriter(), StderrIsTerminal: false, cancellation.Token)
            {
                RunSimulation = (s, options, hooks, progress, token) => MonteCarloRunner.Run(s, options, hooks with { Store = new CancellingStore(hooks.Store!, 3, cancellation) }, progress, token),
            };
            Program.Run(["run", Scenario, "--trials", Trials, "--out", CheckpointRun, "--checkpoint", "--threads", "1"], context);
            string folder = Path.Combine(CheckpointRun, CheckpointStore.FolderName);
            CheckpointManifest = ShardManifest.ReadJson(File.ReadAllBytes(Path.Combine(folder, "checkpoint.json")));
            Chunk = File.ReadAllBytes(Path.Combine(folder, "chunk-000000001024.bin"));
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "disastersim-fuzz-" + Guid.NewGuid().ToString("N"));

        public string Scenario { get; } = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");

        public RecordShape Shape { get; }

        public ShardManifest CheckpointManifest { get; }

        public byte[] Chunk { get; }

        private string Single => Path.Combine(Root, "single");

        private string CheckpointRun => Path.Combine(Root, "checkpointed");

        public string ShardDirectory(int index) => Path.Combine(Root, "shard-" + index.ToString(CultureInfo.InvariantCulture));

        public (ShardManifest Manifest, byte[] Records) Shard(int index) => (
            ShardManifest.ReadJson(File.ReadAllBytes(Path.Combine(ShardDirectory(index), ShardManifest.FileName))),
            File.ReadAllBytes(Path.Combine(ShardDirectory(index), ShardManifest.RecordsFileName)));

        public string CopyShard(int index, string name)
        {
            string copy = Path.Combine(Root, name);
            Directory.CreateDirectory(copy);
            foreach (string file in Directory.GetFiles(ShardDirectory(index)))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            return copy;
        }

        public string CopyCheckpoint(string output)
        {
            string folder = Path.Combine(output, CheckpointStore.FolderName);
            Directory.CreateDirectory(folder);
            foreach (string file in Directory.GetFiles(Path.Combine(CheckpointRun, CheckpointStore.FolderName)))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            return folder;
        }

        /// <summary>The first output file that differs from the single run's, or null when all are byte-identical.</summary>
        public string? DifferenceFromSingleRun(string directory)
        {
            foreach (string file in RunCommand.OutputFiles)
            {
                string path = Path.Combine(directory, file);
                if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Single, file))))
                {
                    return $"{file} differs from the uninterrupted run's";
                }
            }

            return null;
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);

        private static void Run(params string[] args)
        {
            var stderr = new StringWriter();
            int code = Program.Run(args, new StringWriter(), stderr);
            if (code != ExitCodes.Success)
            {
                throw new InvalidOperationException($"setting up the fuzzing failed: {stderr}");
            }
        }
    }
}
