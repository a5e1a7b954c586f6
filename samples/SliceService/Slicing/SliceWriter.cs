using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;

namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>
/// Writes a slice to a <see cref="PipeWriter"/> (the response body) in one <see cref="SliceFormat"/>, part by part as the
/// parts are read, flushing after each so the response streams and memory stays at one part.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SliceWriter<T> where T : unmanaged
{
    private static readonly byte[] NpyMagic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
    private readonly PipeWriter _output;
    private readonly SliceFormat _format;
    private readonly int[] _shape;
    private readonly int[] _index; // the C-order index of the next element, for the line breaks and brackets of csv and json
    private bool _first = true;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">The response body.</param>
    /// <param name="format">The format.</param>
    /// <param name="shape">The slice's shape.</param>
    public SliceWriter(PipeWriter output, SliceFormat format, int[] shape)
    {
        _output = output;
        _format = format;
        _shape = shape;
        _index = new int[shape.Length];
    }

    /// <summary>The NumPy type string of <typeparamref name="T"/>, little-endian (<c>&lt;i2</c>, <c>|b1</c>, <c>&lt;f4</c>).</summary>
    /// <param name="dataType">The array's data type (for datetime units).</param>
    public static string Descr(Metadata.ZarrDataType dataType) => dataType.AsLittleEndian().ToV2String();

    /// <summary>The length of the whole response for the binary formats; null for text.</summary>
    /// <param name="format">The format.</param>
    /// <param name="dataType">The data type.</param>
    /// <param name="shape">The shape.</param>
    public static long? ContentLength(SliceFormat format, Metadata.ZarrDataType dataType, int[] shape)
    {
        long data = shape.Aggregate((long)Marshal.SizeOf<T>(), (n, s) => n * s);
        return format switch
        {
            SliceFormat.Bin => data,
            SliceFormat.Npy => NpyHeader(dataType, shape).Length + data,
            _ => null,
        };
    }

    /// <summary>The .npy header: magic, version 1.0, the dict padded with spaces to a multiple of 64 bytes and a newline.</summary>
    public static byte[] NpyHeader(Metadata.ZarrDataType dataType, int[] shape)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{Descr(dataType)}', 'fortran_order': False, 'shape': ({dims}), }}";
        int length = dict.Length + 1;
        length += (64 - (NpyMagic.Length + 2 + length) % 64) % 64;
        var header = new byte[NpyMagic.Length + 2 + length];
        NpyMagic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(NpyMagic.Length), (ushort)length);
        var text = header.AsSpan(NpyMagic.Length + 2);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return header;
    }

    /// <summary>Writes what comes before the elements.</summary>
    /// <param name="dataType">The array's data type.</param>
    /// <param name="cancellationToken">The request's RequestAborted.</param>
    public async ValueTask BeginAsync(Metadata.ZarrDataType dataType, CancellationToken cancellationToken)
    {
        switch (_format)
        {
            case SliceFormat.Npy:
                _output.Write(NpyHeader(dataType, _shape));
                break;
            case SliceFormat.Json:
                WriteAscii($"{{\"shape\":[{string.Join(",", _shape)}],\"dtype\":\"{Descr(dataType)}\",\"data\":");
                // An empty slice's data is [] whatever its shape; a 0-d one is a bare value.
                if (_shape.Any(s => s == 0)) WriteAscii("[]");
                else WriteAscii(new string('[', _shape.Length));
                break;
        }
        await _output.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the next part's elements and flushes them to the client.</summary>
    public async ValueTask WritePartAsync(T[] part, CancellationToken cancellationToken)
    {
        if (_format is SliceFormat.Bin or SliceFormat.Npy) WriteRaw(part);
        else WriteText(part);
        var flushed = await _output.FlushAsync(cancellationToken);
        if (flushed.IsCanceled) throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Writes what comes after the elements.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_format == SliceFormat.Json) WriteAscii("}");
        await _output.FlushAsync(cancellationToken);
    }

    private void WriteRaw(T[] part)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The binary formats need a little-endian machine.");
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(part.AsSpan());
        while (bytes.Length > 0)
        {
            var span = _output.GetSpan(Math.Min(bytes.Length, 64 * 1024));
            int n = Math.Min(span.Length, bytes.Length);
            bytes[..n].CopyTo(span);
            _output.Advance(n);
            bytes = bytes[n..];
        }
    }

    private void WriteText(T[] part)
    {
        bool json = _format == SliceFormat.Json;
        foreach (var value in part)
        {
            if (!_first) WriteAscii(",");
            _first = false;
            WriteElement(value, json);
            // Advance the C-order index; each axis that wraps closes a bracket (json) or a line (csv, last axis).
            int rank = _shape.Length, d = rank - 1;
            while (d >= 0 && ++_index[d] == _shape[d])
            {
                _index[d] = 0;
                d--;
            }
            int closed = rank - 1 - d;
            if (json && closed > 0)
            {
                WriteAscii(new string(']', closed));
                if (d >= 0) WriteAscii("," + new string('[', closed));
                _first = true;
            }
            else if (!json && (closed > 0 || rank == 0))
            {
                WriteAscii("\n");
                _first = true;
            }
        }
    }

    private void WriteElement(T value, bool json)
    {
        var span = _output.GetSpan(40);
        int n;
        switch (value)
        {
            case bool b:
                n = Encoding.ASCII.GetBytes(json ? (b ? "true" : "false") : (b ? "1" : "0"), span);
                break;
            case float f when json && !float.IsFinite(f):
            case double x when json && !double.IsFinite(x):
            case Half h when json && !Half.IsFinite(h):
                n = Encoding.ASCII.GetBytes("null", span);
                break;
            default:
                if (!((IUtf8SpanFormattable)value).TryFormat(span, out n, default, CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"A {typeof(T).Name} did not fit 40 bytes.");
                break;
        }
        _output.Advance(n);
    }

    private void WriteAscii(string text) => _output.Write(Encoding.ASCII.GetBytes(text));
}
