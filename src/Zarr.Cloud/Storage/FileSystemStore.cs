using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Storage;

/// <summary>
/// A store in a folder of the local file system: a key is a relative path below <see cref="Root"/>.
/// Writes are atomic (a temporary file renamed over the target); keys that could escape the root
/// ('..', absolute paths, backslashes) are rejected. Reads use pooled buffers.
/// </summary>
public sealed class FileSystemStore : IAsyncStore, IDirectoryListingStore
{
    private const string TempMarker = ".zarrcloud-tmp-";

    /// <summary>Opens (and, for writing, later creates) a store rooted at <paramref name="root"/>.</summary>
    /// <param name="root">The folder.</param>
    /// <param name="readOnly">True to refuse writes.</param>
    public FileSystemStore(string root, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        ReadOnly = readOnly;
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    /// <summary>True when writes are refused.</summary>
    public bool ReadOnly { get; }

    /// <inheritdoc />
    public StoreCapabilities Capabilities => ReadOnly ? StoreCapabilities.All & ~StoreCapabilities.Write : StoreCapabilities.All;

    private string PathOf(string key)
    {
        StoreKeys.Validate(key);
        var full = Path.GetFullPath(Path.Combine(Root, key));
        if (!full.StartsWith(Root, StringComparison.Ordinal)) throw new ArgumentException($"The key '{key}' escapes the store root.", nameof(key));
        return full;
    }

    /// <inheritdoc />
    public ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult<StoreValue?>(null);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return ValueTask.FromResult<StoreValue?>(null);
        }
        catch (IOException e)
        {
            throw new StoreException(key, "file", e.Message, innerException: e);
        }
        using (handle)
        {
            long size = RandomAccess.GetLength(handle);
            if (!range.TryResolve(size, out var start, out var length))
                throw new StoreException(key, "file", $"range {range} starts past the end of the value ({size} bytes)", 416);
            if (length > Array.MaxLength) throw new StoreException(key, "file", $"the value is {length} bytes, more than one buffer can hold");
            var buffer = new PooledBuffer((int)length);
            try
            {
                int read = 0;
                while (read < length)
                {
                    int n = RandomAccess.Read(handle, buffer.Span[read..], start + read);
                    if (n == 0) break;
                    read += n;
                }
                if (read != length) throw new StoreException(key, "file", $"expected {length} bytes, read {read} (the file shrank while being read)", isTransient: true);
                return ValueTask.FromResult<StoreValue?>(new StoreValue(buffer, read, totalLength: size));
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        if (ReadOnly) throw new StoreException(key, "file", "the store is read-only");
        var path = PathOf(key);
        var dir = Path.GetDirectoryName(path)!;
        var tmp = Path.Combine(dir, $"{TempMarker}{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                await fs.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new StoreException(key, "file", e.Message, innerException: e);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* best effort clean-up of a temporary file; the original error is what matters */ }
        catch (UnauthorizedAccessException) { /* as above */ }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        if (ReadOnly) throw new StoreException(key, "file", "the store is read-only");
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // deleting a missing key is not an error
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(key, "file", e.Message, innerException: e);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Walk only the deepest folder the prefix names, then filter by the rest of the prefix.
        var slash = prefix.LastIndexOf('/');
        var dirKey = slash < 0 ? "" : prefix[..slash];
        if (dirKey.Length > 0) StoreKeys.Validate(dirKey);
        var dir = dirKey.Length == 0 ? Root : Path.Combine(Root, dirKey);
        if (!Directory.Exists(dir)) yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(dir, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(file).StartsWith(TempMarker, StringComparison.Ordinal)) continue;
            var key = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = prefix.Trim('/');
        if (prefix.Length > 0) StoreKeys.Validate(prefix);
        var dir = prefix.Length == 0 ? Root : Path.Combine(Root, prefix);
        if (!Directory.Exists(dir)) return ValueTask.FromResult<(IReadOnlyList<string>, IReadOnlyList<string>)>(([], []));
        var keys = Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith(TempMarker, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var folders = Directory.EnumerateDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return ValueTask.FromResult<(IReadOnlyList<string>, IReadOnlyList<string>)>((keys!, folders!));
    }

    /// <inheritdoc />
    public override string ToString() => $"FileSystemStore({Root})";
}
