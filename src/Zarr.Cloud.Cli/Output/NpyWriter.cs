using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// Writes NumPy's .npy format, version 1.0: the magic, a header dict (<c>descr</c>, <c>fortran_order</c>,
/// <c>shape</c>) padded with spaces to a multiple of 64 bytes and ending in a newline, then the elements in
/// C order, little-endian whatever the array's stored byte order.
/// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
/// </summary>
internal sealed class NpyWriter : IArraySink
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
    private readonly Stream _stream;
    private readonly ZarrDataType _dataType;
    private readonly byte[] _element;

    /// <summary>Creates a writer.</summary>
    /// <param name="stream">The output; disposed with the writer.</param>
    /// <param name="dataType">The elements' type.</param>
    /// <exception cref="UsageException">Variable-length strings, which .npy holds only as pickled objects.</exception>
    public NpyWriter(Stream stream, ZarrDataType dataType)
    {
        CheckSupported(dataType);
        _stream = stream;
        _dataType = dataType;
        _element = new byte[dataType.ItemSize];
    }

    /// <summary>Throws when .npy cannot hold <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The type.</param>
    public static void CheckSupported(ZarrDataType dataType)
    {
        if (!dataType.IsFixedSize)
            throw new UsageException($"an .npy file cannot hold variable-length strings (data type {dataType}) without pickle; write .json instead");
    }

    /// <summary>The NumPy type string, little-endian: "&lt;f4", "|b1", "&lt;M8[ns]", "|S7", "&lt;U13".</summary>
    /// <param name="dataType">The type.</param>
    public static string Descr(ZarrDataType dataType) => dataType.AsLittleEndian().ToV2String();

    /// <summary>The header, padded so the data starts at a multiple of 64 bytes.</summary>
    /// <param name="dataType">The type.</param>
    /// <param name="shape">The shape.</param>
    public static byte[] Header(ZarrDataType dataType, long[] shape)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '{Descr(dataType)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int unpadded = Magic.Length + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        var text = dict + new string(' ', padding) + "\n";
        if (text.Length > ushort.MaxValue) throw new UsageException($"the .npy header of shape [{string.Join(", ", shape)}] is too long for format version 1.0");
        var header = new byte[Magic.Length + 2 + text.Length];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(Magic.Length), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + 2));
        return header;
    }

    /// <inheritdoc />
    public void Begin(long[] shape) => _stream.Write(Header(_dataType, shape));

    /// <inheritdoc />
    public void Write<T>(ReadOnlySpan<T> values)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Numbers, bool, complex, datetimes: the SDK reads them little-endian, as .npy wants.
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Writing .npy needs a little-endian machine.");
            _stream.Write(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), checked(values.Length * Unsafe.SizeOf<T>())));
            return;
        }
        foreach (var v in values)
        {
            Array.Clear(_element);
            switch (v)
            {
                case byte[] bytes:
                    bytes.AsSpan(0, Math.Min(bytes.Length, _element.Length)).CopyTo(_element);
                    break;
                case string s:
                    Encoding.UTF32.GetBytes(s, _element);
                    break;
            }
            _stream.Write(_element);
        }
    }

    /// <inheritdoc />
    public void Complete() => _stream.Flush();

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
