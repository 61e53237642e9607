using System.Diagnostics;
using System.Text;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>Any path a command is given is read within a size limit and a time limit, and only as text it can decode.</summary>
public sealed class InputFileTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-input-" + Guid.NewGuid().ToString("N"));

    public InputFileTests() => Directory.CreateDirectory(_root);

    [Fact]
    public void Load_FifoWithoutWriter_TimesOutWithALocatedError()
    {
        string fifo = Fifo("scenario.yaml");
        if (fifo.Length == 0)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var result = ScenarioLoader.Load(fifo, Short);

        Assert.InRange(watch.Elapsed, Short, TimeSpan.FromSeconds(20));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal($"{fifo}:0:0: error: cannot read the scenario file: '{fifo}' did not open or finish within 1 s (a named pipe without a writer, or a device or network file that does not answer); give a regular file", error.ToString());
        Release(fifo);
    }

    [Fact]
    public void Load_FifoFedEndlessly_TooLargeError()
    {
        string fifo = Fifo("endless.yaml");
        if (fifo.Length == 0)
        {
            return;
        }

        var writer = new Thread(() =>
        {
            try
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                byte[] line = "y: y\n"u8.ToArray();
                while (true)
                {
                    stream.Write(line);
                }
            }
            catch (IOException)
            {
                // The reader stopped at its limit and closed the pipe.
            }
        }) { IsBackground = true };
        writer.Start();

        var result = ScenarioLoader.Load(fifo, TimeSpan.FromSeconds(30));

        Assert.Contains("the input holds more than 10,485,760 bytes", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FifoWithAScenario_LoadsIt()
    {
        string fifo = Fifo("piped.yaml");
        if (fifo.Length == 0)
        {
            return;
        }

        var writer = new Thread(() => File.WriteAllText(fifo, "name: piped\n")) { IsBackground = true };
        writer.Start();

        var result = ScenarioLoader.Load(fifo, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("cannot read", StringComparison.Ordinal));
        Assert.Equal("piped", result.Scenario?.Name);
    }

    [Fact]
    public void Load_Utf16WithoutByteOrderMark_SaysSoAtTheFirstLine()
    {
        string path = Path.Combine(_root, "utf16.yaml");
        File.WriteAllBytes(path, Encoding.Unicode.GetBytes("name: x\n"));

        var error = Assert.Single(ScenarioLoader.Load(path).Diagnostics);

        Assert.Equal($"{path}:1:2: error: the file is not text a scenario can be read from: the file looks like UTF-16 without a byte-order mark (every other byte is 0); save it as UTF-8", error.ToString());
    }

    [Fact]
    public void Load_Latin1Bytes_ErrorAtTheByteInsteadOfAReplacementCharacter()
    {
        string path = Path.Combine(_root, "latin1.yaml");
        File.WriteAllBytes(path, [.. "name: x\ndescription: caf"u8, 0xE9, .. "\n"u8]);

        var error = Assert.Single(ScenarioLoader.Load(path).Diagnostics);

        Assert.Equal($"{path}:2:17: error: the file is not text a scenario can be read from: byte 0xE9 is not valid UTF-8 (the file seems to be in another encoding, such as Latin-1 or Windows-1252); save it as UTF-8", error.ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xFE, 0xFF })]
    public void TryDecodeText_ByteOrderMarks_Decoded(byte[] mark)
    {
        Encoding encoding = mark.Length == 3 ? new UTF8Encoding(false) : mark[0] == 0xFF ? new UnicodeEncoding(false, false) : new UnicodeEncoding(true, false);
        byte[] bytes = [.. mark, .. encoding.GetBytes("name: é€𝄞\n")];

        Assert.True(InputFile.TryDecodeText(bytes, out string text, out _));
        Assert.Equal("name: é€𝄞\n", text);
    }

    [Fact]
    public void ReadAllBytes_RegularFileOverTheLimit_RefusedFromItsSize()
    {
        string path = Path.Combine(_root, "big");
        File.WriteAllBytes(path, new byte[1001]);

        var e = Assert.Throws<InputFileTooLargeException>(() => InputFile.ReadAllBytes(path, 1000));

        Assert.Equal($"'{path}' is 1,001 bytes, over the limit of 1,000 bytes", e.Message);
        Assert.Equal(1000, InputFile.ReadAllBytes(path, 1001).Length - 1);
    }

    [Fact]
    public void OpenRegular_PipeOrDevice_Refused()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        var e = Assert.Throws<InputFileException>(() => InputFile.OpenRegular("/dev/zero"));

        Assert.Equal("'/dev/zero' is empty or not a regular file (a pipe or a device)", e.Message);
    }

    [Fact]
    public void Run_ScenarioFromAPipe_MetadataHashesTheBytesParsed()
    {
        string fifo = Fifo("piped-run.yaml");
        if (fifo.Length == 0)
        {
            return;
        }

        byte[] scenario = File.ReadAllBytes(Path.Combine(Scenarios.ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml"));
        var writer = new Thread(() => File.WriteAllBytes(fifo, scenario)) { IsBackground = true };
        writer.Start();
        var stderr = new StringWriter();

        int code = DisasterSim.Cli.Program.Run(["run", fifo, "--trials", "20", "--out", Path.Combine(_root, "out")], new StringWriter(), stderr);

        Assert.True(code == 0, stderr.ToString());
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(scenario));
        Assert.Contains($"\"scenario_sha256\": \"{hash}\"", File.ReadAllText(Path.Combine(_root, "out", "metadata.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_FifoWithoutWriterAmongTheScenarios_LocatedErrorInsteadOfAHang()
    {
        string folder = Path.Combine(_root, "batch");
        Directory.CreateDirectory(folder);
        string fifo = Fifo(Path.Combine("batch", "stuck.yaml"));
        if (fifo.Length == 0)
        {
            return;
        }

        var stderr = new StringWriter();
        var context = new DisasterSim.Cli.CliContext(new StringWriter(), stderr, StderrIsTerminal: false, CancellationToken.None)
        {
            LoadScenario = path => ScenarioLoader.Load(path, Short),
        };

        int code = DisasterSim.Cli.Program.Run(["batch", folder, "--out", Path.Combine(_root, "out")], context);

        Assert.Equal(DisasterSim.Cli.ExitCodes.InvalidScenario, code);
        Assert.Contains($"{fifo}:0:0: error: cannot read the scenario file: '{fifo}' did not open or finish within 1 s", stderr.ToString(), StringComparison.Ordinal);
        Release(fifo);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Makes a named pipe, or returns "" where there are none (Windows).</summary>
    private string Fifo(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return "";
        }

        string path = Path.Combine(_root, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        return path;
    }

    // Opens the pipe's other end, so the reader left blocked in open() finishes and its thread ends.
    private static void Release(string fifo)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    }
}
