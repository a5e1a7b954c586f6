using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Zarr.Cloud.Codecs;

/// <summary>Byte-order swaps of whole buffers (vectorised by the runtime).</summary>
internal static class Endianness
{
    public static void SwapInPlace(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 1: return;
            case 2: var s = MemoryMarshal.Cast<byte, ushort>(data); BinaryPrimitives.ReverseEndianness(s, s); return;
            case 4: var i = MemoryMarshal.Cast<byte, uint>(data); BinaryPrimitives.ReverseEndianness(i, i); return;
            case 8: var l = MemoryMarshal.Cast<byte, ulong>(data); BinaryPrimitives.ReverseEndianness(l, l); return;
            default:
                for (int o = 0; o + unit <= data.Length; o += unit) data.Slice(o, unit).Reverse();
                return;
        }
    }
}
