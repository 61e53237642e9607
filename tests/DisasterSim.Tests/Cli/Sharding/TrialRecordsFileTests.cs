using System.Security.Cryptography;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Tests.Cli.Sharding;

public sealed class TrialRecordsFileTests
{
    private static readonly IncidentRecord[] Incidents =
    [
        new(11, 1, 0.1, CauseKind.ComponentFailure, 3, false, 1.0 / 3, IncidentAction.Unresolved, double.Epsilon, -0.0, 1e300, true),
        new(12, 0, 8765.9, CauseKind.Threat, 0, true, 0, IncidentAction.FailedOverAndRestored, 120, 2, 3, false),
    ];

    private static readonly DataLossRecord[] Losses = [new(12, 0, 8765.9, Math.PI, double.MaxValue, true)];

    // Two services, one data set, two threats, four components, a year.
    private static readonly RecordShape Shape = new(2, 1, 2, 4, 8766);

    private static readonly byte[] Binding = SHA256.HashData("run A"u8);

    [Fact]
    public void WriteThenRead_EveryBitAndRecordComesBack()
    {
        var table = new TrialTable(10, 3, 2, 1);
        table.SetService(11, 1, 0.1 + 0.2, 7);
        table.SetDataSet(12, 0, double.Epsilon, -0.0);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, Binding, table, 11, 2, Incidents, Losses);

        stream.Position = 0;
        var copy = new TrialTable(0, 20, 2, 1);
        var sink = new ListSink();
        var range = TrialRecordsFile.Read(stream, Shape, Binding, copy, sink);

