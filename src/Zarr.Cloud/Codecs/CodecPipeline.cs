using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The codecs of an array, bound to its chunk spec once at open: array → array codecs, one array → bytes
/// codec, bytes → bytes codecs. Decoding runs them in reverse. Synchronous CPU work over spans; callers
/// add the chunk key to errors.
/// </summary>
public sealed class CodecPipeline
{
    private readonly ChunkSpec[] _arraySpecs;

    /// <summary>Binds codecs to a chunk spec.</summary>
    /// <param name="spec">The decoded chunk.</param>
    /// <param name="arrayToArray">Array → array codecs, in encode order.</param>
    /// <param name="arrayToBytes">The array → bytes codec.</param>
    /// <param name="bytesToBytes">Bytes → bytes codecs, in encode order.</param>
    public CodecPipeline(ChunkSpec spec, IReadOnlyList<IArrayToArrayCodec> arrayToArray, IArrayToBytesCodec arrayToBytes, IReadOnlyList<IBytesToBytesCodec> bytesToBytes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        ArrayToArray = arrayToArray;
        ArrayToBytes = arrayToBytes;
        BytesToBytes = bytesToBytes;
        _arraySpecs = new ChunkSpec[arrayToArray.Count + 1];
        _arraySpecs[0] = spec;
        for (int i = 0; i < arrayToArray.Count; i++) _arraySpecs[i + 1] = arrayToArray[i].GetEncodedSpec(_arraySpecs[i]);
    }

    /// <summary>The decoded chunk.</summary>
    public ChunkSpec Spec { get; }

    /// <summary>Array → array codecs, in encode order.</summary>
    public IReadOnlyList<IArrayToArrayCodec> ArrayToArray { get; }

    /// <summary>The array → bytes codec.</summary>
    public IArrayToBytesCodec ArrayToBytes { get; }

    /// <summary>Bytes → bytes codecs, in encode order.</summary>
    public IReadOnlyList<IBytesToBytesCodec> BytesToBytes { get; }

    /// <summary>Every codec in encode order.</summary>
    public IEnumerable<ICodec> Codecs => ArrayToArray.Cast<ICodec>().Append(ArrayToBytes).Concat(BytesToBytes);

    private ChunkSpec BytesSpec => _arraySpecs[^1];

    /// <summary>True when a chunk decodes straight into a caller's buffer (<see cref="TryDecodeInto"/>).</summary>
    public bool CanDecodeInto => ArrayToArray.Count == 0 && ArrayToBytes is BytesCodec;

    /// <summary>Encodes a chunk (of <see cref="Spec"/>) into bytes.</summary>
    /// <param name="chunk">The chunk; not disposed.</param>
    public PooledBuffer Encode(ChunkData chunk)
    {
        ChunkData current = chunk;
        try
        {
            for (int i = 0; i < ArrayToArray.Count; i++)
            {
                var next = ArrayToArray[i].Encode(current, _arraySpecs[i]);
                if (!ReferenceEquals(current, chunk)) current.Dispose();
                current = next;
            }
            var bytes = ArrayToBytes.Encode(current, BytesSpec);
            foreach (var c in BytesToBytes)
            {
                var next = c.Encode(bytes.Span);
                bytes.Dispose();
                bytes = next;
            }
            return bytes;
        }
        finally
        {
            if (!ReferenceEquals(current, chunk)) current.Dispose();
        }
    }

    /// <summary>Decodes a stored chunk.</summary>
    /// <param name="encoded">The stored bytes.</param>
    public ChunkData Decode(ReadOnlySpan<byte> encoded)
    {
        PooledBuffer? tmp = null;
        ChunkData chunk;
        try
        {
            var cur = encoded;
            int? bytesLength = ArrayToBytes.GetEncodedLength(BytesSpec);
            for (int i = BytesToBytes.Count - 1; i >= 0; i--)
            {
                var next = BytesToBytes[i].Decode(cur, i == 0 ? bytesLength : null);
                tmp?.Dispose();
                tmp = next;
                cur = tmp.Span;
            }
            if (ArrayToBytes is BytesCodec bc && tmp is not null)
            {
                bc.DecodeInPlace(tmp.Span, BytesSpec);
                chunk = ChunkData.FromBytes(tmp);
                tmp = null;
            }
            else chunk = ArrayToBytes.Decode(cur, BytesSpec);
        }
        finally
        {
            tmp?.Dispose();
        }
        for (int i = ArrayToArray.Count - 1; i >= 0; i--)
        {
            try
            {
                var next = ArrayToArray[i].Decode(chunk, _arraySpecs[i]);
                chunk.Dispose();
                chunk = next;
            }
            catch
            {
                chunk.Dispose();
                throw;
            }
        }
        return chunk;
    }

    /// <summary>
    /// Decodes a fixed-size chunk straight into <paramref name="destination"/> (exactly <see cref="ChunkSpec.ByteLength"/>
    /// bytes); false when this pipeline cannot (array → array codecs, or an array → bytes codec other than bytes).
    /// </summary>
    /// <param name="encoded">The stored bytes.</param>
    /// <param name="destination">The output.</param>
    public bool TryDecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (!CanDecodeInto) return false;
        var bc = (BytesCodec)ArrayToBytes;
        if (BytesToBytes.Count == 0) return bc.TryDecodeInto(encoded, Spec, destination);
        PooledBuffer? tmp = null;
        try
        {
            var cur = encoded;
            for (int i = BytesToBytes.Count - 1; i >= 1; i--)
            {
                var next = BytesToBytes[i].Decode(cur, null);
                tmp?.Dispose();
                tmp = next;
                cur = tmp.Span;
            }
            BytesToBytes[0].DecodeInto(cur, destination);
        }
        finally
        {
            tmp?.Dispose();
        }
        bc.DecodeInPlace(destination, Spec);
        return true;
    }
}
