using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>crc32c</c> codec: appends the CRC-32C (Castagnoli) of the data, 4 bytes little-endian, and
/// checks it on decode. Uses the CPU's CRC32 instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/crc32c/index.html
/// </summary>
public sealed class Crc32cCodec : IBytesToBytesCodec
{
    /// <inheritdoc />
    public string Name => "crc32c";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name };

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var w in words) crc = BitOperations.Crc32C(crc, w);
        foreach (var b in data[(words.Length * 8)..]) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded) => ChecksumFrame.Encode(decoded, Compute(decoded), atEnd: true);

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
        => ChecksumFrame.Decode(ChecksumFrame.Check(encoded, true, Compute, Name), expectedLength, Name);

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
        => ChecksumFrame.DecodeInto(ChecksumFrame.Check(encoded, true, Compute, Name), destination, Name);
}
