namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>Checks array paths from requests: relative, '/'-separated names inside a dataset, never '.', '..' or empty.</summary>
public static class ArrayPaths
{
    /// <summary>The path in <paramref name="text"/> ('%2F' for '/' in nested paths), or false when it is not a plain path.</summary>
    public static bool TryNormalize(string? text, out string path)
    {
        path = Uri.UnescapeDataString(text ?? "").Trim('/');
        if (path.Length == 0 || path.IndexOfAny(['\\', ':', '\0']) >= 0) return false;
        return path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");
    }
}
