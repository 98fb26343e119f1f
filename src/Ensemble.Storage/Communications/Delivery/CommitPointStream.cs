namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// Wraps the connection to the mail server and finds the end of each message's data ("CRLF . CRLF", which dot
/// stuffing makes unique). Everything up to the last byte of that marker is written, then the commit point is
/// recorded, then the last byte goes out: the server cannot accept a message whose commit point was not recorded.
/// </summary>
internal sealed class CommitPointStream(Stream inner) : Stream
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();
    private int matched;

    /// <summary>Called once per message, just before its final byte is written.</summary>
    public Action? OnCommit { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanTimeout => inner.CanTimeout;

    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }

    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var last = FindFinalByte(buffer);
        if (last < 0)
        {
            inner.Write(buffer);
            return;
        }

        inner.Write(buffer[..last]);
        inner.Flush();
        Commit();
        inner.Write(buffer[last..]);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var last = FindFinalByte(buffer.Span);
        if (last < 0)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        await inner.WriteAsync(buffer[..last], cancellationToken);
        await inner.FlushAsync(cancellationToken);
        Commit();
        await inner.WriteAsync(buffer[last..], cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Commit()
    {
        var commit = OnCommit;
        OnCommit = null;
        commit?.Invoke();
    }

    /// <summary>The index of the byte that completes the end-of-data marker in this write, or -1; tracks partial matches across writes.</summary>
    private int FindFinalByte(ReadOnlySpan<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            var b = buffer[i];
            if (b == EndOfData[matched])
            {
                matched++;
            }
            else
            {
                // The marker starts with CR, and no proper prefix of it ends in CR other than itself.
                matched = b == EndOfData[0] ? 1 : 0;
            }

            if (matched == EndOfData.Length)
            {
                matched = 0;
                if (OnCommit is not null)
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
