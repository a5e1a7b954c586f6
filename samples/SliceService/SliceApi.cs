using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Caching;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService.Slicing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>The HTTP API: datasets, array metadata, slices, time series.</summary>
public static class SliceApi
{
    /// <summary>The rate limiting policy of every /api endpoint.</summary>
    public const string RateLimitPolicy = "per-client";

    /// <summary>Maps the endpoints under /api.</summary>
    public static RouteGroupBuilder MapSliceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireRateLimiting(RateLimitPolicy).WithTags("Datasets");
        api.AddEndpointFilter(StoreErrorsAsync);
        api.MapGet("/datasets", (IZarrDatasets datasets) => Results.Ok(datasets.Names))
            .WithName("ListDatasets").WithSummary("The configured datasets' names.").Produces<string[]>();
        api.MapGet("/datasets/{dataset}", GetDatasetAsync)
            .WithName("GetDataset").WithSummary("A dataset's attributes and arrays.")
            .Produces<DatasetInfo>().ProducesProblem(404);
        api.MapGet("/datasets/{dataset}/arrays/{array}/metadata", GetArrayAsync)
            .WithName("GetArrayMetadata").WithSummary("One array's shape, chunks, data type, dimensions, attributes and CF packing. Nested paths: '/' as %2F.")
            .Produces<ArrayInfo>().ProducesProblem(404);
        api.MapGet("/datasets/{dataset}/arrays/{array}/slice", GetSliceAsync)
            .WithName("GetSlice")
            .WithSummary("A selection of an array (NumPy syntax, e.g. sel=0,0:90,0:180 or sel=-1,::4,::4) as json, csv, npy or bin (raw little-endian; shape and dtype in X-Zarr-Shape and X-Zarr-Dtype), streamed. Values are the stored (packed) ones.")
            .Produces(200, contentType: "application/octet-stream").Produces(200, contentType: "application/json").Produces(200, contentType: "text/csv")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
        api.MapGet("/datasets/{dataset}/timeseries", TimeSeries.GetAsync)
            .WithName("GetTimeSeries")
            .WithSummary("The values at the grid point nearest lat/lon over time, CF-decoded (scale_factor, add_offset; fill values as null), with ISO 8601 times.")
            .Produces<TimeSeriesResult>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
        api.MapGet("/stats", (ChunkCache cache) => Results.Ok(ChunkCacheStats.Of(cache)))
            .WithName("GetStats").WithSummary("The shared chunk cache's hits, misses, evictions and size since the service started.")
            .WithTags("Service").Produces<ChunkCacheStats>();
        return api;
    }

    // A store that fails (unreachable, denied) is the upstream's fault: 502 with the store's message (never a secret).
    private static async ValueTask<object?> StoreErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (StoreException e) when (!context.HttpContext.Response.HasStarted)
        {
            return Problem(StatusCodes.Status502BadGateway, "The dataset's store failed", e.Message);
        }
    }

    internal static IResult Problem(int status, string title, string detail) => Results.Problem(detail, statusCode: status, title: title);

    internal static IResult UnknownDataset(IZarrDatasets datasets, string dataset) => Problem(404, "Unknown dataset",
        $"No dataset named '{dataset}' is configured. Datasets: {string.Join(", ", datasets.Names)}.");

    /// <summary>Opens a configured dataset's array, or says why not (404).</summary>
    internal static async Task<(ZarrArray? Array, IResult? Error)> OpenArrayAsync(IZarrDatasets datasets, string dataset, string? array, CancellationToken ct)
    {
        if (!datasets.Contains(dataset)) return (null, UnknownDataset(datasets, dataset));
        if (!ArrayPaths.TryNormalize(array, out var path)) return (null, Problem(404, "Unknown array", $"'{array}' is not an array path inside a dataset."));
        try
        {
            return (await datasets.OpenArrayAsync(dataset, path, ct), null);
        }
        catch (ZarrNodeNotFoundException)
        {
            return (null, Problem(404, "Unknown array", $"Dataset '{dataset}' has no array '{path}'."));
        }
    }

    /// <summary>
    /// 413 when the selection has more cells than <see cref="SliceServiceOptions.MaxCellsPerRequest"/>, or touches chunks
    /// holding more than <see cref="SliceServiceOptions.MaxChunkCellsPerRequest"/> (what is read and decoded: a one-point
    /// series across a dataset of large chunks is small to send but huge to read); else null.
    /// </summary>
    internal static IResult? CheckCells(ZarrArray array, ResolvedAxis[] axes, SliceServiceOptions options, string what)
    {
        long cells = axes.Aggregate(1L, (n, x) => n * x.Count);
        if (cells > options.MaxCellsPerRequest)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Too many cells",
                $"{what} has {cells} cells; this service allows at most {options.MaxCellsPerRequest} per request ({SliceServiceOptions.Section}:MaxCellsPerRequest). Ask for less, or take every n-th element with a step (::n).");
        var chunkShape = array.ChunkShape;
        long chunks = 1, chunkCells = 1;
        for (int d = 0; d < axes.Length; d++)
        {
            var a = axes[d];
            long last = a.Start + (a.Count - 1) * a.Step;
            chunks *= a.Count == 0 ? 0 : Math.Min(a.Count, last / chunkShape[d] - a.Start / chunkShape[d] + 1);
            chunkCells *= chunkShape[d];
        }
        long read = chunks * chunkCells;
        return read <= options.MaxChunkCellsPerRequest ? null
            : Problem(StatusCodes.Status413PayloadTooLarge, "Too many chunks",
                $"{what} touches {chunks} chunks of [{string.Join(", ", chunkShape)}], {read} cells to read; this service reads at most {options.MaxChunkCellsPerRequest} per request ({SliceServiceOptions.Section}:MaxChunkCellsPerRequest). Narrow the selection (fewer chunks along each axis).");
    }

    private static async Task<IResult> GetDatasetAsync(string dataset, IZarrDatasets datasets, HttpContext context)
    {
        var ct = context.RequestAborted;
        if (!datasets.Contains(dataset)) return UnknownDataset(datasets, dataset);
        var root = await datasets.OpenAsync(dataset, ct);
        var arrays = new List<ArrayInfo>();
        if (root is ZarrGroup group)
            foreach (var name in await group.ListChildrenAsync(ct))
                if (await group.OpenAsync(name, ct) is ZarrArray a) arrays.Add(ArrayInfo.Of(a, name));
        return Results.Ok(new DatasetInfo(dataset, root.ZarrFormat, root.Attributes, arrays));
    }

    private static async Task<IResult> GetArrayAsync(string dataset, string array, IZarrDatasets datasets, HttpContext context)
    {
        var (a, error) = await OpenArrayAsync(datasets, dataset, array, context.RequestAborted);
        return error ?? Results.Ok(ArrayInfo.Of(a!, Uri.UnescapeDataString(array).Trim('/')));
    }

    private static async Task<IResult> GetSliceAsync(string dataset, string array, string? sel, string? format,
        IZarrDatasets datasets, IOptions<SliceServiceOptions> options, HttpContext context)
    {
        var ct = context.RequestAborted;
        if (!Enum.TryParse<SliceFormat>(format ?? "json", ignoreCase: true, out var f) || !Enum.IsDefined(f) || int.TryParse(format, out _))
            return Problem(400, "Bad format", $"format '{format}' is not one of json, csv, npy, bin.");
        var (a, error) = await OpenArrayAsync(datasets, dataset, array, ct);
        if (error is not null) return error;
        if (!ElementTypes.IsServed(a!.DataType)) return Problem(400, "Data type not served", $"Array '{a.Path}' has data type {a.DataType}; this service serves numbers, booleans and datetimes.");
        ResolvedAxis[] axes;
        int[] shape;
        try
        {
            var selection = Selection.Parse(sel ?? "", a.Rank);
            axes = selection.Resolve(a.Shape);
            shape = axes.Where(x => !x.Squeeze).Select(x => checked((int)x.Count)).ToArray();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return Problem(400, "Bad selection", $"sel '{sel}' on array '{a.Path}' of shape [{string.Join(", ", a.Shape)}]: {e.Message}");
        }
        if (CheckCells(a, axes, options.Value, $"The selection '{sel}'") is { } tooMany) return tooMany;
        await ElementTypes.Dispatch(a.DataType, new StreamSlice(context, a, axes, shape, f));
        return Results.Empty;
    }

    // Streams one slice: headers, then each part as it is read (SliceParts), through a SliceWriter.
    private sealed record StreamSlice(HttpContext Context, ZarrArray Array, ResolvedAxis[] Axes, int[] Shape, SliceFormat Format) : IElementTypeAction<Task>
    {
        public async Task Run<T>() where T : unmanaged
        {
            var ct = Context.RequestAborted;
            var response = Context.Response;
            var dataType = Array.DataType;
            response.ContentType = Format switch
            {
                SliceFormat.Json => "application/json",
                SliceFormat.Csv => "text/csv; charset=utf-8",
                _ => "application/octet-stream",
            };
            response.Headers["X-Zarr-Shape"] = string.Join(",", Shape);
            response.Headers["X-Zarr-Dtype"] = SliceWriter<T>.Descr(dataType);
            if (Format == SliceFormat.Npy) response.Headers.ContentDisposition = $"attachment; filename=\"{Array.Name}.npy\"";
            response.ContentLength = SliceWriter<T>.ContentLength(Format, dataType, Shape);
            var writer = new SliceWriter<T>(response.BodyWriter, Format, Shape);
            bool begun = false;
            await foreach (var part in SliceParts.ReadAsync<T>(Array, Axes, SliceParts.DefaultPartCells, ct))
            {
                // Headers go out with the first part: a read that fails before it can still be answered with a status.
                if (!begun) await writer.BeginAsync(dataType, ct);
                begun = true;
                await writer.WritePartAsync(part, ct);
            }
            if (!begun) await writer.BeginAsync(dataType, ct);
            await writer.CompleteAsync(ct);
        }
    }
}
