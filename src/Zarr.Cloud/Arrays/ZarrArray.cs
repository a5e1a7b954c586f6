using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// A chunked N-dimensional array in a store (Zarr v2 or v3). Reads and writes selections; chunks are
/// fetched, decoded and encoded concurrently, up to <see cref="ZarrOpenOptions.MaxConcurrency"/> at once.
/// </summary>
public partial class ZarrArray : ZarrNode
{
    private readonly object _gate = new();
    private ArrayMetadata _metadata;
    private ChunkGrid _grid;

    /// <summary>Wraps metadata already read. Use <see cref="OpenAsync(IAsyncStore, string, ZarrOpenOptions?, CancellationToken)"/> or <see cref="CreateAsync"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The array path.</param>
    /// <param name="metadata">The metadata.</param>
    /// <param name="options">Options.</param>
    protected internal ZarrArray(IAsyncStore store, string path, ArrayMetadata metadata, ZarrOpenOptions options) : base(store, path, options)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        _metadata = metadata;
        _grid = new ChunkGrid(metadata.Shape, metadata.ChunkShape);
        Pipeline = metadata.CreatePipeline(options.Codecs, MetadataKey);
    }

    /// <summary>The metadata (replaced by resizes and attribute changes).</summary>
    public ArrayMetadata Metadata { get { lock (_gate) return _metadata; } }

    /// <inheritdoc />
    public override int ZarrFormat => Metadata.ZarrFormat;

    /// <inheritdoc />
    public override JsonObject Attributes => (JsonObject)Metadata.Attributes.DeepClone();

    /// <summary>The shape.</summary>
    public long[] Shape => (long[])Metadata.Shape.Clone();

    /// <summary>The chunk shape.</summary>
    public int[] ChunkShape => (int[])Metadata.ChunkShape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => Metadata.Rank;

    /// <summary>The element type.</summary>
    public ZarrDataType DataType => Metadata.DataType;

    /// <summary>The fill value.</summary>
    public FillValue FillValue => Metadata.FillValue;

    /// <summary>The codecs bound to this array's chunks.</summary>
    public CodecPipeline Pipeline { get; }

    private ChunkGrid Grid { get { lock (_gate) return _grid; } }

    private string MetadataKey => KeyOf(Metadata.ZarrFormat == 3 ? "zarr.json" : ".zarray");

    /// <summary>Opens the array at a URL or path.</summary>
    /// <param name="url">The URL or path.</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">No array is there (a group is not an array).</exception>
    public static new async Task<ZarrArray> OpenAsync(string url, ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
        => AsArray(await ZarrNode.OpenAsync(url, options, cancellationToken).ConfigureAwait(false));

    /// <summary>Opens the array at <paramref name="path"/> in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The array path.</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">No array is there.</exception>
    public static new async Task<ZarrArray> OpenAsync(IAsyncStore store, string path = "", ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
        => AsArray(await ZarrNode.OpenAsync(store, path, options, cancellationToken).ConfigureAwait(false));

    private static ZarrArray AsArray(ZarrNode node) => node as ZarrArray
        ?? throw new ZarrNodeNotFoundException(node.Path, node.Store.ToString() ?? "the store", "array");

    /// <summary>Creates an array (and any missing parent groups) and writes its metadata.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The array path.</param>
    /// <param name="definition">What the array is.</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <exception cref="IOException">A node exists there and <see cref="ZarrArrayDefinition.Overwrite"/> is false.</exception>
    public static async Task<ZarrArray> CreateAsync(IAsyncStore store, string path, ZarrArrayDefinition definition, ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new ZarrOpenOptions();
        path = StoreKeys.NormalizePath(path);
        var metadata = definition.ToMetadata();
        await Hierarchy.PrepareNodeAsync(store, path, metadata.ZarrFormat, definition.Overwrite, cancellationToken).ConfigureAwait(false);
        var array = new ZarrArray(store, path, metadata, options);
        await array.WriteMetadataAsync(metadata, cancellationToken).ConfigureAwait(false);
        return array;
    }

    private async Task WriteMetadataAsync(ArrayMetadata metadata, CancellationToken ct)
    {
        if (metadata.ZarrFormat == 3)
        {
            await Store.SetJsonAsync(KeyOf("zarr.json"), metadata.ToV3Json(), ct).ConfigureAwait(false);
            return;
        }
        await Store.SetJsonAsync(KeyOf(".zarray"), metadata.ToV2Json(), ct).ConfigureAwait(false);
        if (metadata.Attributes.Count > 0) await Store.SetJsonAsync(KeyOf(".zattrs"), metadata.Attributes, ct).ConfigureAwait(false);
        else await Store.DeleteAsync(KeyOf(".zattrs"), ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task SetAttributesAsync(JsonObject attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArrayMetadata updated;
        lock (_gate) updated = _metadata = _metadata.WithAttributes(attributes);
        if (updated.ZarrFormat == 3) await Store.SetJsonAsync(KeyOf("zarr.json"), updated.ToV3Json(), cancellationToken).ConfigureAwait(false);
        else await Store.SetJsonAsync(KeyOf(".zattrs"), updated.Attributes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The store key of the chunk at <paramref name="coordinates"/>.</summary>
    /// <param name="coordinates">Chunk coordinates.</param>
    public string GetChunkKey(ReadOnlySpan<long> coordinates) => KeyOf(Metadata.ChunkKeyEncoding.Encode(coordinates));

    /// <summary>The shape a selection reads into (integer indices drop their axis).</summary>
    /// <param name="selection">The selection.</param>
    public int[] GetSelectionShape(Selection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return OutputShape(selection.Resolve(Metadata.Shape), squeeze: true);
    }

    private static int[] OutputShape(ResolvedAxis[] resolved, bool squeeze)
    {
        long total = 1;
        var shape = new List<int>();
        foreach (var r in resolved)
        {
            total *= r.Count;
            if (r.Count > int.MaxValue) throw new ArgumentException($"A selection of {r.Count} elements along one axis is more than one .NET array holds.");
            if (!(squeeze && r.Squeeze)) shape.Add((int)r.Count);
        }
        if (total > Array.MaxLength) throw new ArgumentException($"The selection has {total} elements, more than one .NET array holds; read it in parts or stream it.");
        return shape.ToArray();
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Reads a selection: <c>await array.ReadAsync&lt;float&gt;(0..10, ^100.., 5)</c>.</summary>
    /// <typeparam name="T">The element type: <see cref="ZarrDataType.ClrType"/> of the array's type.</typeparam>
    /// <param name="selection">One item per leading axis; axes not named are read whole.</param>
    public Task<NDArray<T>> ReadAsync<T>(params AxisSelection[] selection) => ReadAsync<T>(new Selection(selection), CancellationToken.None);

    /// <summary>Reads a selection into a new <see cref="NDArray{T}"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="ZarrDataType.ClrType"/> of the array's type.</typeparam>
    /// <param name="selection">The selection; <see cref="Selection.All"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the data type, or the selection is bad.</exception>
    /// <exception cref="ZarrCodecException">A chunk does not decode.</exception>
    public virtual async Task<NDArray<T>> ReadAsync<T>(Selection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        CheckType<T>();
        var resolved = selection.Resolve(Metadata.Shape);
        var shape = OutputShape(resolved, squeeze: true);
        // A read writes every element (decoded or filled), so a blittable output need not be zeroed first:
        // that would be a serial memset of the whole output (8 to 20 ms for 512 MiB here) before any decoding.
        var result = IsBlittable<T>()
            ? new NDArray<T>(GC.AllocateUninitializedArray<T>(checked((int)resolved.Aggregate(1L, (a, r) => a * r.Count))), shape)
            : NDArray<T>.Zeros(shape);
        await ReadCoreAsync(resolved, result.Data, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reads a selection into an array whose element type is the data type's <see cref="ZarrDataType.ClrType"/>.</summary>
    /// <param name="selection">The selection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public virtual async Task<INDArray> ReadAsync(Selection selection, CancellationToken cancellationToken = default)
    {
        var method = typeof(ZarrArray).GetMethod(nameof(ReadUntypedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(DataType.ClrType);
        return await ((Task<INDArray>)method.Invoke(this, [selection, cancellationToken])!).ConfigureAwait(false);
    }

    private async Task<INDArray> ReadUntypedAsync<T>(Selection selection, CancellationToken ct) => await ReadAsync<T>(selection, ct).ConfigureAwait(false);

    /// <summary>Reads a selection into <paramref name="destination"/> (C order of the selection's shape).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="selection">The selection.</param>
    /// <param name="destination">At least as many elements as the selection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public virtual async Task ReadAsync<T>(Selection selection, Memory<T> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        CheckType<T>();
        var resolved = selection.Resolve(Metadata.Shape);
        long total = resolved.Aggregate(1L, (a, r) => a * r.Count);
        if (destination.Length < total) throw new ArgumentException($"The destination holds {destination.Length} elements, the selection has {total}.", nameof(destination));
        if (MemoryMarshal.TryGetArray<T>(destination, out var segment) && segment.Offset == 0 && segment.Array!.Length == total)
        {
            await ReadCoreAsync(resolved, segment.Array, cancellationToken).ConfigureAwait(false);
            return;
        }
        var tmp = new T[total];
        await ReadCoreAsync(resolved, tmp, cancellationToken).ConfigureAwait(false);
        tmp.CopyTo(destination);
    }

    private void CheckType<T>()
    {
        var clr = DataType.ClrType;
        if (typeof(T) != clr)
            throw new ArgumentException($"Array '{Path}' has data type {DataType}, read and written as {clr.Name}, not {typeof(T).Name}.");
    }

    private static bool IsBlittable<T>() => !RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    private async Task ReadCoreAsync<T>(ResolvedAxis[] resolved, T[] output, CancellationToken ct)
    {
        var outShape = resolved.Select(r => (int)r.Count).ToArray();
        var dt = DataType;
        if (output.Length == 0) return;
        if (!dt.IsFixedSize)
        {
            var strings = (string?[])(object)output;
            await ReadChunksAsync(resolved, outShape, new OutputTarget(null, strings, 1), ct).ConfigureAwait(false);
            return;
        }
        if (IsBlittable<T>())
        {
            var pin = new ArrayByteView<T>(output);
            await ReadChunksAsync(resolved, outShape, new OutputTarget(pin, null, dt.ItemSize), ct).ConfigureAwait(false);
            if (dt.Kind == DataTypeKind.Bool) NormalizeBool(AsBytes(output));
            return;
        }
        // |S and <U: read raw elements, then convert.
        using var raw = new PooledBuffer(checked(output.Length * dt.ItemSize));
        var view = new PooledByteView(raw);
        await ReadChunksAsync(resolved, outShape, new OutputTarget(view, null, dt.ItemSize), ct).ConfigureAwait(false);
        ConvertFromRaw(raw.Span, output, dt);
    }

    private static void NormalizeBool(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] > 1) bytes[i] = 1;
    }

    private static void ConvertFromRaw<T>(ReadOnlySpan<byte> raw, T[] output, ZarrDataType dt)
    {
        int w = dt.ItemSize;
        if (dt.Kind == DataTypeKind.FixedBytes)
        {
            var o = (byte[]?[])(object)output;
            for (int i = 0; i < o.Length; i++) o[i] = ElementCodec.ReadFixedBytes(raw.Slice(i * w, w));
        }
        else
        {
            var o = (string?[])(object)output;
            for (int i = 0; i < o.Length; i++) o[i] = ElementCodec.ReadFixedUnicode(raw.Slice(i * w, w));
        }
    }

    /// <summary>Where a read writes: bytes of fixed-size elements, or strings.</summary>
    private sealed record OutputTarget(IByteView? Bytes, string?[]? Strings, int Width);

    private interface IByteView
    {
        Span<byte> Span { get; }
    }

    private sealed class ArrayByteView<T>(T[] array) : IByteView
    {
        public Span<byte> Span => AsBytes(array);
    }

    /// <summary>The bytes of an array of a blittable type (checked by the caller).</summary>
    private static Span<byte> AsBytes<T>(T[] array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(array)), checked(array.Length * Unsafe.SizeOf<T>()));

    private sealed class PooledByteView(PooledBuffer buffer) : IByteView
    {
        public Span<byte> Span => buffer.Span;
    }

    private async Task ReadChunksAsync(ResolvedAxis[] resolved, int[] outShape, OutputTarget target, CancellationToken ct)
    {
        var grid = Grid;
        var projections = grid.Project(resolved);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(projections, po, async (p, token) =>
        {
            var key = GetChunkKey(p.Coordinates);
            if (await TryReadPartialAsync(p, key, outShape, target, token).ConfigureAwait(false)) return;
            using var value = await Store.GetAsync(key, default, token).ConfigureAwait(false);
            if (value is null)
            {
                if (Options.MissingChunks == MissingChunkBehavior.Throw) throw new ZarrChunkNotFoundException(key);
                FillOutput(p, outShape, target);
                return;
            }
            try
            {
                DecodeIntoOutput(p, value.Span, outShape, target);
            }
            catch (ZarrCodecException e)
            {
                throw e.WithKey(key);
            }
        }).ConfigureAwait(false);
    }

    private void FillOutput(ChunkProjection p, int[] outShape, OutputTarget target) => FillRegion(p.Axes, outShape, target);

    private void DecodeIntoOutput(ChunkProjection p, ReadOnlySpan<byte> encoded, int[] outShape, OutputTarget target)
        => DecodeRegion(Pipeline, Metadata.ChunkShape, p.Axes, encoded, outShape, target);

    /// <summary>True when a region of <paramref name="count"/> at <paramref name="start"/> is one contiguous run of the C-order output.</summary>
    private static bool IsContiguous(ReadOnlySpan<int> count, int[] outShape, out long offset, ReadOnlySpan<int> start)
    {
        offset = 0;
        long stride = 1;
        for (int d = outShape.Length - 1; d >= 0; d--) { offset += start[d] * stride; stride *= outShape[d]; }
        int first = -1;
        for (int d = 0; d < count.Length && first < 0; d++) if (count[d] > 1) first = d;
        if (first < 0) return true;
        for (int d = first + 1; d < count.Length; d++) if (count[d] != outShape[d]) return false;
        return true;
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Writes <paramref name="data"/> at the origin, covering its shape (the whole array when shapes match).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The data, of the array's rank.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task WriteAsync<T>(NDArray<T> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != Rank) throw new ArgumentException($"The data has rank {data.Rank}, the array {Rank}.", nameof(data));
        return WriteAsync(new Selection(data.Shape.Select(s => (AxisSelection)new Slice(0, s)).ToArray()), data, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="data"/> into a selection. Chunks partly covered are read, modified and rewritten;
    /// chunks that end up all fill value are deleted unless <see cref="ZarrOpenOptions.WriteEmptyChunks"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="selection">Where to write.</param>
    /// <param name="data">The data; its shape must be the selection's.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">Shape or type mismatch, or a selection out of bounds.</exception>
    public virtual async Task WriteAsync<T>(Selection selection, NDArray<T> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(data);
        CheckType<T>();
        var resolved = selection.Resolve(Metadata.Shape);
        var squeezed = OutputShape(resolved, squeeze: true);
        var full = OutputShape(resolved, squeeze: false);
        if (!data.Shape.SequenceEqual(squeezed) && !data.Shape.SequenceEqual(full))
            throw new ArgumentException($"The data has shape [{string.Join(", ", data.Shape)}], the selection [{string.Join(", ", squeezed)}].", nameof(data));
        if (data.Length == 0) return;
        var dt = DataType;
        if (!dt.IsFixedSize)
        {
            await WriteChunksAsync(resolved, full, new OutputTarget(null, (string?[])(object)data.Data, 1), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (IsBlittable<T>())
        {
            await WriteChunksAsync(resolved, full, new OutputTarget(new ArrayByteView<T>(data.Data), null, dt.ItemSize), cancellationToken).ConfigureAwait(false);
            return;
        }
        using var raw = new PooledBuffer(checked(data.Length * dt.ItemSize));
        int w = dt.ItemSize;
        for (int i = 0; i < data.Length; i++)
        {
            var slot = raw.Span.Slice(i * w, w);
            if (dt.Kind == DataTypeKind.FixedBytes) ElementCodec.WriteFixedBytes((byte[]?)(object?)data.Data[i], slot);
            else ElementCodec.WriteFixedUnicode((string?)(object?)data.Data[i], slot);
        }
        await WriteChunksAsync(resolved, full, new OutputTarget(new PooledByteView(raw), null, w), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteChunksAsync(ResolvedAxis[] resolved, int[] inShape, OutputTarget source, CancellationToken ct)
    {
        var grid = Grid;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(grid.Project(resolved), po, async (p, token) =>
        {
            var key = GetChunkKey(p.Coordinates);
            ChunkData chunk;
            if (p.CoversChunkInsideArray)
            {
                chunk = ChunkData.Filled(Pipeline.Spec);
            }
            else
            {
                using var existing = await Store.GetAsync(key, default, token).ConfigureAwait(false);
                try
                {
                    chunk = existing is null ? ChunkData.Filled(Pipeline.Spec) : Pipeline.Decode(existing.Span);
                }
                catch (ZarrCodecException e)
                {
                    throw e.WithKey(key);
                }
            }
            PooledBuffer? encoded = null;
            bool empty;
            try
            {
                Scatter(p, inShape, source, chunk);
                empty = !Options.WriteEmptyChunks && chunk.IsAllFill(Pipeline.Spec);
                if (!empty) encoded = Pipeline.Encode(chunk);
            }
            catch (ZarrCodecException e)
            {
                throw e.WithKey(key);
            }
            finally
            {
                chunk.Dispose();
            }
            using (encoded)
            {
                ShardIndexes.Remove(key);
                if (empty) await Store.DeleteAsync(key, token).ConfigureAwait(false);
                else await Store.SetAsync(key, encoded!.Memory, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private void Scatter(ChunkProjection p, int[] inShape, OutputTarget source, ChunkData chunk)
    {
        var srcStart = p.Axes.Select(a => (int)a.OutputStart).ToArray();
        var dstStart = p.Axes.Select(a => a.Start).ToArray();
        var dstStep = p.Axes.Select(a => a.Step).ToArray();
        var count = p.Axes.Select(a => a.Count).ToArray();
        var chunkShape = Metadata.ChunkShape;
        if (source.Strings is { } s)
            StridedCopy.ScatterRegion<string?>(s, inShape, srcStart, chunk.Strings!, chunkShape, dstStart, dstStep, count, 1);
        else
            StridedCopy.ScatterRegion<byte>(source.Bytes!.Span, inShape, srcStart, chunk.Bytes!.Span, chunkShape, dstStart, dstStep, count, source.Width);
    }

    // ---------------------------------------------------------------- shape changes

    /// <summary>
    /// Changes the shape and rewrites the metadata. Chunks wholly outside the new shape are deleted; elements of
    /// kept chunks that fall outside are reset to the fill value, so growing again shows the fill value there.
    /// </summary>
    /// <param name="shape">The new shape (same rank).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public virtual async Task ResizeAsync(long[] shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != Rank) throw new ArgumentException($"The new shape has {shape.Length} dimensions, the array {Rank}.", nameof(shape));
        if (shape.Any(s => s < 0)) throw new ArgumentException("The shape must not be negative.", nameof(shape));
        var old = Metadata;
        var updated = old.WithShape(shape);
        var oldGrid = new ChunkGrid(old.Shape, old.ChunkShape);
        var newGrid = new ChunkGrid(shape, old.ChunkShape);
        // Elements of the old array outside the new shape: delete whole chunks, reset the cut parts of kept ones.
        var shrinking = Enumerable.Range(0, Rank).Where(d => shape[d] < old.Shape[d]).ToList();
        if (shrinking.Count > 0)
        {
            var po = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrency, CancellationToken = cancellationToken };
            var all = new Selection(old.Shape.Select(_ => AxisSelection.All).ToArray()).Resolve(old.Shape);
            await Parallel.ForEachAsync(oldGrid.Project(all), po, async (p, token) =>
            {
                bool outside = false, cut = false;
                for (int d = 0; d < Rank; d++)
                {
                    long start = p.Coordinates[d] * old.ChunkShape[d];
                    long end = Math.Min(start + old.ChunkShape[d], old.Shape[d]);
                    if (start >= shape[d]) outside = true;
                    else if (end > shape[d]) cut = true;
                }
                var key = GetChunkKey(p.Coordinates);
                ShardIndexes.Remove(key);
                if (outside) await Store.DeleteAsync(key, token).ConfigureAwait(false);
                else if (cut) await ResetOutsideAsync(key, p.Coordinates, shape, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        lock (_gate)
        {
            _metadata = updated;
            _grid = newGrid;
        }
        await WriteMetadataAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    private async Task ResetOutsideAsync(string key, long[] coords, long[] newShape, CancellationToken ct)
    {
        using var existing = await Store.GetAsync(key, default, ct).ConfigureAwait(false);
        if (existing is null) return;
        ChunkData chunk;
        try { chunk = Pipeline.Decode(existing.Span); }
        catch (ZarrCodecException e) { throw e.WithKey(key); }
        using (chunk)
        {
            var cs = Metadata.ChunkShape;
            // Fill, axis by axis, the slab of the chunk beyond the new edge.
            for (int d = 0; d < Rank; d++)
            {
                long inside = newShape[d] - coords[d] * cs[d];
                if (inside >= cs[d]) continue;
                var start = new int[Rank];
                var count = (int[])cs.Clone();
                start[d] = (int)inside;
                count[d] = cs[d] - (int)inside;
                if (chunk.Strings is { } s) StridedCopy.FillRegion<string?>([FillValue.Text], s, cs, start, count);
                else StridedCopy.FillRegion(FillValue.Bytes, chunk.Bytes!.Span, cs, start, count);
            }
            if (!Options.WriteEmptyChunks && chunk.IsAllFill(Pipeline.Spec))
            {
                await Store.DeleteAsync(key, ct).ConfigureAwait(false);
                return;
            }
            using var encoded = Pipeline.Encode(chunk);
            await Store.SetAsync(key, encoded.Memory, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Grows the array along <paramref name="axis"/> and writes <paramref name="data"/> into the new part.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The data: the array's shape on every other axis.</param>
    /// <param name="axis">The axis to grow (default 0).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public virtual async Task AppendAsync<T>(NDArray<T> data, int axis = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckType<T>();
        var shape = Shape;
        if (axis < 0 || axis >= Rank) throw new ArgumentOutOfRangeException(nameof(axis), axis, $"The axis must be 0..{Rank - 1}.");
        if (data.Rank != Rank) throw new ArgumentException($"The data has rank {data.Rank}, the array {Rank}.", nameof(data));
        for (int d = 0; d < Rank; d++)
            if (d != axis && data.Shape[d] != shape[d]) throw new ArgumentException($"The data has {data.Shape[d]} elements along axis {d}, the array {shape[d]}.", nameof(data));
        var newShape = (long[])shape.Clone();
        newShape[axis] += data.Shape[axis];
        await ResizeAsync(newShape, cancellationToken).ConfigureAwait(false);
        var sel = new AxisSelection[Rank];
        for (int d = 0; d < Rank; d++) sel[d] = d == axis ? new Slice(shape[axis], newShape[axis]) : AxisSelection.All;
        await WriteAsync(new Selection(sel), data, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"ZarrArray(v{ZarrFormat} '{Path}' [{string.Join(", ", Metadata.Shape)}] {DataType}, chunks [{string.Join(", ", Metadata.ChunkShape)}])";
}
