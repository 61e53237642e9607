using DisasterSim.Cli.Output;

namespace DisasterSim.Tests.Cli;

public sealed class OutputDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Commit_AfterWrites_FilesInPlaceAndNoTemporaries()
    {
        using (var directory = new OutputDirectory(_root))
        {
            directory.WriteText("a.csv", w => w.Write("x\n"));
            directory.Write("b.json", s => s.WriteByte((byte)'{'));
            directory.Commit();
        }

        Assert.Equal(["a.csv", "b.json"], OutputListing.Files(_root));
        Assert.Equal("x\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(_root, "a.csv")));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFile()
    {
        using (var directory = new OutputDirectory(_root))
        {
            directory.WriteText("a.csv", w => w.Write("x\n"));
            Assert.ThrowsAny<InvalidOperationException>(() => directory.WriteText("b.csv", _ => throw new InvalidOperationException("failed midway")));
        }

        Assert.Empty(OutputListing.Files(_root));
    }

    [Fact]
    public void Constructor_PathIsAFile_ThrowsIOException()
    {
        Directory.CreateDirectory(_root);
        string file = Path.Combine(_root, "file");
        File.WriteAllText(file, "");

        Assert.ThrowsAny<IOException>(() => new OutputDirectory(Path.Combine(file, "sub")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
