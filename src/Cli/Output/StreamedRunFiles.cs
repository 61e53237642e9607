using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>
/// The files of a run that grow with its trials, written as the run goes, chunk by chunk, under temporary names in the
/// output directory: <c>trials.csv</c> and <c>incidents.csv</c>, and a part's <c>shard.bin</c>. Nothing of them is held in
/// memory; they are renamed into place with the other files by <see cref="OutputDirectory.Commit"/>.
/// </summary>
internal sealed class StreamedRunFiles : IDisposable
{
    private readonly List<ITrialChunkConsumer> _consumers = [];
    private readonly List<IDisposable> _writers = [];
    private readonly TrialRecordsFile.Writer? _records;
    private readonly HashingStream? _recordsHash;

    /// <summary>Opens the files in <paramref name="directory"/>.</summary>
    /// <param name="directory">The output directory.</param>
    /// <param name="scenario">The scenario run.</param>
    /// <param name="options">The trials run.</param>
    /// <param name="trialsCsv">Whether to write <c>trials.csv</c>.</param>
    /// <param name="incidentsCsv">Whether to write <c>incidents.csv</c>.</param>
    /// <param name="shardBinding">The binding of the run (<see cref="ShardManifest.RecordsBinding"/>) when <c>shard.bin</c>, the records a merge reads, is written; null otherwise.</param>
    /// <param name="cancellationToken">Checked as rows are written.</param>
    public StreamedRunFiles(OutputDirectory directory, Scenario scenario, RunOptions options, bool trialsCsv, bool incidentsCsv, byte[]? shardBinding, CancellationToken cancellationToken)
    {
        // The CSV writers are disposed first: they flush into their text writers, which flush into the files.
        if (trialsCsv)
        {
            var trials = new CsvOutputs.TrialsWriter(Text(directory, "trials.csv"), scenario, cancellationToken);
            _consumers.Add(trials);
            _writers.Insert(0, trials);
        }

        if (incidentsCsv)
        {
            var incidents = new CsvOutputs.IncidentsWriter(Text(directory, "incidents.csv"), scenario, cancellationToken);
            _consumers.Add(incidents);
            _writers.Insert(0, incidents);
        }

        if (shardBinding is not null)
        {
            _recordsHash = new HashingStream(directory.Open(ShardManifest.RecordsFileName));
            _records = new TrialRecordsFile.Writer(_recordsHash, shardBinding, options.FirstTrial, options.Trials, scenario.Services.Length, scenario.DataSets.Length);
            _consumers.Add(_records);
            _writers.Insert(0, _records);
        }

        if (_consumers.Count > 0)
        {
            // Before any writer: a chunk with a NaN or an infinity stops the run before a byte of it is written.
            _consumers.Insert(0, new FiniteGuard(scenario));
        }
    }

    /// <summary>Writes <c>trials.csv</c> and <c>incidents.csv</c> of a run that kept its records (a batch's), under temporary names.</summary>
    public static void WriteKept(OutputDirectory directory, RunResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var files = new StreamedRunFiles(directory, result.Scenario, result.Options, trialsCsv: true, incidentsCsv: true, shardBinding: null, cancellationToken);
        result.KeptRecords.Replay(new ConsumerChain(files.Consumers));
        files.Complete();
    }

    /// <summary>Gets the writers, as consumers of the run's chunks.</summary>
    public IReadOnlyList<ITrialChunkConsumer> Consumers => _consumers;

    /// <summary>Gets the SHA-256 of <c>shard.bin</c> once <see cref="Complete"/> has run; null without it.</summary>
    public string? RecordsHash { get; private set; }

    /// <summary>Ends the files once every trial has been written, and flushes them.</summary>
    public void Complete()
    {
        _records?.Finish();
        RecordsHash = _recordsHash?.HashHex();
        Close(strict: true);
    }

    /// <summary>Releases the writers of files that will not be committed (a failed or cancelled run); the files themselves are deleted by the output directory.</summary>
    public void Dispose() => Close(strict: false);

    private void Close(bool strict)
    {
        foreach (var writer in _writers)
        {
            try
            {
                writer.Dispose();
            }
            catch (IOException) when (!strict)
            {
                // The run failed already; its files are deleted, and this error must not hide the first.
            }
        }

        _writers.Clear();
    }

    private TextWriter Text(OutputDirectory directory, string fileName)
    {
        var writer = directory.OpenText(fileName);
        _writers.Add(writer);
        return writer;
    }
}
