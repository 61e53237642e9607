using System.Globalization;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Attribution;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The format of a run's per-trial and per-incident files: CSV for spreadsheets (the default), or Parquet (typed columns, a fraction of the size).</summary>
internal enum OutputFormat
{
    /// <summary><c>trials.csv</c> and <c>incidents.csv</c>.</summary>
    Csv,

    /// <summary><c>trials.parquet</c> and <c>incidents.parquet</c>.</summary>
    Parquet,
}

/// <summary>Which per-trial and per-incident files a run writes, and in which format.</summary>
/// <param name="Trials">Whether to write the trials file.</param>
/// <param name="Incidents">Whether to write the incidents file.</param>
/// <param name="Format">CSV or Parquet.</param>
internal sealed record PerTrialFiles(bool Trials, bool Incidents, OutputFormat Format)
{
    /// <summary>Every name these files can have, in either format.</summary>
    public static IReadOnlyList<string> AllNames { get; } = ["trials.csv", "incidents.csv", "trials.parquet", "incidents.parquet"];

    /// <summary>Gets the name of the trials file.</summary>
    public string TrialsName => "trials" + Extension;

    /// <summary>Gets the name of the incidents file.</summary>
    public string IncidentsName => "incidents" + Extension;

    /// <summary>Gets the names of the files written, in order.</summary>
    public IReadOnlyList<string> Written => [.. (Trials ? [TrialsName] : Array.Empty<string>()), .. (Incidents ? [IncidentsName] : Array.Empty<string>())];

    /// <summary>Gets the names of the files not written: older ones are removed, so that a directory never mixes two runs.</summary>
    public IReadOnlyList<string> Skipped => [.. AllNames.Except(Written)];

    private string Extension => Format switch
    {
        OutputFormat.Csv => ".csv",
        OutputFormat.Parquet => ".parquet",
        _ => throw new ArgumentOutOfRangeException(nameof(Format), Format, "Unknown format."),
    };
}

/// <summary>
/// The files of a run that grow with its trials, written as the run goes, chunk by chunk, under temporary names in the
/// output directory: the trials and incidents files (CSV or Parquet) and a part's <c>shard.bin</c>. Nothing of them is held
/// in memory beyond a Parquet row group; they are renamed into place with the other files by <see cref="OutputDirectory.Commit"/>.
/// </summary>
internal sealed class StreamedRunFiles : IDisposable
{
    /// <summary>The most rows a spreadsheet opens (Excel, LibreOffice Calc): 2^20, the header included.</summary>
    public const long SpreadsheetRows = 1_048_576;

    private readonly List<ITrialChunkConsumer> _consumers = [];
    private readonly List<IDisposable> _writers = [];
    private readonly List<Action> _completions = [];
    private readonly TrialRecordsFile.Writer? _records;
    private readonly HashingStream? _recordsHash;
    private readonly RowCounter _rows = new();

    /// <summary>Opens the files in <paramref name="directory"/>.</summary>
    /// <param name="directory">The output directory.</param>
    /// <param name="scenario">The scenario run.</param>
    /// <param name="options">The trials run.</param>
    /// <param name="files">Which trials and incidents files to write, in which format.</param>
    /// <param name="shardBinding">The binding of the run (<see cref="ShardManifest.RecordsBinding"/>) when <c>shard.bin</c>, the records a merge reads, is written; null otherwise.</param>
    /// <param name="cancellationToken">Checked as rows are written.</param>
    public StreamedRunFiles(OutputDirectory directory, Scenario scenario, RunOptions options, PerTrialFiles files, byte[]? shardBinding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(files);
        Files = files;
        Attribution = new CauseAttribution(scenario);
        Distributions = new RunDistributions(scenario);
        _consumers.Add(_rows);
        _consumers.Add(Attribution);
        _consumers.Add(Distributions);

        // The writers are disposed first: they flush into their text writers or streams, which flush into the files.
        if (files.Trials && files.Format == OutputFormat.Csv)
        {
            Add(new CsvOutputs.TrialsWriter(Text(directory, files.TrialsName), scenario, cancellationToken), null);
        }
        else if (files.Trials)
        {
            var trials = new ParquetOutputs.TrialsWriter(directory.Open(files.TrialsName), scenario);
            Add(trials, trials.Complete);
        }

        if (files.Incidents && files.Format == OutputFormat.Csv)
        {
            Add(new CsvOutputs.IncidentsWriter(Text(directory, files.IncidentsName), scenario, cancellationToken), null);
        }
        else if (files.Incidents)
        {
            var incidents = new ParquetOutputs.IncidentsWriter(directory.Open(files.IncidentsName), scenario);
            Add(incidents, incidents.Complete);
        }

        if (shardBinding is not null)
        {
            _recordsHash = new HashingStream(directory.Open(ShardManifest.RecordsFileName));
            _records = new TrialRecordsFile.Writer(_recordsHash, shardBinding, options.FirstTrial, options.Trials, scenario.Services.Length, scenario.DataSets.Length);
            _consumers.Add(_records);
            _writers.Insert(0, _records);
        }

        if (files.Trials || files.Incidents || shardBinding is not null)
        {
            // Before any writer: a chunk with a NaN or an infinity stops the run before a byte of it is written.
            _consumers.Insert(0, new FiniteGuard(scenario));
        }
    }

