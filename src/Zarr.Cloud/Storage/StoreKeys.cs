namespace Zarr.Cloud.Storage;

/// <summary>Rules for keys and paths inside a store.</summary>
public static class StoreKeys
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="key"/> could escape a store root:
    /// a '..' or '.' segment, a leading '/', a backslash, a drive letter, an empty segment (also a trailing '/') or a NUL.
    /// </summary>
    /// <param name="key">The key to check.</param>
    /// <param name="allowEmpty">True when the empty key (the root) is allowed.</param>
    public static void Validate(string key, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            if (allowEmpty) return;
            throw new ArgumentException("The key is empty.", nameof(key));
        }
        if (key[0] == '/') throw new ArgumentException($"The key '{key}' is absolute (starts with '/'); keys are relative to the store root.", nameof(key));
        if (key.Contains('\\')) throw new ArgumentException($"The key '{key}' contains a backslash; keys use '/' as separator.", nameof(key));
        if (key.Contains('\0')) throw new ArgumentException($"The key '{key}' contains a NUL character.", nameof(key));
        if (key.Length >= 2 && key[1] == ':' && char.IsAsciiLetter(key[0])) throw new ArgumentException($"The key '{key}' looks like a drive path.", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment is ".." or ".") throw new ArgumentException($"The key '{key}' contains a '{segment}' segment, which could escape the store root.", nameof(key));
            if (segment.Length == 0) throw new ArgumentException($"The key '{key}' contains an empty segment ('//' or a trailing '/').", nameof(key));
        }
    }

    /// <summary>Joins path parts with '/', ignoring empty parts and stray slashes at the joins.</summary>
    /// <param name="parts">The parts.</param>
    public static string Join(params ReadOnlySpan<string> parts)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var p in parts)
        {
            var t = p.Trim('/');
            if (t.Length == 0) continue;
            if (sb.Length > 0) sb.Append('/');
            sb.Append(t);
        }
        return sb.ToString();
    }

    /// <summary>Normalises a node path: trims slashes; "/" and "" are the root.</summary>
    /// <param name="path">The path.</param>
    public static string NormalizePath(string? path)
    {
        var p = (path ?? "").Trim('/');
        if (p.Length > 0) Validate(p);
        return p;
    }
}
