using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Tests.Support;

public static class CodecTestHelpers
{
    public static ChunkSpec Spec(ZarrDataType type, params int[] shape) => new(shape, type, FillValue.Default(type));

    /// <summary>A chunk of fixed-size elements holding a copy of <paramref name="bytes"/>.</summary>
    public static ChunkData Chunk(byte[] bytes) => ChunkData.FromBytes(PooledBuffer.CopyOf(bytes));

    public static byte[] Bytes(this ChunkData chunk) => chunk.Bytes!.Span.ToArray();

    public static byte[] ToArrayAndDispose(this PooledBuffer buffer)
    {
        using (buffer) return buffer.Span.ToArray();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
