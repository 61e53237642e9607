using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// Writes little-endian values to a stream through a buffer of its own, and the SHA-256 of spans of them: what is written
/// between <see cref="StartChecksum"/> and <see cref="WriteChecksum"/> is hashed as the buffer empties, a piece at a time.
/// </summary>
internal sealed class ChecksummedWriter(Stream stream) : IDisposable
{
    /// <summary>The bytes of a checksum.</summary>
    public const int ChecksumBytes = 32;

    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _position;
    private int _hashFrom;
    private bool _hashing;

    public void Write(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void Write(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Write(double value) => Write(BitConverter.DoubleToInt64Bits(value));

    public void Write(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void Write(bool value) => Write(value ? (byte)1 : (byte)0);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            Ensure(1);
            int n = Math.Min(bytes.Length, _buffer.Length - _position);
            bytes[..n].CopyTo(_buffer.AsSpan(_position));
            _position += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Starts a checksummed span: its checksum covers <paramref name="key"/>, then every byte written until <see cref="WriteChecksum"/>.</summary>
    public void StartChecksum(ReadOnlySpan<byte> key)
    {
        _hashing = true;
        _hashFrom = _position;
        _hash.AppendData(key);
    }

    /// <summary>Ends the checksummed span and writes its checksum (not itself covered).</summary>
    public void WriteChecksum()
    {
        _hash.AppendData(_buffer.AsSpan(_hashFrom, _position - _hashFrom));
        _hashing = false;
        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        _hash.GetHashAndReset(checksum);
        Write(checksum);
    }

    /// <summary>Writes what is buffered to the stream, and flushes it.</summary>
    public void Flush()
    {
        Drain();
        stream.Flush();
    }

    /// <summary>Releases the hash; the stream stays open and unflushed.</summary>
    public void Dispose() => _hash.Dispose();

    private void Ensure(int bytes)
    {
        if (_buffer.Length - _position < bytes)
        {
            Drain();
        }
    }

    private void Drain()
    {
        if (_hashing)
        {
            _hash.AppendData(_buffer.AsSpan(_hashFrom, _position - _hashFrom));
            _hashFrom = 0;
        }

        stream.Write(_buffer, 0, _position);
        _position = 0;
    }
}
