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

    [Fact]
    public void WriteThenRead_EveryBitAndRecordComesBack()
    {
        var table = new TrialTable(10, 3, 2, 1);
        table.SetService(11, 1, 0.1 + 0.2, 7);
        table.SetDataSet(12, 0, double.NaN, -0.0);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, table, 11, 2, Incidents, Losses);

        stream.Position = 0;
        var copy = new TrialTable(0, 20, 2, 1);
        var sink = new ListSink();
        var range = TrialRecordsFile.Read(stream, copy, sink);

        Assert.Equal((11L, 2L), range);
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.1 + 0.2), BitConverter.DoubleToInt64Bits(copy.Downtime(11, 1)));
        Assert.Equal(7, copy.IncidentCount(11, 1));
        Assert.True(double.IsNaN(copy.LossHours(12, 0)));
        Assert.True(double.IsNegative(copy.LossGb(12, 0)));
        Assert.Equal(Incidents, sink.Incidents);
        Assert.Equal(Losses, sink.Losses);
        Assert.Equal(0, copy.Downtime(10, 1));
    }

    [Fact]
    public void Read_Truncated_ThrowsInvalidDataAndLeavesTheSinkEmpty()
    {
        var table = new TrialTable(0, 2, 1, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, table, 0, 2, [Incidents[1] with { Trial = 1 }], []);
        var truncated = new MemoryStream(stream.ToArray()[..^5]);
        var sink = new ListSink();

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(truncated, new TrialTable(0, 2, 1, 1), sink));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Incidents);
    }

    [Fact]
    public void Read_RangeOutsideTable_ThrowsInvalidDataNamingBothRanges()
    {
        var table = new TrialTable(100, 5, 1, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, table, 100, 5, [], []);
        stream.Position = 0;

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(stream, new TrialTable(0, 102, 1, 1), new ListSink()));

        Assert.Equal("trials 100..104 lie outside 0..101", e.Message);
    }

    [Fact]
    public void Read_OtherShape_ThrowsInvalidData()
    {
        var table = new TrialTable(0, 1, 1, 1);
        using var stream = new MemoryStream();
        TrialRecordsFile.Write(stream, table, 0, 1, [], []);
        stream.Position = 0;

        var e = Assert.Throws<InvalidDataException>(() => TrialRecordsFile.Read(stream, new TrialTable(0, 1, 2, 1), new ListSink()));

        Assert.Equal("1 services and 1 data sets; expected 2 and 1", e.Message);
    }

    private sealed class ListSink : ITrialSink
    {
        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);
    }
}
