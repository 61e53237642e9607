using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// The lossless binary form of a range of trials: their rows and their incident and data-loss records, chunk by chunk, so that
/// it is written as a run goes and read back (by a merge, or a resumed run) without holding more than a chunk. A shard's
/// <c>shard.bin</c>, a compare or sweep shard's <c>variant-N.bin</c> and each checkpointed chunk use it.
/// </summary>
/// <remarks>
/// Little-endian throughout. The header: magic <c>DSTRIALS</c>, format version (int32), the run's binding (32 bytes: see
/// <see cref="ShardManifest.RecordsBinding"/>), first trial and trial count (int64), services and data sets (int32), then the
/// SHA-256 of the binding and those fields. Then blocks of consecutive trials until the count is reached, each: its trial
/// count (int32, 1 to <see cref="MonteCarloRunner.ChunkSize"/>), per trial per service downtime (double), incidents (int32)
/// and planned downtime (double), per data set hours and GB lost (double); its incident count (int32) and each incident; its
/// data-loss count (int32) and each loss; then the SHA-256 of the binding, the block's first trial and the block's bytes.
/// Then the magic <c>END.</c>. Doubles are stored as their bits, so reading gives back exactly what was written; every
/// block is checked before any of it is handed on, and every field is range-checked against the scenario (a record's
/// service, cause and action exist, times lie in the horizon, amounts are finite and not negative), so a damaged or forged
/// file ends in <see cref="InvalidDataException"/> naming the block and the field, never in a crash or a non-finite output.
/// </remarks>
public static class TrialRecordsFile
{
    /// <summary>The format version written and the only one read.</summary>
    public const int FormatVersion = 5;

    /// <summary>The bytes of a run's binding.</summary>
    public const int BindingBytes = 32;

    private const int IncidentBytes = 8 + 4 + 8 + 1 + 4 + 1 + 8 + 1 + 8 + 8 + 8 + 1 + 8;
    private const int LossBytes = 8 + 4 + 8 + 8 + 8 + 1;

    private static readonly byte[] Magic = "DSTRIALS"u8.ToArray();
    private static readonly byte[] EndMagic = "END."u8.ToArray();
    private static readonly int CauseKinds = Enum.GetValues<CauseKind>().Length;
    private static readonly int Actions = Enum.GetValues<IncidentAction>().Length;

