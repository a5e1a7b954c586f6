using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs;

/// <summary>A codec with a numcodecs (Zarr v2) form of its own, for codecs whose v2 configuration differs from the v3 one.</summary>
public interface IV2Codec
{
    /// <summary>The numcodecs object: <c>{"id": ..., ...}</c>.</summary>
    JsonObject ToV2Json();
}