    /// <summary>Gets which trials and incidents files are written.</summary>
    public PerTrialFiles Files { get; }

    /// <summary>Gets the writers, as consumers of the run's chunks.</summary>
    public IReadOnlyList<ITrialChunkConsumer> Consumers => _consumers;

    /// <summary>Gets the run's downtime, loss and penalties by cause, for summary.csv and the report.</summary>
    public CauseAttribution Attribution { get; }

    /// <summary>Gets the run's distributions and worst trials, for report.html.</summary>
    public RunDistributions Distributions { get; }

    /// <summary>Gets the SHA-256 of <c>shard.bin</c> once <see cref="Complete"/> has run; null without it.</summary>
    public string? RecordsHash { get; private set; }

    /// <summary>Ends the files once every trial has been written, and flushes them.</summary>
    public void Complete()
    {
        _completions.ForEach(complete => complete());
        _records?.Finish();
        RecordsHash = _recordsHash?.HashHex();
        Close(strict: true);
    }

    /// <summary>The note for a CSV file that a spreadsheet cannot open whole (more than its 1,048,576 rows, header included), or null.</summary>
    /// <param name="limit">The rows a spreadsheet opens, header included (tests lower it).</param>
    public string? SpreadsheetNote(long limit = SpreadsheetRows)
    {
        if (Files.Format != OutputFormat.Csv)
        {
            return null;
        }

        var large = new List<string>();
        if (Files.Trials && _rows.Trials + 1 > limit)
        {
            large.Add(string.Create(CultureInfo.InvariantCulture, $"{Files.TrialsName} has {_rows.Trials:N0} rows"));
        }

        if (Files.Incidents && _rows.Incidents + 1 > limit)
        {
            large.Add(string.Create(CultureInfo.InvariantCulture, $"{Files.IncidentsName} has {_rows.Incidents:N0} rows"));
        }

        return large.Count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"Note: {string.Join(" and ", large)}, more than a spreadsheet opens ({limit:N0} rows with the header: the rest would be cut off). Query it with DuckDB or pandas, or run with --format parquet (typed columns, a fraction of the size) or --no-incidents-csv.");
    }

    /// <summary>Releases the writers of files that will not be committed (a failed or cancelled run); the files themselves are deleted by the output directory.</summary>
    public void Dispose() => Close(strict: false);

    private void Add<TWriter>(TWriter writer, Action? complete)
        where TWriter : ITrialChunkConsumer, IDisposable
    {
        _consumers.Add(writer);
        _writers.Insert(0, writer);
        if (complete is not null)
        {
            _completions.Add(complete);
        }
    }

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

    /// <summary>Counts the trials and the incidents that go by.</summary>
    private sealed class RowCounter : ITrialChunkConsumer
    {
        public long Trials { get; private set; }

        public long Incidents { get; private set; }

        public void Consume(TrialChunk chunk)
        {
            Trials += chunk.Count;
            Incidents += chunk.Incidents.Length;
        }
    }
}