    /// <summary>Writes the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> - 1 of <paramref name="table"/> with their records.</summary>
    /// <param name="stream">Receives the bytes; left open.</param>
    /// <param name="binding">The run the trials belong to (<see cref="BindingBytes"/> bytes).</param>
    /// <param name="table">Holds the rows.</param>
    /// <param name="firstTrial">Global index of the first trial written.</param>
    /// <param name="count">Trials written.</param>
    /// <param name="incidents">The incidents of the table's trials, in trial order.</param>
    /// <param name="losses">The data losses of the table's trials, in trial order.</param>
    public static void Write(Stream stream, ReadOnlySpan<byte> binding, TrialTable table, long firstTrial, long count, IReadOnlyList<IncidentRecord> incidents, IReadOnlyList<DataLossRecord> losses)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(losses);
        using var writer = new Writer(stream, binding, firstTrial, count, table.Services, table.DataSets);
        new RunRecords(table, [.. incidents], [.. losses]).Replay(writer, firstTrial, count);
        writer.Finish();
    }

    /// <summary>Reads a range of trials into <paramref name="table"/>'s rows and replays its records into <paramref name="sink"/>.</summary>
    /// <returns>The range read.</returns>
    /// <exception cref="InvalidDataException">Not this format, of another run, damaged, truncated, a field out of range, or its range or shape does not fit <paramref name="table"/>.</exception>
    public static (long FirstTrial, long Count) Read(Stream stream, RecordShape shape, ReadOnlySpan<byte> binding, TrialTable table, ITrialSink sink)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sink);
        var keeper = new RecordKeeper(table);
        var range = Read(stream, shape, binding, keeper, (first, count) =>
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
    /// <param name="stream">The file; read to its end, which must follow the end magic. When it can seek, its length bounds every count read.</param>
    /// <param name="shape">What the scenario's records may hold; every field is checked against it.</param>
    /// <param name="binding">The run the file must belong to (<see cref="BindingBytes"/> bytes).</param>
    /// <param name="consumer">Receives each block as a chunk, once read and checked.</param>
    /// <param name="checkRange">Called with the file's range before any block is read; throws <see cref="InvalidDataException"/> to refuse it.</param>
    /// <param name="buffer">The chunk to read blocks into, or null for a new one.</param>
    /// <returns>The range read.</returns>
    /// <exception cref="InvalidDataException">Not this format, of another run, damaged, truncated, a field out of range, or of another shape; the message names the block and the field.</exception>
    public static (long FirstTrial, long Count) Read(Stream stream, RecordShape shape, ReadOnlySpan<byte> binding, ITrialChunkConsumer consumer, Action<long, long>? checkRange = null, TrialChunk? buffer = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        using var reader = new Reader(stream, shape, binding);
        checkRange?.Invoke(reader.FirstTrial, reader.Count);
        var chunk = buffer ?? new TrialChunk(shape.Services, shape.DataSets, MonteCarloRunner.ChunkSize);
        while (reader.Next(chunk))
        {
            consumer.Consume(chunk);
        }

        return (reader.FirstTrial, reader.Count);
    }

    /// <summary>Reads a file block by block, for callers that read several in step (the variants of a compare or sweep shard); every block is checked as <see cref="Read(Stream, RecordShape, ReadOnlySpan{byte}, ITrialChunkConsumer, Action{long, long}?, TrialChunk?)"/> checks it.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly ChecksummedReader _reader;
        private readonly BlockReader _blocks;
        private readonly Row _row;
        private long _next;
        private bool _ended;

        /// <summary>Reads and checks the header.</summary>
        /// <param name="stream">The file; when it can seek, its length bounds every count read.</param>
        /// <param name="shape">What the scenario's records may hold.</param>
        /// <param name="binding">The run the file must belong to (<see cref="BindingBytes"/> bytes).</param>
        /// <exception cref="InvalidDataException">Not this format or version, of another run, damaged, another shape, a bad range, or truncated.</exception>
        public Reader(Stream stream, RecordShape shape, ReadOnlySpan<byte> binding)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(shape);
            long? length = stream.CanSeek ? stream.Length - stream.Position : null;
            _reader = new ChecksummedReader(stream);
            _row = new Row(shape.Services, shape.DataSets);
            try
            {
                Span<byte> magic = stackalloc byte[Magic.Length];
                _reader.Read(magic);
                if (!magic.SequenceEqual(Magic))
                {
                    throw new InvalidDataException("not a DisasterSim trial records file");
                }

                int version = _reader.ReadInt32();
                if (version != FormatVersion)
                {
                    throw new InvalidDataException($"trial records format {version}; this engine reads format {FormatVersion}");
                }

                _reader.StartChecksum([]);
                Span<byte> fileBinding = stackalloc byte[BindingBytes];
                _reader.Read(fileBinding);
                FirstTrial = _reader.ReadInt64();
                Count = _reader.ReadInt64();
                int fileServices = _reader.ReadInt32();
                int fileDataSets = _reader.ReadInt32();
                if (!_reader.ChecksumMatches())
                {
                    throw new InvalidDataException("the header's checksum differs: the file is damaged");
                }

                if (!fileBinding.SequenceEqual(binding))
                {
                    throw new InvalidDataException("the records belong to another run (scenario, seed, trials or engine differ from the manifest's)");
                }

                if (fileServices != shape.Services || fileDataSets != shape.DataSets)
                {
                    throw new InvalidDataException($"{fileServices} services and {fileDataSets} data sets; expected {shape.Services} and {shape.DataSets}");
                }

                if (FirstTrial < 0 || Count < 0 || FirstTrial > long.MaxValue - Count)
                {
                    throw new InvalidDataException($"a range of {Count} trials from trial {FirstTrial}");
                }
            }
            catch (EndOfStreamException)
            {
                _reader.Dispose();
                throw new InvalidDataException("the file is truncated");
            }
            catch
            {
                _reader.Dispose();
                throw;
            }

            _blocks = new BlockReader(_reader, shape, binding, length);
            _next = FirstTrial;
        }

        /// <summary>Gets the first trial of the file.</summary>
        public long FirstTrial { get; }

        /// <summary>Gets the number of trials of the file.</summary>
        public long Count { get; }

        /// <summary>Reads the next block into <paramref name="chunk"/>, checked; false once every trial has been read (and the end checked).</summary>
        /// <exception cref="InvalidDataException">Damaged, truncated, or a field out of range; the message names the block and the field.</exception>
        public bool Next(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            try
            {
                if (_next < FirstTrial + Count)
                {
                    _blocks.Read(chunk, _row, _next, FirstTrial + Count - _next);
                    _next += chunk.Count;
                    return true;
                }

                if (!_ended)
                {
                    Span<byte> end = stackalloc byte[EndMagic.Length];
                    _reader.Read(end);
                    if (!end.SequenceEqual(EndMagic))
                    {
                        throw new InvalidDataException("the file does not end where its counts say");
                    }

                    if (!_reader.AtEnd())
                    {
                        throw new InvalidDataException("bytes follow the end of the records");
                    }
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

    /// <summary>Reads blocks, checking each field and each block's checksum before the block is handed on.</summary>
    private sealed class BlockReader(ChecksummedReader reader, RecordShape shape, ReadOnlySpan<byte> binding, long? length)
    {
        private readonly byte[] _binding = binding.ToArray();
        private readonly byte[] _key = new byte[BindingBytes + 8];

        public void Read(TrialChunk chunk, Row row, long first, long remaining)
        {
            _binding.CopyTo(_key, 0);
            BitConverter.TryWriteBytes(_key.AsSpan(BindingBytes), first);
            reader.StartChecksum(_key);
            int trials = reader.ReadInt32();
            if (trials < 1 || trials > chunk.Capacity || trials > remaining)
            {
                throw Bad(first, $"a block of {trials} trials, where 1 to {Math.Min(chunk.Capacity, remaining)} were expected");
            }

            Fits(first, trials, ((2L * sizeof(double)) + sizeof(int)) * shape.Services + (2L * sizeof(double) * shape.DataSets), "trial rows");
            chunk.Reset(first);
            for (int t = 0; t < trials; t++)
            {
                long trial = first + t;
                for (int s = 0; s < chunk.Services; s++)
                {
                    row.Downtime[s] = Amount(reader.ReadDouble(), first, trial, "downtime", s);
                    row.Incidents[s] = reader.ReadInt32() is var n && n >= 0 ? n : throw Bad(first, $"trial {trial}: service {s} has {n} incidents");
                    row.Planned[s] = Amount(reader.ReadDouble(), first, trial, "planned downtime", s);
                }

                for (int d = 0; d < chunk.DataSets; d++)
                {
                    row.LossHours[d] = Amount(reader.ReadDouble(), first, trial, "loss hours", d);
                    row.LossGb[d] = Amount(reader.ReadDouble(), first, trial, "loss GB", d);
                }

                chunk.AddTrial(row.Downtime, row.Incidents, row.Planned, row.LossHours, row.LossGb);
            }

            long end = first + trials;
            int incidents = Count(reader.ReadInt32(), first, "incident", IncidentBytes);
            for (int i = 0; i < incidents; i++)
            {
                long trial = Trial(reader.ReadInt64(), first, end);
                int service = Index(reader.ReadInt32(), shape.Services, first, "service");
                double start = Start(reader.ReadDouble(), first, trial);
                var cause = (CauseKind)Index(reader.ReadByte(), CauseKinds, first, "cause kind");
                int causeIndex = Index(reader.ReadInt32(), cause switch
                {
                    CauseKind.Threat or CauseKind.Maintenance => shape.Threats,
                    CauseKind.ComponentFailure => shape.Components,
                    CauseKind.Failback => shape.Services,
                }, first, $"{cause} cause");
                bool detected = Flag(reader.ReadByte(), first, "detected");
                double delay = Amount(reader.ReadDouble(), first, trial, "detection delay", service);
                var action = (IncidentAction)Index(reader.ReadByte(), Actions, first, "action");
                double downtime = Amount(reader.ReadDouble(), first, trial, "incident downtime", service);
                double lossHours = Amount(reader.ReadDouble(), first, trial, "incident loss hours", service);
                double lossGb = Amount(reader.ReadDouble(), first, trial, "incident loss GB", service);
                bool total = Flag(reader.ReadByte(), first, "total loss");
                double planned = Amount(reader.ReadDouble(), first, trial, "incident planned hours", service);
                if (planned > downtime)
                {
                    throw Bad(first, $"trial {trial}: an incident of service {service} with {planned} planned hours in {downtime} hours");
                }

                chunk.OnIncident(new IncidentRecord(trial, service, start, cause, causeIndex, detected, delay, action, downtime, lossHours, lossGb, total, planned));
            }

            int losses = Count(reader.ReadInt32(), first, "data-loss", LossBytes);
            for (int i = 0; i < losses; i++)
            {
                long trial = Trial(reader.ReadInt64(), first, end);
                int dataSet = Index(reader.ReadInt32(), shape.DataSets, first, "data set");
                double start = Start(reader.ReadDouble(), first, trial);
                double hours = Amount(reader.ReadDouble(), first, trial, "loss hours", dataSet);
                double gb = Amount(reader.ReadDouble(), first, trial, "loss GB", dataSet);
                chunk.OnDataLoss(new DataLossRecord(trial, dataSet, start, hours, gb, Flag(reader.ReadByte(), first, "total loss")));
            }

            if (!reader.ChecksumMatches())
            {
                throw Bad(first, "its checksum differs: the file is damaged");
            }
        }

        private static InvalidDataException Bad(long first, string what) => new($"block at trial {first}: {what}");

        // A count the rest of the file cannot hold is refused before anything is allocated for it.
        private void Fits(long first, long count, long bytesEach, string what)
        {
            if (length is long total && count * (double)bytesEach > total - reader.Position)
            {
                throw Bad(first, $"{count} {what} would need {count * (double)bytesEach:0} bytes, more than the {total - reader.Position} left in the file");
            }
        }

        private int Count(int count, long first, string what, int bytesEach)
        {
            if (count < 0)
            {
                throw Bad(first, $"{count} {what} records");
            }

            Fits(first, count, bytesEach, what + " records");
            return count;
        }

        private static long Trial(long trial, long first, long end) =>
            trial >= first && trial < end ? trial : throw Bad(first, $"a record of trial {trial} outside its block's trials {first}..{end - 1}");

        private static int Index(int index, int count, long first, string what) =>
            index >= 0 && index < count ? index : throw Bad(first, $"a record of {what} {index}, where there are {count}");

        private static bool Flag(byte value, long first, string what) =>
            value <= 1 ? value == 1 : throw Bad(first, $"a record's {what} flag is {value}, where 0 or 1 was expected");

        private double Start(double hours, long first, long trial) =>
            hours >= 0 && hours <= shape.HorizonHours ? hours : throw Bad(first, $"trial {trial}: a record starts at {hours.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} h, outside the horizon of 0 to {shape.HorizonHours.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} h");

        private static double Amount(double value, long first, long trial, string what, int entity) =>
            double.IsFinite(value) && value >= 0 ? value : throw Bad(first, $"trial {trial}: {what} of #{entity} is {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, where a finite amount of at least 0 was expected");
    }

    /// <summary>Writes a file as the run goes: the header first, each chunk as one block, then <see cref="Finish"/>.</summary>
    public sealed class Writer : ITrialChunkConsumer, IDisposable
    {
        private readonly ChecksummedWriter _writer;
        private readonly byte[] _key = new byte[BindingBytes + 8];
        private readonly long _end;
        private long _next;

        /// <summary>Writes the header of the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> − 1 of the run <paramref name="binding"/> names to <paramref name="stream"/> (left open).</summary>
        public Writer(Stream stream, ReadOnlySpan<byte> binding, long firstTrial, long count, int services, int dataSets)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentOutOfRangeException.ThrowIfNotEqual(binding.Length, BindingBytes);
            _writer = new ChecksummedWriter(stream);
            binding.CopyTo(_key);
            _next = firstTrial;
            _end = firstTrial + count;
            _writer.Write(Magic);
            _writer.Write(FormatVersion);
            _writer.StartChecksum([]);
            _writer.Write(binding);
            _writer.Write(firstTrial);
            _writer.Write(count);
            _writer.Write(services);
            _writer.Write(dataSets);
            _writer.WriteChecksum();
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
            BitConverter.TryWriteBytes(_key.AsSpan(BindingBytes), chunk.FirstTrial);
            w.StartChecksum(_key);
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

            w.WriteChecksum();
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
            _writer.Flush();
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
