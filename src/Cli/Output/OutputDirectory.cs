using System.Security.Cryptography;
using System.Text;

namespace DisasterSim.Cli.Output;

/// <summary>
/// Writes a set of files into one directory so that a reader never sees a half-written one and nothing already there is
/// followed: the directory is locked for the command's lifetime (<see cref="OutputLock"/>), each file is created new in a
/// private staging folder inside it, and <see cref="Commit"/> renames them all into place. Disposing without committing
/// deletes the staging folder.
/// </summary>
/// <remarks>
/// The staging folder has a random name and is readable by its owner only, so a link or file planted in the directory
/// beforehand is never opened: a rename replaces a link at a file's final name, it does not write through it.
/// </remarks>
public sealed class OutputDirectory : IDisposable
{
    /// <summary>The name of the lock file every command leaves in its output directory (empty; see <see cref="OutputLock"/>).</summary>
    public const string LockFileName = OutputLock.FileName;

    /// <summary>The start of a staging folder's name.</summary>
    internal const string StagingPrefix = ".disastersim-partial-";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _pending = [];
    private readonly List<Stream> _open = [];
    private readonly OutputLock _lock;
    private readonly string _staging;

    /// <summary>Creates the directory if needed, locks it and creates its staging folder.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="holder">Who writes here, for a second command that finds the directory locked (see <see cref="OutputLock.Describe"/>).</param>
    /// <exception cref="OutputLockedException">Another command writes into the directory.</exception>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be created or written.</exception>
    public OutputDirectory(string path, string? holder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Directory.CreateDirectory(path);
        _lock = OutputLock.Acquire(path);
        try
        {
            RemoveStaleStaging(path);
            _staging = System.IO.Path.Combine(path, StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_staging);
            }
            else
            {
                Directory.CreateDirectory(_staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            string description = holder ?? OutputLock.Describe([]);
            Write(OutputLock.HolderFileName, s => s.Write(Utf8NoBom.GetBytes(description + "\n")), staged: false);
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
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

    /// <summary>Checks, before any work, that <paramref name="fileNames"/> can be replaced.</summary>
    /// <exception cref="IOException">A file's place holds a directory, or (on Windows) an existing file is locked by another program.</exception>
    /// <exception cref="UnauthorizedAccessException">An existing file is read-only (on Windows).</exception>
    public void CheckWritable(IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        foreach (string fileName in fileNames)
        {
            string target = System.IO.Path.Combine(Path, fileName);
            if (new FileInfo(target).LinkTarget is not null)
            {
                // A link is replaced by the rename, never followed.
                continue;
            }

            if (Directory.Exists(target))
            {
                throw new IOException($"'{target}' is a directory, not a file");
            }

            if (OperatingSystem.IsWindows() && File.Exists(target))
            {
                // Exclusive access fails while a spreadsheet holds the file open, and for a read-only file; a rename would fail later.
                using var stream = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
        }
    }

    /// <summary>Writes a file's bytes in the staging folder; <paramref name="fileName"/> may name a subfolder (<c>a/b.yaml</c>).</summary>
    public void Write(string fileName, Action<Stream> write) => Write(fileName, write, staged: true);

    /// <summary>Opens a file in the staging folder for writing as a run goes; it is closed by <see cref="Commit"/> or <see cref="Dispose"/>.</summary>
    public Stream Open(string fileName)
    {
        var stream = Create(fileName, 1 << 16);
        _pending.Add(fileName);
        _open.Add(stream);
        return stream;
    }

    /// <summary>Opens a text file (UTF-8 without BOM, "\n" line endings) in the staging folder, as <see cref="Open"/> does.</summary>
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
        return new FileStream(System.IO.Path.Combine(_staging, fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Opens a scratch file in the staging folder, deleted when closed; never committed.</summary>
    public Stream OpenScratch(string fileName) =>
        new FileStream(System.IO.Path.Combine(_staging, fileName + ".scratch"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    /// <summary>Writes a text file (UTF-8 without BOM) in the staging folder.</summary>
    public void WriteText(string fileName, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(fileName, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>Renames every file written into place, replacing older ones (or links of their names).</summary>
    /// <remarks>Every target is checked for replaceability first, so a locked file fails the commit before any file is replaced.</remarks>
    public void Commit()
    {
        CloseOpen();
        CheckWritable(_pending);
        foreach (string fileName in _pending)
        {
            string target = System.IO.Path.Combine(Path, fileName);
            CreateParents(fileName);
            File.Move(System.IO.Path.Combine(_staging, fileName), target, overwrite: true);
        }

        _pending.Clear();
    }

    /// <summary>Deletes the staging folder with every uncommitted file, and releases the lock.</summary>
    public void Dispose()
    {
        CloseOpen(ignoreErrors: true);
        _pending.Clear();
        DeleteTree(_staging);
        _lock.Dispose();
    }

    /// <summary>Deletes a folder and what it holds without following any link in it; best effort.</summary>
    internal static void DeleteTree(string path)
    {
        try
        {
            if (new DirectoryInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                // On Unix, a link inside is removed as a link: its target is never entered.
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover staging folder never looks like a finished output, and the next command here removes it.
        }
    }

    // Staging folders of commands that were killed: under the lock, no other command is using one.
    private static void RemoveStaleStaging(string path)
    {
        foreach (string stale in Directory.EnumerateFileSystemEntries(path, StagingPrefix + "*"))
        {
            DeleteTree(stale);
        }
    }

    private void Write(string fileName, Action<Stream> write, bool staged)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (staged)
        {
            _pending.Add(fileName);
        }

        using var stream = Create(fileName, 1 << 12);
        write(stream);
    }

    // A new file in the staging folder: CreateNew fails rather than open anything that is already there.
    private FileStream Create(string fileName, int bufferSize)
    {
        string path = System.IO.Path.Combine(_staging, fileName);
        if (System.IO.Path.GetDirectoryName(fileName) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(_staging, folder));
        }

        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
    }

    // The folders of a nested file name in the output directory, each a real folder: a link there would lead the rename elsewhere.
    private void CreateParents(string fileName)
    {
        string? folder = System.IO.Path.GetDirectoryName(fileName);
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        string current = Path;
        foreach (string part in folder.Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar))
        {
            current = System.IO.Path.Combine(current, part);
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                throw new IOException($"'{current}' is a symbolic link; an output folder must be a real folder: delete the link");
            }

            Directory.CreateDirectory(current);
        }
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
}
