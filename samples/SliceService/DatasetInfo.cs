using System.Text.Json.Nodes;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>A dataset: its format, attributes and arrays.</summary>
public sealed record DatasetInfo(string Name, int ZarrFormat, JsonObject Attributes, IReadOnlyList<ArrayInfo> Arrays);