        Assert.Equal((11L, 2L), range);
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.1 + 0.2), BitConverter.DoubleToInt64Bits(copy.Downtime(11, 1)));
        Assert.Equal(7, copy.IncidentCount(11, 1));
        Assert.Equal(double.Epsilon, copy.LossHours(12, 0));
        Assert.True(double.IsNegative(copy.LossGb(12, 0)));
        Assert.Equal(Incidents, sink.Incidents);
        Assert.Equal(Losses, sink.Losses);
        Assert.Equal(0, copy.Downtime(10, 1));
    }

    [Fact]
    public void Read_Truncated_ThrowsInvalidDataAndLeavesTheSinkEmpty()
    {
        var table = new TrialTable(0, 2, 2, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, Binding, table, 0, 2, [Incidents[1] with { Trial = 1 }], []);
        var truncated = new MemoryStream(stream.ToArray()[..^5]);
        var sink = new ListSink();

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(truncated, Shape, Binding, new TrialTable(0, 2, 2, 1), sink));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Incidents);
    }

    [Fact]
    public void Read_RangeOutsideTable_ThrowsInvalidDataNamingBothRanges()
    {
        var table = new TrialTable(100, 5, 2, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, Binding, table, 100, 5, [], []);
        stream.Position = 0;

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(stream, Shape, Binding, new TrialTable(0, 102, 2, 1), new ListSink()));

        Assert.Equal("trials 100..104 lie outside 0..101", e.Message);
    }

    [Fact]
    public void Read_OtherShape_ThrowsInvalidData()
    {
        var table = new TrialTable(0, 1, 2, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, Binding, table, 0, 1, [], []);
        stream.Position = 0;

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(stream, Shape with { Services = 3 }, Binding, new TrialTable(0, 1, 3, 1), new ListSink()));

        Assert.Equal("2 services and 1 data sets; expected 3 and 1", e.Message);
    }

    [Fact]
    public void Read_RecordsOfAnotherRun_ThrowsInvalidDataBeforeAnyBlock()
    {
        byte[] file = Written([], []);

        var e = Assert.Throws<InvalidDataException>(() => Read(file, SHA256.HashData("run B"u8)));

        Assert.Contains("belong to another run", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(70)]
    [InlineData(200)]
    public void Read_OneByteFlipped_ThrowsInvalidDataNamingTheDamage(int offset)
    {
        byte[] file = Written(Incidents, Losses);
        file[offset % (file.Length - 4)] ^= 0x10;

        var e = Assert.Throws<InvalidDataException>(() => Read(file, Binding));

        Assert.Contains("checksum differs", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<IncidentRecord, string> ForgedIncidents => new()
    {
        { Incidents[0] with { CauseKind = (CauseKind)9 }, "cause kind 9, where there are 4" },
        { Incidents[0] with { CauseIndex = 4 }, "ComponentFailure cause 4, where there are 4" },
        { Incidents[1] with { CauseIndex = -1 }, "Threat cause -1, where there are 2" },
        { Incidents[0] with { Action = (IncidentAction)200 }, "action 200, where there are 11" },
        { Incidents[0] with { Service = 2 }, "service 2, where there are 2" },
        { Incidents[0] with { StartHours = double.NaN }, "starts at NaN h, outside the horizon of 0 to 8766 h" },
        { Incidents[0] with { StartHours = 9000 }, "starts at 9000 h, outside the horizon" },
        { Incidents[0] with { DowntimeHours = double.PositiveInfinity }, "incident downtime of #1 is Infinity" },
        { Incidents[0] with { DataLossGb = -1 }, "incident loss GB of #1 is -1" },
        { Incidents[0] with { DetectionDelayHours = double.NaN }, "detection delay of #1 is NaN" },
    };

    [Theory]
    [MemberData(nameof(ForgedIncidents))]
    public void Read_ForgedIncidentWithValidChecksum_ThrowsInvalidDataNamingBlockAndField(IncidentRecord forged, string expected)
    {
        byte[] file = Written([forged], []);

        var e = Assert.Throws<InvalidDataException>(() => Read(file, Binding));

        Assert.StartsWith("block at trial 11: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ForgedRowAndLoss_ThrowsInvalidDataNamingTheField()
    {
        var table = new TrialTable(11, 2, 2, 1);
        table.SetService(12, 1, double.NaN, 1);
        var rowError = Assert.Throws<InvalidDataException>(() => Read(Written([], [], table), Binding));
        var lossError = Assert.Throws<InvalidDataException>(() => Read(Written([], [Losses[0] with { LossHours = double.NegativeInfinity }]), Binding));
        var flagError = Assert.Throws<InvalidDataException>(() => Read(Patched(Written([], [Losses[0]]), fromEnd: 4 + 32 + 1, value: 7), Binding));

        Assert.Equal("block at trial 11: trial 12: downtime of #1 is NaN, where a finite amount of at least 0 was expected", rowError.Message);
        Assert.Contains("trial 12: loss hours of #0 is -Infinity", lossError.Message, StringComparison.Ordinal);
        Assert.Equal("block at trial 11: a record's total loss flag is 7, where 0 or 1 was expected", flagError.Message);
    }

    [Fact]
    public void Read_ForgedHugeRecordCount_RefusedBeforeAllocating()
    {
        // An incident count of two billion in a file of a few hundred bytes: refused from the file's length.
        byte[] file = Written([], []);
        int countOffset = 8 + 4 + 32 + 8 + 8 + 4 + 4 + 32 + 4 + (2 * ((2 * 20) + 16));
        BitConverter.TryWriteBytes(file.AsSpan(countOffset), int.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => Read(file, Binding));

        Assert.Contains("2147483647 incident records would need", e.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4_000_000);
    }

    [Fact]
    public void Read_BytesAfterTheEnd_ThrowsInvalidData()
    {
        byte[] file = [.. Written([], []), 0];

        var e = Assert.Throws<InvalidDataException>(() => Read(file, Binding));

        Assert.Equal("bytes follow the end of the records", e.Message);
    }

    private static byte[] Written(IReadOnlyList<IncidentRecord> incidents, IReadOnlyList<DataLossRecord> losses, TrialTable? table = null)
    {
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, Binding, table ?? new TrialTable(11, 2, 2, 1), 11, 2, incidents, losses);
        return stream.ToArray();
    }

    private static byte[] Patched(byte[] file, int fromEnd, byte value)
    {
        file[^fromEnd] = value;
        return file;
    }

    private static (long, long) Read(byte[] file, byte[] binding) =>
        TrialRecordsFile.Read(new MemoryStream(file), Shape, binding, new TrialTable(0, 20, 2, 1), new ListSink());

    private sealed class ListSink : ITrialSink
    {
        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);
    }
}
