using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace DisasterSim.Models.Loading;

/// <summary>
/// Reads the files a command is given (scenarios, variants, shard and checkpoint files) so that no path can make it
/// allocate without bound or wait forever: the size limit is enforced while reading, not from the size the file system
/// reports (a device such as <c>/dev/zero</c> or a pipe reports none), and opening and reading are bounded in time (a
/// named pipe without a writer blocks its reader in <c>open</c>).
/// </summary>
public static class InputFile
{
    /// <summary>How long opening and reading one input may take by default: far more than any regular file needs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private const int Piece = 1 << 16;

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of the file at <paramref name="path"/>, whatever kind of file it is.</summary>
    /// <param name="path">The file: a regular file, a pipe, a device.</param>
    /// <param name="maxBytes">The limit; a file with more bytes is refused once the limit is passed, after reading one byte more.</param>
    /// <param name="timeout">The limit on opening and reading it, or null for <see cref="DefaultTimeout"/>.</param>
    /// <exception cref="InputFileException">The file is missing, a directory, unreadable, larger than the limit, or did not finish in time; the message says which.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return Bounded(path, timeout, () => ReadBounded(path, maxBytes));
    }

    /// <summary>Opens a regular, non-empty file for reading, bounded in time; pipes and devices, which report no length, are refused.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeout">The limit on opening it, or null for <see cref="DefaultTimeout"/>.</param>
    /// <exception cref="InputFileException">The file is missing, a directory, unreadable, empty or not a regular file, or did not open in time.</exception>
    public static FileStream OpenRegular(string path, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Bounded(path, timeout, () =>
        {
            var stream = Open(path);
            if (!stream.CanSeek || stream.Length == 0)
            {
                stream.Dispose();
                throw new InputFileException(path, "is empty or not a regular file (a pipe or a device)");
            }

            return stream;
        });
    }

    /// <summary>Decodes the text of a file: UTF-8 (with or without a byte-order mark), or UTF-16 or UTF-32 with one.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="text">The text, when the bytes are valid.</param>
    /// <param name="problem">Where and why the bytes are not text: line and column of the first bad byte (1-based), and a message saying how to fix it.</param>
    /// <returns>Whether the bytes are valid text.</returns>
    public static bool TryDecodeText(ReadOnlySpan<byte> bytes, out string text, out (int Line, int Column, string Message) problem)
    {
        problem = default;
        text = "";
        Encoding? withMark = bytes switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true),
            [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
            _ => null,
        };
        if (withMark is not null)
        {
            try
            {
                text = withMark.GetString(bytes[MarkLength(bytes)..]);
                return true;
            }
            catch (DecoderFallbackException)
            {
                problem = (1, 1, $"the file starts with a {withMark.WebName} byte-order mark but is not valid {withMark.WebName}; save it as UTF-8");
                return false;
            }
        }

        var utf8 = bytes is [0xEF, 0xBB, 0xBF, ..] ? bytes[3..] : bytes;
        int nul = utf8.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, column) = Position(utf8, nul);
            bool utf16 = utf8.Length >= 2 && (utf8[0] == 0 || utf8[1] == 0);
            problem = (line, column, utf16
                ? "the file looks like UTF-16 without a byte-order mark (every other byte is 0); save it as UTF-8"
                : "the file holds a NUL byte: it is binary, or UTF-16 or UTF-32 without a byte-order mark; save it as UTF-8 text");
            return false;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(1, utf8.Length));
        try
        {
            var status = Utf8.ToUtf16(utf8, chars, out int read, out int written, replaceInvalidSequences: false);
            if (status != System.Buffers.OperationStatus.Done)
            {
                var (line, column) = Position(utf8, read);
                problem = (line, column, string.Create(
                    CultureInfo.InvariantCulture,
                    $"byte 0x{utf8[read]:X2} is not valid UTF-8 (the file seems to be in another encoding, such as Latin-1 or Windows-1252); save it as UTF-8"));
                return false;
            }

            text = new string(chars, 0, written);
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static int MarkLength(ReadOnlySpan<byte> bytes) => bytes is [0xFF, 0xFE, 0x00, 0x00, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] ? 4 : 2;

    // Line and column (1-based, in characters) of a byte offset of valid UTF-8 text before it.
    private static (int Line, int Column) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int line = before.Count((byte)'\n') + 1;
        int column = 1;
        foreach (byte b in before[lineStart..])
        {
            // Continuation bytes of a character do not start a column of their own.
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    private static FileStream Open(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw new InputFileException(path, "is a directory, not a file");
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new InputFileException(path, "does not exist; check the path");
        }
        catch (DirectoryNotFoundException)
        {
            throw new InputFileException(path, "does not exist (a directory on its path is missing); check the path");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException && e is not InputFileException)
        {
            throw new InputFileException(path, "cannot be read: " + e.Message);
        }
    }

    private static byte[] ReadBounded(string path, long maxBytes)
    {
        using var stream = Open(path);
        long declared = stream.CanSeek ? stream.Length : 0;
        if (declared > maxBytes)
        {
            throw new InputFileTooLargeException(path, declared, maxBytes);
        }

        // The declared length only sizes the first buffer: a device or a file that grows meanwhile can hold more.
        var buffer = new MemoryStream((int)Math.Min(declared + 1, maxBytes + 1));
        byte[] piece = ArrayPool<byte>.Shared.Rent(Piece);
        try
        {
            int read;
            while ((read = stream.Read(piece, 0, (int)Math.Min(Piece, maxBytes + 1 - buffer.Length))) > 0)
            {
                buffer.Write(piece, 0, read);
                if (buffer.Length > maxBytes)
                {
                    throw new InputFileTooLargeException(path, null, maxBytes);
                }
            }
        }
        catch (IOException e) when (e is not InputFileException)
        {
            throw new InputFileException(path, "cannot be read: " + e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }

        return buffer.ToArray();
    }

    // Runs the work on a thread of its own and waits at most the timeout: a thread stuck in open() on a pipe without a
    // writer cannot be interrupted, so it is left behind (a background thread, it does not keep the process alive).
    private static T Bounded<T>(string path, TimeSpan? timeout, Func<T> work)
    {
        var limit = timeout ?? DefaultTimeout;
        var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                outcome.SetResult(work());
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "input reader",
        };
        thread.Start();
        if (!((IAsyncResult)outcome.Task).AsyncWaitHandle.WaitOne(limit))
        {
            // Anything the thread opens later is closed when it finishes, if it ever does.
            outcome.Task.ContinueWith(t => (t.Result as IDisposable)?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw new InputFileException(path, string.Create(
                CultureInfo.InvariantCulture,
                $"did not open or finish within {limit.TotalSeconds:0.#} s (a named pipe without a writer, or a device or network file that does not answer); give a regular file"));
        }

        return outcome.Task.GetAwaiter().GetResult();
    }
}

/// <summary>An input file cannot be read within the limits; the message names the path and the reason.</summary>
public class InputFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="reason"/> completes "'path' ...".</summary>
    public InputFileException(string path, string reason)
        : base($"'{path}' {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Gets the path as given.</summary>
    public string Path { get; }

    /// <summary>Gets what is wrong, as the end of a sentence that starts with the path.</summary>
    public string Reason { get; }
}

/// <summary>An input file holds more bytes than its limit.</summary>
public sealed class InputFileTooLargeException : InputFileException
{
    /// <summary>Creates the exception: <paramref name="bytes"/> is the size the file system reports, or null for a file read past the limit.</summary>
    public InputFileTooLargeException(string path, long? bytes, long limit)
        : base(path, bytes is long b
            ? string.Create(CultureInfo.InvariantCulture, $"is {b:N0} bytes, over the limit of {limit:N0} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"holds more than {limit:N0} bytes (the limit; reading stopped there)"))
    {
        Bytes = bytes;
        Limit = limit;
    }

    /// <summary>Gets the size the file system reports, or null when the file was read past the limit (a device or a pipe).</summary>
    public long? Bytes { get; }

    /// <summary>Gets the limit, in bytes.</summary>
    public long Limit { get; }
}
