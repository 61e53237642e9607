using System.Text;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// The lossless binary form of a range of trials: their rows of the trial table, their incidents and their data losses.
/// A shard's <c>shard.bin</c> and each checkpointed chunk use it.
/// </summary>
/// <remarks>
/// Little-endian throughout: magic <c>DSTRIALS</c>, format version (int32), first trial and trial count (int64), services and
/// data sets (int32); then per trial, per service downtime (double) and incidents (int32), per data set hours and GB lost (double);
/// then the incident count (int64) and each incident; then the data-loss count (int64) and each loss; then the magic <c>END.</c>.
/// Doubles are stored as their bits, so reading gives back exactly what was written.
/// </remarks>
public static class TrialRecordsFile
{
    /// <summary>The format version written and the only one read.</summary>
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "DSTRIALS"u8.ToArray();
    private static readonly byte[] EndMagic = "END."u8.ToArray();

    /// <summary>Writes the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> - 1 of <paramref name="table"/> with their records.</summary>
    /// <param name="stream">Receives the bytes; left open.</param>
    /// <param name="table">Holds the rows.</param>
    /// <param name="firstTrial">Global index of the first trial written.</param>
    /// <param name="count">Trials written.</param>
    /// <param name="incidents">The incidents of those trials, in trial order.</param>
    /// <param name="losses">The data losses of those trials, in trial order.</param>
    public static void Write(Stream stream, TrialTable table, long firstTrial, long count, IReadOnlyList<IncidentRecord> incidents, IReadOnlyList<DataLossRecord> losses)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(losses);
        var buffered = new BufferedStream(stream, 1 << 16);
        using var writer = new BinaryWriter(buffered, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(firstTrial);
        writer.Write(count);
        writer.Write(table.Services);
        writer.Write(table.DataSets);
        for (long t = firstTrial; t < firstTrial + count; t++)
        {
            for (int s = 0; s < table.Services; s++)
            {
                writer.Write(table.Downtime(t, s));
                writer.Write(table.IncidentCount(t, s));
                writer.Write(table.PlannedDowntime(t, s));
            }

            for (int d = 0; d < table.DataSets; d++)
            {
                writer.Write(table.LossHours(t, d));
                writer.Write(table.LossGb(t, d));
            }
        }

        writer.Write((long)incidents.Count);
        foreach (var x in incidents)
        {
            writer.Write(x.Trial);
            writer.Write(x.Service);
            writer.Write(x.StartHours);
            writer.Write((byte)x.CauseKind);
            writer.Write(x.CauseIndex);
            writer.Write(x.Detected);
            writer.Write(x.DetectionDelayHours);
            writer.Write((byte)x.Action);
            writer.Write(x.DowntimeHours);
            writer.Write(x.DataLossHours);
            writer.Write(x.DataLossGb);
            writer.Write(x.TotalLoss);
        }

        writer.Write((long)losses.Count);
        foreach (var x in losses)
        {
            writer.Write(x.Trial);
            writer.Write(x.DataSet);
            writer.Write(x.StartHours);
            writer.Write(x.LossHours);
            writer.Write(x.LossGb);
            writer.Write(x.TotalLoss);
        }

        writer.Write(EndMagic);

        // Disposing the BufferedStream would close the caller's stream: flush it instead.
        writer.Flush();
        buffered.Flush();
    }

    /// <summary>Reads a range of trials into <paramref name="table"/>'s rows and replays its records into <paramref name="sink"/>.</summary>
    /// <returns>The range read.</returns>
    /// <exception cref="InvalidDataException">Not this format, truncated, or its range or shape does not fit <paramref name="table"/>.</exception>
    public static (long FirstTrial, long Count) Read(Stream stream, TrialTable table, ITrialSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sink);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("not a DisasterSim trial records file");
            }

            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"trial records format {version}; this engine reads format {FormatVersion}");
            }

            long first = reader.ReadInt64();
            long count = reader.ReadInt64();
            int services = reader.ReadInt32();
            int dataSets = reader.ReadInt32();
            if (services != table.Services || dataSets != table.DataSets)
            {
                throw new InvalidDataException($"{services} services and {dataSets} data sets; expected {table.Services} and {table.DataSets}");
            }

            if (count < 0 || first < table.FirstTrial || first + count > table.FirstTrial + table.Trials)
            {
                throw new InvalidDataException($"trials {first}..{first + count - 1} lie outside {table.FirstTrial}..{table.FirstTrial + table.Trials - 1}");
            }

            for (long t = first; t < first + count; t++)
            {
                for (int s = 0; s < services; s++)
                {
                    double downtime = reader.ReadDouble();
                    int serviceIncidents = reader.ReadInt32();
                    table.SetService(t, s, downtime, serviceIncidents, reader.ReadDouble());
                }

                for (int d = 0; d < dataSets; d++)
                {
                    double hours = reader.ReadDouble();
                    table.SetDataSet(t, d, hours, reader.ReadDouble());
                }
            }

            var incidents = new List<IncidentRecord>();
            long incidentCount = reader.ReadInt64();
            for (long i = 0; i < incidentCount; i++)
            {
                incidents.Add(new IncidentRecord(
                    Trial: InRange(reader.ReadInt64(), first, count),
                    Service: reader.ReadInt32(),
                    StartHours: reader.ReadDouble(),
                    CauseKind: (CauseKind)reader.ReadByte(),
                    CauseIndex: reader.ReadInt32(),
                    Detected: reader.ReadBoolean(),
                    DetectionDelayHours: reader.ReadDouble(),
                    Action: (IncidentAction)reader.ReadByte(),
                    DowntimeHours: reader.ReadDouble(),
                    DataLossHours: reader.ReadDouble(),
                    DataLossGb: reader.ReadDouble(),
                    TotalLoss: reader.ReadBoolean()));
            }

            var losses = new List<DataLossRecord>();
            long lossCount = reader.ReadInt64();
            for (long i = 0; i < lossCount; i++)
            {
                losses.Add(new DataLossRecord(
                    Trial: InRange(reader.ReadInt64(), first, count),
                    DataSet: reader.ReadInt32(),
                    StartHours: reader.ReadDouble(),
                    LossHours: reader.ReadDouble(),
                    LossGb: reader.ReadDouble(),
                    TotalLoss: reader.ReadBoolean()));
            }

            if (!reader.ReadBytes(EndMagic.Length).AsSpan().SequenceEqual(EndMagic))
            {
                throw new InvalidDataException("the file does not end where its counts say");
            }

            // Replayed only once the whole file has been read, so a bad file leaves the sink untouched.
            foreach (var incident in incidents)
            {
                sink.OnIncident(incident);
            }

            foreach (var loss in losses)
            {
                sink.OnDataLoss(loss);
            }

            return (first, count);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the file is truncated");
        }
    }

    private static long InRange(long trial, long first, long count) =>
        trial >= first && trial < first + count ? trial : throw new InvalidDataException($"a record of trial {trial} outside the file's trials {first}..{first + count - 1}");
}
