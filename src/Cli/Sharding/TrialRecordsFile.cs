using System.Text;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// The lossless binary form of a range of trials: their rows and their incident and data-loss records, chunk by chunk, so that
/// it is written as a run goes and read back (by a merge) without holding more than a chunk. A shard's <c>shard.bin</c> and each
/// checkpointed chunk use it.
/// </summary>
/// <remarks>
/// Little-endian throughout: magic <c>DSTRIALS</c>, format version (int32), first trial and trial count (int64), services and
/// data sets (int32); then blocks of consecutive trials until the count is reached, each: its trial count (int32, 1 to
/// <see cref="MonteCarloRunner.ChunkSize"/>), per trial per service downtime (double), incidents (int32) and planned downtime
/// (double), per data set hours and GB lost (double); its incident count (int32) and each incident; its data-loss count (int32)
/// and each loss; then the magic <c>END.</c>. Doubles are stored as their bits, so reading gives back exactly what was written.
/// </remarks>
public static class TrialRecordsFile
{
    /// <summary>The format version written and the only one read.</summary>
    public const int FormatVersion = 4;

    private static readonly byte[] Magic = "DSTRIALS"u8.ToArray();
    private static readonly byte[] EndMagic = "END."u8.ToArray();

    /// <summary>Writes the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> - 1 of <paramref name="table"/> with their records.</summary>
    /// <param name="stream">Receives the bytes; left open.</param>
    /// <param name="table">Holds the rows.</param>
    /// <param name="firstTrial">Global index of the first trial written.</param>
    /// <param name="count">Trials written.</param>
    /// <param name="incidents">The incidents of the table's trials, in trial order.</param>
    /// <param name="losses">The data losses of the table's trials, in trial order.</param>
    public static void Write(Stream stream, TrialTable table, long firstTrial, long count, IReadOnlyList<IncidentRecord> incidents, IReadOnlyList<DataLossRecord> losses)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(losses);
        using var writer = new Writer(stream, firstTrial, count, table.Services, table.DataSets);
        new RunRecords(table, [.. incidents], [.. losses]).Replay(writer, firstTrial, count);
        writer.Finish();
    }

    /// <summary>Reads a range of trials into <paramref name="table"/>'s rows and replays its records into <paramref name="sink"/>.</summary>
    /// <returns>The range read.</returns>
    /// <exception cref="InvalidDataException">Not this format, truncated, or its range or shape does not fit <paramref name="table"/>.</exception>
    public static (long FirstTrial, long Count) Read(Stream stream, TrialTable table, ITrialSink sink)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sink);
        var keeper = new RecordKeeper(table);
        var range = Read(stream, table.Services, table.DataSets, keeper, (first, count) =>
        {
            if (first < table.FirstTrial || first + count > table.FirstTrial + table.Trials)
            {
                throw new InvalidDataException($"trials {first}..{first + count - 1} lie outside {table.FirstTrial}..{table.FirstTrial + table.Trials - 1}");
            }
        });

        // Replayed only once the whole file has been read, so a bad file leaves the sink untouched.
        var records = keeper.Records();
        foreach (var incident in records.Incidents)
        {
            sink.OnIncident(incident);
        }

        foreach (var loss in records.Losses)
        {
            sink.OnDataLoss(loss);
        }

        return range;
    }

    /// <summary>Reads a file chunk by chunk into <paramref name="consumer"/>, in trial order.</summary>
    /// <param name="stream">The file; read to the end magic.</param>
    /// <param name="services">The services a row must have.</param>
    /// <param name="dataSets">The data sets a row must have.</param>
    /// <param name="consumer">Receives each block as a chunk, once read and checked.</param>
    /// <param name="checkRange">Called with the file's range before any block is read; throws <see cref="InvalidDataException"/> to refuse it.</param>
    /// <param name="buffer">The chunk to read blocks into, or null for a new one.</param>
    /// <returns>The range read.</returns>
    /// <exception cref="InvalidDataException">Not this format, truncated, or of another shape.</exception>
    public static (long FirstTrial, long Count) Read(Stream stream, int services, int dataSets, ITrialChunkConsumer consumer, Action<long, long>? checkRange = null, TrialChunk? buffer = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        using var reader = new Reader(stream, services, dataSets);
        checkRange?.Invoke(reader.FirstTrial, reader.Count);
        var chunk = buffer ?? new TrialChunk(services, dataSets, MonteCarloRunner.ChunkSize);
        while (reader.Next(chunk))
        {
            consumer.Consume(chunk);
        }

        return (reader.FirstTrial, reader.Count);
    }

    /// <summary>Reads a file block by block, for callers that read several in step (the variants of a compare or sweep shard).</summary>
    public sealed class Reader : IDisposable
    {
        private readonly BinaryReader _reader;
        private readonly Row _row;
        private long _next;
        private bool _ended;

        /// <summary>Reads the header.</summary>
        /// <exception cref="InvalidDataException">Not this format or version, another shape, a bad range, or truncated.</exception>
        public Reader(Stream stream, int services, int dataSets)
        {
            ArgumentNullException.ThrowIfNull(stream);
            _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            _row = new Row(services, dataSets);
            try
            {
                if (!_reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                {
                    throw new InvalidDataException("not a DisasterSim trial records file");
                }

                int version = _reader.ReadInt32();
                if (version != FormatVersion)
                {
                    throw new InvalidDataException($"trial records format {version}; this engine reads format {FormatVersion}");
                }

                FirstTrial = _reader.ReadInt64();
                Count = _reader.ReadInt64();
                int fileServices = _reader.ReadInt32();
                int fileDataSets = _reader.ReadInt32();
                if (fileServices != services || fileDataSets != dataSets)
                {
                    throw new InvalidDataException($"{fileServices} services and {fileDataSets} data sets; expected {services} and {dataSets}");
                }

                if (FirstTrial < 0 || Count < 0)
                {
                    throw new InvalidDataException($"a range of {Count} trials from trial {FirstTrial}");
                }
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("the file is truncated");
            }

            _next = FirstTrial;
        }

        /// <summary>Gets the first trial of the file.</summary>
        public long FirstTrial { get; }

        /// <summary>Gets the number of trials of the file.</summary>
        public long Count { get; }

        /// <summary>Reads the next block into <paramref name="chunk"/>; false once every trial has been read (and the end checked).</summary>
        /// <exception cref="InvalidDataException">Malformed or truncated.</exception>
        public bool Next(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            try
            {
                if (_next < FirstTrial + Count)
                {
                    ReadBlock(_reader, chunk, _row, _next, FirstTrial + Count - _next);
                    _next += chunk.Count;
                    return true;
                }

                if (!_ended && !_reader.ReadBytes(EndMagic.Length).AsSpan().SequenceEqual(EndMagic))
                {
                    throw new InvalidDataException("the file does not end where its counts say");
                }

                _ended = true;
                return false;
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("the file is truncated");
            }
        }

        /// <inheritdoc/>
        public void Dispose() => _reader.Dispose();
    }

    private static void ReadBlock(BinaryReader reader, TrialChunk chunk, Row row, long first, long remaining)
    {
        int trials = reader.ReadInt32();
        if (trials < 1 || trials > chunk.Capacity || trials > remaining)
        {
            throw new InvalidDataException($"a block of {trials} trials at trial {first}, where 1 to {Math.Min(chunk.Capacity, remaining)} were expected");
        }

        chunk.Reset(first);
        for (int t = 0; t < trials; t++)
        {
            for (int s = 0; s < chunk.Services; s++)
            {
                row.Downtime[s] = reader.ReadDouble();
                row.Incidents[s] = reader.ReadInt32();
                row.Planned[s] = reader.ReadDouble();
            }

            for (int d = 0; d < chunk.DataSets; d++)
            {
                row.LossHours[d] = reader.ReadDouble();
                row.LossGb[d] = reader.ReadDouble();
            }

            chunk.AddTrial(row.Downtime, row.Incidents, row.Planned, row.LossHours, row.LossGb);
        }

        long end = first + trials;
        int incidents = Count(reader.ReadInt32(), "incident");
        for (int i = 0; i < incidents; i++)
        {
            chunk.OnIncident(new IncidentRecord(
                Trial: InRange(reader.ReadInt64(), first, end),
                Service: Index(reader.ReadInt32(), chunk.Services, "service"),
                StartHours: reader.ReadDouble(),
                CauseKind: (CauseKind)reader.ReadByte(),
                CauseIndex: reader.ReadInt32(),
                Detected: reader.ReadBoolean(),
                DetectionDelayHours: reader.ReadDouble(),
                Action: (IncidentAction)reader.ReadByte(),
                DowntimeHours: reader.ReadDouble(),
                DataLossHours: reader.ReadDouble(),
                DataLossGb: reader.ReadDouble(),
                TotalLoss: reader.ReadBoolean(),
                PlannedHours: reader.ReadDouble()));
        }

        int losses = Count(reader.ReadInt32(), "data-loss");
        for (int i = 0; i < losses; i++)
        {
            chunk.OnDataLoss(new DataLossRecord(
                Trial: InRange(reader.ReadInt64(), first, end),
                DataSet: Index(reader.ReadInt32(), chunk.DataSets, "data set"),
                StartHours: reader.ReadDouble(),
                LossHours: reader.ReadDouble(),
                LossGb: reader.ReadDouble(),
                TotalLoss: reader.ReadBoolean()));
        }
    }

    private static int Count(int count, string what) =>
        count >= 0 ? count : throw new InvalidDataException($"a block with {count} {what} records");

    private static long InRange(long trial, long first, long end) =>
        trial >= first && trial < end ? trial : throw new InvalidDataException($"a record of trial {trial} outside its block's trials {first}..{end - 1}");

    private static int Index(int index, int count, string what) =>
        index >= 0 && index < count ? index : throw new InvalidDataException($"a record of {what} {index}, where there are {count}");

    /// <summary>Writes a file as the run goes: the header first, each chunk as one block, then <see cref="Finish"/>.</summary>
    public sealed class Writer : ITrialChunkConsumer, IDisposable
    {
        private readonly BufferedStream _buffered;
        private readonly BinaryWriter _writer;
        private readonly long _end;
        private long _next;

        /// <summary>Writes the header of the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> − 1 to <paramref name="stream"/> (left open).</summary>
        public Writer(Stream stream, long firstTrial, long count, int services, int dataSets)
        {
            ArgumentNullException.ThrowIfNull(stream);
            _buffered = new BufferedStream(stream, 1 << 16);
            _writer = new BinaryWriter(_buffered, Encoding.UTF8, leaveOpen: true);
            _next = firstTrial;
            _end = firstTrial + count;
            _writer.Write(Magic);
            _writer.Write(FormatVersion);
            _writer.Write(firstTrial);
            _writer.Write(count);
            _writer.Write(services);
            _writer.Write(dataSets);
        }

        /// <inheritdoc/>
        public void Consume(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            if (chunk.FirstTrial != _next || chunk.FirstTrial + chunk.Count > _end || chunk.Count == 0)
            {
                throw new InvalidOperationException($"Chunk of trials {chunk.FirstTrial}..{chunk.FirstTrial + chunk.Count - 1} where trial {_next} was next (up to {_end - 1}).");
            }

            _next += chunk.Count;
            var w = _writer;
            w.Write(chunk.Count);
            for (int row = 0; row < chunk.Count; row++)
            {
                for (int s = 0; s < chunk.Services; s++)
                {
                    w.Write(chunk.Downtime(row, s));
                    w.Write(chunk.IncidentCount(row, s));
                    w.Write(chunk.PlannedDowntime(row, s));
                }

                for (int d = 0; d < chunk.DataSets; d++)
                {
                    w.Write(chunk.LossHours(row, d));
                    w.Write(chunk.LossGb(row, d));
                }
            }

            w.Write(chunk.Incidents.Length);
            foreach (ref readonly var x in chunk.Incidents)
            {
                w.Write(x.Trial);
                w.Write(x.Service);
                w.Write(x.StartHours);
                w.Write((byte)x.CauseKind);
                w.Write(x.CauseIndex);
                w.Write(x.Detected);
                w.Write(x.DetectionDelayHours);
                w.Write((byte)x.Action);
                w.Write(x.DowntimeHours);
                w.Write(x.DataLossHours);
                w.Write(x.DataLossGb);
                w.Write(x.TotalLoss);
                w.Write(x.PlannedHours);
            }

            w.Write(chunk.Losses.Length);
            foreach (ref readonly var x in chunk.Losses)
            {
                w.Write(x.Trial);
                w.Write(x.DataSet);
                w.Write(x.StartHours);
                w.Write(x.LossHours);
                w.Write(x.LossGb);
                w.Write(x.TotalLoss);
            }
        }

        /// <summary>Writes the end of the file, once every trial of the range has been written, and flushes it.</summary>
        /// <exception cref="InvalidOperationException">Trials of the range are missing.</exception>
        public void Finish()
        {
            if (_next != _end)
            {
                throw new InvalidOperationException($"Trials {_next}..{_end - 1} were not written.");
            }

            _writer.Write(EndMagic);

            // Disposing the BufferedStream would close the caller's stream: flush it instead.
            _writer.Flush();
            _buffered.Flush();
        }

        /// <summary>Releases the writer; the stream stays open.</summary>
        public void Dispose() => _writer.Dispose();
    }

    /// <summary>One trial's row as it is read.</summary>
    private sealed class Row(int services, int dataSets)
    {
        public double[] Downtime { get; } = new double[services];

        public int[] Incidents { get; } = new int[services];

        public double[] Planned { get; } = new double[services];

        public double[] LossHours { get; } = new double[dataSets];

        public double[] LossGb { get; } = new double[dataSets];
    }
}
