using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>The step bytes → bytes codecs of a known decoded length share: rent a buffer, decode into it, return it.</summary>
internal static class DecodeBuffers
{
    /// <summary>Decodes <paramref name="encoded"/> with <paramref name="codec"/> into a new buffer of <paramref name="length"/> bytes.</summary>
    /// <param name="codec">The codec.</param>
    /// <param name="encoded">The bytes.</param>
    /// <param name="length">The decoded length.</param>
    public static PooledBuffer DecodeNew(IBytesToBytesCodec codec, ReadOnlySpan<byte> encoded, int length)
    {
        var b = new PooledBuffer(length);
        try
        {
            codec.DecodeInto(encoded, b.Span);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }
}
