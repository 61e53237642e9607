using System.Globalization;
using System.Text;
using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Output;

/// <summary>
/// The lock a command holds on its output directory for as long as it writes there, so that two runs never mix their files
/// or checkpoints: an exclusive lock on <c>DIR/.disastersim.lock</c> (advisory <c>flock</c> on Unix, a sharing mode on
/// Windows), which the operating system releases when the process ends, however it ends.
/// </summary>
/// <remarks>
/// The lock file itself stays in the directory (empty): deleting it would let a run that opened it just before the delete
/// and a run that creates it anew both hold "the" lock. Who holds the lock is written in a file of the holder's private
/// staging folder (see <see cref="OutputDirectory"/>), which a second run reads to name the holder.
/// </remarks>
internal sealed class OutputLock : IDisposable
{
    /// <summary>The lock file's name in the output directory.</summary>
    public const string FileName = ".disastersim.lock";

    /// <summary>The name of the file, in the holder's staging folder, that says who holds the lock.</summary>
    public const string HolderFileName = "holder.txt";

    private const int MaxHolderBytes = 4096;

    private readonly FileStream _stream;

    private OutputLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="directory"/> at once, or fails.</summary>
    /// <exception cref="OutputLockedException">Another process (or another command of this one) holds it; the message names the holder when it can.</exception>
    /// <exception cref="IOException">The lock file cannot be created, or is a link.</exception>
    public static OutputLock Acquire(string directory)
    {
        string path = System.IO.Path.Combine(directory, FileName);
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new IOException($"'{path}' is a symbolic link; the lock file of an output directory must be a plain file: delete the link");
        }

        try
        {
            // Never truncated or written: opening a file planted under this name changes nothing in it.
            return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException && File.Exists(path))
        {
            throw new OutputLockedException(directory, Holder(directory));
        }
    }

    /// <summary>Describes this process for a run that finds the directory locked: process, host, start time and command line.</summary>
    public static string Describe(IReadOnlyList<string> commandLine) =>
        string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss}Z: disastersim {string.Join(' ', commandLine)}");

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    // The holder's description, read from its staging folder, or null when there is none to read (it may be starting or ending).
    private static string? Holder(string directory)
    {
        try
        {
            foreach (string folder in Directory.EnumerateDirectories(directory, OutputDirectory.StagingPrefix + "*"))
            {
                string file = System.IO.Path.Combine(folder, HolderFileName);
                if (File.Exists(file))
                {
                    string text = Encoding.UTF8.GetString(InputFile.ReadAllBytes(file, MaxHolderBytes, TimeSpan.FromSeconds(2)));
                    return new string([.. text.Trim().Select(c => char.IsControl(c) ? ' ' : c)]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The holder is only named when it can be; the refusal stands either way.
        }

        return null;
    }
}

/// <summary>An output directory is locked by another run.</summary>
public sealed class OutputLockedException(string directory, string? holder)
    : IOException($"the output directory '{directory}' is in use by another disastersim command ({holder ?? "holder unknown"}); wait for it to finish, or choose another --out");
