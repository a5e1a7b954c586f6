using System.Runtime.CompilerServices;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Arrays;

/// <summary>Streaming reads: a selection handed over part by part, in bounded memory.</summary>
public partial class ZarrArray
{
    /// <summary>Streams a selection part by part: <c>await foreach (var part in array.StreamAsync&lt;float&gt;(0..10, ^100..))</c>.</summary>
    /// <typeparam name="T">The element type: <see cref="Metadata.ZarrDataType.ClrType"/> of the array's type.</typeparam>
    /// <param name="selection">One item per leading axis; axes not named are read whole.</param>
    public IAsyncEnumerable<ArrayPart<T>> StreamAsync<T>(params AxisSelection[] selection) => StreamAsync<T>(new Selection(selection));

    /// <summary>
    /// Streams a selection part by part, one part per chunk (or shard) it touches: the selection's intersection with
    /// that chunk, with its place in the output and its data. Parts come in C order of the chunk grid with read-ahead,
    /// or as they complete (<see cref="StreamOptions.Ordered"/>); decoded bytes held at once stay within
    /// <see cref="StreamOptions.MaxBytesInFlight"/>, so a selection of any size streams in bounded memory. Stopping
    /// the enumeration (breaking out of <c>await foreach</c>, or <paramref name="cancellationToken"/>) cancels
    /// outstanding reads and waits for them to let go of their buffers.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="Metadata.ZarrDataType.ClrType"/> of the array's type.</typeparam>
    /// <param name="selection">The selection; <see cref="Selection.All"/> for everything.</param>
    /// <param name="options">Ordering, memory bound, concurrency, progress; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the data type, the selection is bad, or an option is out of range (thrown at the call, before enumerating).</exception>
    /// <exception cref="Codecs.ZarrCodecException">A chunk does not decode (thrown at its part, naming its key).</exception>
    public virtual IAsyncEnumerable<ArrayPart<T>> StreamAsync<T>(Selection selection, StreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        CheckType<T>();
        options ??= new StreamOptions();
        options.Validate();
        var resolved = selection.Resolve(Metadata.Shape);
        return StreamCoreAsync<T>(resolved, options, cancellationToken);
    }

    private async IAsyncEnumerable<ArrayPart<T>> StreamCoreAsync<T>(ResolvedAxis[] resolved, StreamOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grid = Grid;
        int elementBytes = ElementBytes;
        var counter = options.Progress is { } sink ? new ProgressCounter(sink, grid.CountChunks(resolved), elementBytes) : null;
        counter?.Start();
        int concurrency = options.MaxConcurrency ?? Options.MaxConcurrency;
        // Decodes bounded apart from requests, as in ReadAsync (not disposed: a shared cache load may outlive the stream).
        var decodeSlots = new SemaphoreSlim(Options.DecodeParallelism);
        await using var parts = new PartStream<T>(grid.Project(resolved), p => p.ElementCount * elementBytes, (p, ct) => ReadPartAsync<T>(grid, resolved, p, decodeSlots, ct), options, concurrency, cancellationToken);
        while (await parts.NextAsync(cancellationToken).ConfigureAwait(false) is { } part)
        {
            counter?.ChunkDone(part.Data.Length);
            yield return part;
        }
    }

    /// <summary>Reads one part: the chunk region <paramref name="p"/> takes, into a new array of its own shape.</summary>
    private async Task<ArrayPart<T>> ReadPartAsync<T>(ChunkGrid grid, ResolvedAxis[] resolved, ChunkProjection p, SemaphoreSlim decodeSlots, CancellationToken ct)
    {
        int rank = p.Axes.Length;
        var counts = new int[rank];
        var local = new AxisChunk[rank];
        var outputStart = new List<long>(rank);
        var outputShape = new List<int>(rank);
        var axes = new AxisSelection[rank];
        for (int d = 0; d < rank; d++)
        {
            var a = p.Axes[d];
            counts[d] = a.Count;
            local[d] = a with { OutputStart = 0 };
            long first = a.ChunkIndex * grid.ChunkShape[d] + a.Start;
            if (resolved[d].Squeeze)
            {
                axes[d] = AxisSelection.At(first);
                continue;
            }
            axes[d] = new Slice(first, first + (long)(a.Count - 1) * a.Step + 1, a.Step);
            outputStart.Add(a.OutputStart);
            outputShape.Add(a.Count);
        }
        long n = p.ElementCount;
        var data = IsBlittable<T>() ? GC.AllocateUninitializedArray<T>(checked((int)n)) : new T[n];
        await ReadIntoAsync(data, target => ReadChunkAsync(new ChunkProjection(local, grid), counts, target, decodeSlots, ct)).ConfigureAwait(false);
        return new ArrayPart<T>(new NDArray<T>(data, outputShape.ToArray()), outputStart.ToArray(), p.Coordinates, new Selection(axes));
    }
}
