using System.Security.Cryptography;
using System.Text;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// Generates hostile checkpoint chunks, shard records and manifests from real ones, deterministically from (seed, index):
/// flipped bits and bytes, truncations, extensions, deleted and duplicated ranges, hostile numbers written over the bytes,
/// and forgeries whose checksums are recomputed (a record of a cause, action, service or data set that does not exist, a
/// time outside the horizon, NaN and infinite amounts, records of another run); manifests get their JSON mangled the same
/// way as scenarios (flipped characters, values of the wrong type or size, deleted lines, deep nesting, huge strings).
/// </summary>
internal sealed class RecordsMutator(RecordShape shape, byte[] binding, ulong seed)
{
    private static readonly double[] HostileDoubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, -0.0, double.MaxValue, 1e300, double.Epsilon, 1e15];

    private static readonly int[] HostileInts = [-1, int.MaxValue, int.MinValue, 0, 1, 1025, 65536, 1 << 24];

    private static readonly string[] HostileJson =
    [
        "-1", "0", "1e400", "-1e400", "9223372036854775808", "18446744073709551616", "1.5", "\"x\"", "\"\"", "null", "true", "[]", "{}",
        "NaN", "Infinity", "\"../../etc/passwd\"", "\"/etc/passwd\"", "\"" + new string('a', 100_000) + "\"", new string('[', 1000) + new string(']', 1000),
        "\"\\u0000\"", "\"\\ud800\"", "[\"x\"]", "{ \"a\": 1 }",
    ];

    /// <summary>Gets the kind of the last generated input, for the failure report.</summary>
    public string LastKind { get; private set; } = "";

    /// <summary>A mutated copy of <paramref name="original"/>, a records file of the run <see cref="RecordsMutator"/> was made with.</summary>
    /// <param name="original">The file's bytes.</param>
    /// <param name="index">The input's number: the same input for the same seed and number on every machine.</param>
    /// <param name="forgeries">Whether to forge records with valid checksums (which a checksum cannot tell from the real ones when their values are in range) or only to damage the file.</param>
    public byte[] MutateRecords(byte[] original, long index, bool forgeries = true)
    {
        var rng = Rng(index);
        byte[] bytes = [.. original];
        switch (Next(ref rng, 10))
        {
            case 0:
                LastKind = "flip-bits";
                for (int n = 1 + Next(ref rng, 4); n > 0; n--)
                {
                    bytes[Next(ref rng, bytes.Length)] ^= (byte)(1 << Next(ref rng, 8));
                }

                return bytes;
            case 1:
                LastKind = "set-byte";
                bytes[Next(ref rng, bytes.Length)] = (byte)Pick(ref rng, [0x00, 0xFF, 0x7F, 0x80, 0x01]);
                return bytes;
            case 2:
                LastKind = "truncate";
                return bytes[..Next(ref rng, bytes.Length)];
            case 3:
            {
                LastKind = "append";
                byte[] tail = new byte[1 + Next(ref rng, 64)];
                for (int b = 0; b < tail.Length; b++)
                {
                    tail[b] = (byte)rng.NextUInt64();
                }

                return [.. bytes, .. tail];
            }

            case 4:
            {
                LastKind = "hostile-double";
                int at = Next(ref rng, Math.Max(1, bytes.Length - 8));
                BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick(ref rng, HostileDoubles));
                return bytes;
            }

            case 5:
            {
                LastKind = "hostile-int";
                int at = Next(ref rng, Math.Max(1, bytes.Length - 4));
                BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick(ref rng, HostileInts));
                return bytes;
            }

            case 6:
            {
                LastKind = "delete-range";
                int at = Next(ref rng, bytes.Length);
                int length = 1 + Next(ref rng, Math.Min(256, bytes.Length - at));
                return [.. bytes[..at], .. bytes[(at + length)..]];
            }

            case 7:
            {
                LastKind = "duplicate-range";
                int at = Next(ref rng, bytes.Length);
                int length = 1 + Next(ref rng, Math.Min(256, bytes.Length - at));
                return [.. bytes[..(at + length)], .. bytes[at..]];
            }

            case 8 when forgeries:
                return Forge(ref rng, original, binding);
            default:
                LastKind = "other-run";
                return Forge(ref rng, original, SHA256.HashData(Encoding.UTF8.GetBytes("another run " + index)));
        }
    }

    /// <summary>A mutated copy of a manifest's JSON text.</summary>
    public string MutateManifest(string json, long index)
    {
        var rng = Rng(index);
        var lines = json.Split('\n').ToList();
        int i = Next(ref rng, lines.Count);
        switch (Next(ref rng, 6))
        {
            case 0:
            {
                LastKind = "json-flip";
                int at = Next(ref rng, json.Length);
                return json[..at] + Pick(ref rng, [':', ',', '"', '{', '}', '[', ']', '\\', '\0', '0', '-', 'e']) + json[(at + 1)..];
            }

            case 1:
                LastKind = "json-delete-line";
                lines.RemoveAt(i);
                return string.Join('\n', lines);
            case 2:
            {
                LastKind = "json-value";
                var candidates = Enumerable.Range(0, lines.Count).Where(k => lines[k].Contains("\": ", StringComparison.Ordinal)).ToList();
                int k = Pick(ref rng, candidates);
                int colon = lines[k].IndexOf("\": ", StringComparison.Ordinal);
                lines[k] = lines[k][..(colon + 3)] + Pick(ref rng, HostileJson) + (lines[k].TrimEnd().EndsWith(',') ? "," : "");
                return string.Join('\n', lines);
            }

            case 3:
                LastKind = "json-duplicate-line";
                lines.Insert(i, lines[i]);
                return string.Join('\n', lines);
            case 4:
            {
                LastKind = "json-number";
                var candidates = Enumerable.Range(0, lines.Count).Where(k => lines[k].TrimEnd(',').Length > 0 && char.IsDigit(lines[k].TrimEnd(',')[^1])).ToList();
                if (candidates.Count == 0)
                {
                    return json;
                }

                int k = Pick(ref rng, candidates);
                string line = lines[k].TrimEnd(',');
                int colon = line.IndexOf("\": ", StringComparison.Ordinal);
                if (colon < 0 || !long.TryParse(line[(colon + 3)..], out long number))
                {
                    return json;
                }

                lines[k] = line[..(colon + 3)] + (number + Pick(ref rng, [-1L, 1L, 1024L, -number - 1])).ToString(System.Globalization.CultureInfo.InvariantCulture) + (lines[k].TrimEnd().EndsWith(',') ? "," : "");
                return string.Join('\n', lines);
            }

            default:
                LastKind = "json-truncate";
                return json[..Next(ref rng, json.Length)];
        }
    }

    private static int Next(ref Xoshiro256StarStar rng, int bound) => bound <= 0 ? 0 : (int)(rng.NextUInt64() % (ulong)bound);

    private static T Pick<T>(ref Xoshiro256StarStar rng, IReadOnlyList<T> items) => items[Next(ref rng, items.Count)];

    private Xoshiro256StarStar Rng(long index) => new(seed ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1)));

    // Decodes the file, changes one field of one record (or a row), and writes it again with valid checksums: a forgery.
    private byte[] Forge(ref Xoshiro256StarStar rng, byte[] original, byte[] writeBinding)
    {
        var keeper = new Keeper();
        var (first, count) = TrialRecordsFile.Read(new MemoryStream(original), shape, binding, keeper);
        var table = keeper.Table(first, count, shape);
        var incidents = keeper.Incidents;
        var losses = keeper.Losses;
        if (writeBinding == binding)
        {
            int field = Next(ref rng, 10);
            LastKind = "forged-" + field;
            if (field < 8 && incidents.Count > 0)
            {
                int i = Next(ref rng, incidents.Count);
                var x = incidents[i];
                incidents[i] = field switch
                {
                    0 => x with { CauseKind = (CauseKind)Pick(ref rng, [4, 9, 200, 255]) },
                    1 => x with { CauseIndex = Pick(ref rng, HostileInts) },
                    2 => x with { Action = (IncidentAction)Pick(ref rng, [9, 10, 255]) },
                    3 => x with { Service = Pick(ref rng, HostileInts) },
                    4 => x with { StartHours = Pick(ref rng, [.. HostileDoubles, shape.HorizonHours * 2]) },
                    5 => x with { DowntimeHours = Pick(ref rng, HostileDoubles) },
                    6 => x with { DataLossGb = Pick(ref rng, HostileDoubles) },
                    _ => x with { DetectionDelayHours = Pick(ref rng, HostileDoubles) },
                };
            }
            else if (field == 8 && losses.Count > 0)
            {
                int i = Next(ref rng, losses.Count);
                losses[i] = Next(ref rng, 2) == 0 ? losses[i] with { DataSet = Pick(ref rng, HostileInts) } : losses[i] with { LossHours = Pick(ref rng, HostileDoubles) };
            }
            else
            {
                long trial = first + Next(ref rng, (int)count);
                table.SetService(trial, 0, Pick(ref rng, HostileDoubles), Pick(ref rng, HostileInts));
            }
        }

        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, writeBinding, table, first, count, incidents, losses);
        return stream.ToArray();
    }

    /// <summary>Keeps what a records file holds, to write it again.</summary>
    private sealed class Keeper : ITrialChunkConsumer
    {
        private readonly List<TrialChunk> _rows = [];

        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void Consume(TrialChunk chunk)
        {
            var copy = new TrialChunk(chunk.Services, chunk.DataSets, chunk.Count);
            copy.Reset(chunk.FirstTrial);
            for (int row = 0; row < chunk.Count; row++)
            {
                var downtime = chunk.DowntimeRow(row).ToArray();
                var planned = chunk.PlannedDowntimeRow(row).ToArray();
                copy.AddTrial(downtime, chunk.IncidentCountRow(row).ToArray(), planned, chunk.LossHoursRow(row).ToArray(), chunk.LossGbRow(row).ToArray());
            }

            _rows.Add(copy);
            Incidents.AddRange(chunk.Incidents);
            Losses.AddRange(chunk.Losses);
        }

        public TrialTable Table(long first, long count, RecordShape shape)
        {
            var keeper = new RecordKeeper(first, count, shape.Services, shape.DataSets);
            foreach (var chunk in _rows)
            {
                keeper.Consume(chunk);
            }

            return keeper.Records().Table;
        }
    }
}
