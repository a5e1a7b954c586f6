using System.Text;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>Reads HTTP/1.1 messages off a stream: heads, exact byte counts, lines, chunked bodies; for <see cref="FaultProxy"/>.</summary>
internal sealed class HttpWireReader(Stream stream)
{
    private const int MaxHead = 64 * 1024;
    private readonly byte[] _buffer = new byte[128 * 1024];
    private int _start;
    private int _end;

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += n;
        return n > 0;
    }

    /// <summary>The head up to and without its blank line; null at a clean end of the stream.</summary>
    public async Task<string?> ReadHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            int at = window.IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                var head = Encoding.Latin1.GetString(window[..at]);
                _start += at + 4;
                return head;
            }
            if (_end - _start > MaxHead) throw new InvalidDataException("an HTTP head longer than 64 KiB");
            if (!await FillAsync(ct))
            {
                if (_start == _end) return null;
                throw new IOException("the connection closed in the middle of an HTTP head");
            }
        }
    }

    /// <summary>One CRLF-terminated line, without the CRLF.</summary>
    public async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            int at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at);
                _start += at + 2;
                return line;
            }
            if (!await FillAsync(ct)) throw new IOException("the connection closed in the middle of a line");
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="destination"/>.</summary>
    public async Task CopyAsync(long count, Stream destination, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(ct)) throw new IOException($"the connection closed with {count} bytes of a body still to come");
            int n = (int)Math.Min(count, _end - _start);
            await destination.WriteAsync(_buffer.AsMemory(_start, n), ct);
            _start += n;
            count -= n;
        }
    }

    /// <summary>Copies everything up to the end of the stream.</summary>
    public async Task CopyToEndAsync(Stream destination, CancellationToken ct)
    {
        do
        {
            await destination.WriteAsync(_buffer.AsMemory(_start, _end - _start), ct);
            _start = _end;
        }
        while (await FillAsync(ct));
    }

    /// <summary>Copies a chunked body as it is on the wire (sizes, chunks, trailers).</summary>
    public async Task CopyChunkedAsync(Stream destination, CancellationToken ct)
    {
        while (true)
        {
            var line = await ReadLineAsync(ct);
            await destination.WriteAsync(Encoding.Latin1.GetBytes(line + "\r\n"), ct);
            var sizeText = line.Split(';')[0].Trim();
            long size = long.Parse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                string trailer;
                do
                {
                    trailer = await ReadLineAsync(ct);
                    await destination.WriteAsync(Encoding.Latin1.GetBytes(trailer + "\r\n"), ct);
                }
                while (trailer.Length > 0);
                return;
            }
            await CopyAsync(size + 2, destination, ct);
        }
    }
}
