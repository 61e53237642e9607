using System.Text;

namespace DisasterSim.Cli.Output;

/// <summary>
/// Writes a set of files into one directory so that a reader never sees a half-written one: each goes to a temporary
/// name first, and all are renamed into place by <see cref="Commit"/>. Disposing without committing deletes the temporary files.
/// </summary>
public sealed class OutputDirectory : IDisposable
{
    private const string TemporarySuffix = ".partial";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _pending = [];
    private readonly List<Stream> _open = [];

    /// <summary>Creates the directory if needed.</summary>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be created.</exception>
    public OutputDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Directory.CreateDirectory(path);
    }

    /// <summary>Gets the directory's path, as given.</summary>
    public string Path { get; }

    /// <summary>Gets the free bytes on the disk that holds <paramref name="directory"/>, or null when the system cannot tell.</summary>
    public static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(System.IO.Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Checks, before any work, that files can be created here and that <paramref name="fileNames"/> can be replaced.</summary>
    /// <exception cref="IOException">A file cannot be created, or an existing one is locked (open in another program).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or an existing file is read-only.</exception>
    public void CheckWritable(IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        string probe = System.IO.Path.Combine(Path, ".disastersim-probe" + TemporarySuffix);
        using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
        }

        foreach (string fileName in fileNames)
        {
            string target = System.IO.Path.Combine(Path, fileName);
            if (Directory.Exists(target))
            {
                throw new IOException($"'{target}' is a directory, not a file");
            }

            if (File.Exists(target))
            {
                // Exclusive access fails while a spreadsheet holds the file open (on Windows), and for a read-only file.
                using var stream = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
        }
    }

    /// <summary>Writes a file's bytes under a temporary name.</summary>
    public void Write(string fileName, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TemporaryPath(fileName);
        _pending.Add(fileName);
        using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
    }

    /// <summary>Opens a file under a temporary name for writing as a run goes; it is closed by <see cref="Commit"/> or <see cref="Dispose"/>.</summary>
    public Stream Open(string fileName)
    {
        string temporary = TemporaryPath(fileName);
        _pending.Add(fileName);
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _open.Add(stream);
        return stream;
    }

    /// <summary>Opens a text file (UTF-8 without BOM, "\n" line endings) under a temporary name, as <see cref="Open"/> does.</summary>
    public TextWriter OpenText(string fileName) =>
        new StreamWriter(Open(fileName), Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Opens a file written here but not yet committed, for reading; files still open for writing are closed first.</summary>
    /// <remarks>For files derived from others before the commit (the workbook, from the CSV files).</remarks>
    public Stream OpenWritten(string fileName)
    {
        if (!_pending.Contains(fileName))
        {
            throw new InvalidOperationException($"'{fileName}' was not written to this directory.");
        }

        CloseOpen();
        return new FileStream(TemporaryPath(fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Opens a scratch file beside the outputs, deleted when closed; never committed.</summary>
    public Stream OpenScratch(string fileName) =>
        new FileStream(TemporaryPath(fileName + ".scratch"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    /// <summary>Writes a text file (UTF-8 without BOM) under a temporary name.</summary>
    public void WriteText(string fileName, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(fileName, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>Renames every file written into place, replacing older ones.</summary>
    /// <remarks>Every target is checked for replaceability first, so a locked file fails the commit before any file is replaced.</remarks>
    public void Commit()
    {
        CloseOpen();
        CheckWritable(_pending);
        foreach (string fileName in _pending)
        {
            File.Move(TemporaryPath(fileName), System.IO.Path.Combine(Path, fileName), overwrite: true);
        }

        _pending.Clear();
    }

    /// <summary>Deletes the temporary files of an uncommitted set.</summary>
    public void Dispose()
    {
        CloseOpen(ignoreErrors: true);
        foreach (string fileName in _pending)
        {
            try
            {
                File.Delete(TemporaryPath(fileName));
            }
            catch (IOException)
            {
                // Best effort: a leftover ".partial" file never looks like a finished output.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        _pending.Clear();
    }

    private void CloseOpen(bool ignoreErrors = false)
    {
        foreach (var stream in _open)
        {
            try
            {
                stream.Dispose();
            }
            catch (IOException) when (ignoreErrors)
            {
                // The file is deleted next: what could not be flushed (a full disk) does not matter.
            }
        }

        _open.Clear();
    }

    private string TemporaryPath(string fileName) => System.IO.Path.Combine(Path, fileName + TemporarySuffix);
}
