using System.Security.Cryptography;

namespace AidTracker.Api.Exports;

/// <summary>
/// A write-only stream over the export's spool that counts and digests what passes: Parquet.Net asks its stream for a
/// position, and the response names the file's length and SHA-256 (Repr-Digest) before its first byte. The stream
/// under it stays open.
/// </summary>
public sealed class DigestingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <summary>The SHA-256 of everything written so far.</summary>
    public byte[] Sha256() => _sha256.GetCurrentHash();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _sha256.AppendData(buffer);
        _position += buffer.Length;
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sha256.AppendData(buffer.Span);
        _position += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha256.Dispose();
        base.Dispose(disposing);
    }
}
