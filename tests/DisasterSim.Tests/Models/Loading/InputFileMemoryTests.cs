using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// An endless input is read only up to the limit. The test counts the bytes the whole process allocates, so it runs in
/// the collection that runs alone: another test allocating at the same time would be counted as the loader's.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class InputFileMemoryTests
{
    [Fact]
    public void Load_DevZero_TooLargeErrorAfterReadingOnlyTheLimit()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = ScenarioLoader.Load("/dev/zero", TimeSpan.FromSeconds(30));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("/dev/zero:1:1: error: the input holds more than 10,485,760 bytes (10 MiB), the limit of scenario files (reading stopped there); give a scenario file, not a device or an endless stream", error.ToString());

        // The limit plus one piece, with the buffer's growth: far from the gigabytes an unbounded read reaches.
        Assert.InRange(allocated, 0, 8 * ScenarioLoader.MaxFileBytes);
    }
}
