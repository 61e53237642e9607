using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// Reads little-endian values from a stream through a buffer of its own, counting the bytes read, and checks the SHA-256
/// that <see cref="ChecksummedWriter"/> wrote after a span of them, hashing the span a piece at a time as the buffer refills.
/// </summary>
internal sealed class ChecksummedReader(Stream stream) : IDisposable
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _position;
    private int _end;
    private int _hashFrom;
    private bool _hashing;
    private long _before;

    /// <summary>Gets the bytes read so far.</summary>
    public long Position => _before + _position;

    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public int ReadInt32()
    {
        Ensure(4);
        int value = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_position));
        _position += 4;
        return value;
    }

    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public long ReadInt64()
    {
        Ensure(8);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_position));
        _position += 8;
        return value;
    }

    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadInt64());

    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public byte ReadByte()
    {
        Ensure(1);
        return _buffer[_position++];
    }

    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public void Read(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            Ensure(1);
            int n = Math.Min(destination.Length, _end - _position);
            _buffer.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            destination = destination[n..];
        }
    }

    /// <summary>Gets whether the stream has no byte left.</summary>
    public bool AtEnd()
    {
        if (_position < _end)
        {
            return false;
        }

        Refill(1);
        return _end == 0;
    }

    /// <summary>Starts a checksummed span: its checksum covers <paramref name="key"/>, then every byte read until <see cref="ChecksumMatches"/>.</summary>
    public void StartChecksum(ReadOnlySpan<byte> key)
    {
        _hashing = true;
        _hashFrom = _position;
        _hash.AppendData(key);
    }

    /// <summary>Ends the checksummed span, reads the checksum stored after it and compares.</summary>
    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    public bool ChecksumMatches()
    {
        _hash.AppendData(_buffer.AsSpan(_hashFrom, _position - _hashFrom));
        _hashing = false;
        Span<byte> computed = stackalloc byte[ChecksummedWriter.ChecksumBytes];
        _hash.GetHashAndReset(computed);
        Span<byte> stored = stackalloc byte[ChecksummedWriter.ChecksumBytes];
        Read(stored);
        return computed.SequenceEqual(stored);
    }

    /// <summary>Releases the hash; the stream stays open.</summary>
    public void Dispose() => _hash.Dispose();

    private void Ensure(int bytes)
    {
        if (_end - _position >= bytes)
        {
            return;
        }

        Refill(bytes);
        if (_end - _position < bytes)
        {
            throw new EndOfStreamException();
        }
    }

    // Keeps the unread bytes, hashing the read ones of a checksummed span first, and reads until at least `bytes` are there.
    private void Refill(int bytes)
    {
        if (_hashing)
        {
            _hash.AppendData(_buffer.AsSpan(_hashFrom, _position - _hashFrom));
            _hashFrom = 0;
        }

        int unread = _end - _position;
        _buffer.AsSpan(_position, unread).CopyTo(_buffer);
        _before += _position;
        _position = 0;
        _end = unread;
        while (_end < bytes)
        {
            int read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                return;
            }

            _end += read;
        }
    }
}
