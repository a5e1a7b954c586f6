using System.Collections.Concurrent;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>One task per key shared by concurrent callers (an open, a coordinate read), kept once it succeeds.</summary>
public static class SharedTasks
{
    /// <summary>
    /// The task of <paramref name="key"/>, started by <paramref name="start"/> when there is none or the last one failed.
    /// The task runs without any caller's token (others may wait on it); callers stop waiting with WaitAsync.
    /// </summary>
    public static Task<T> GetOrStart<TKey, T>(ConcurrentDictionary<TKey, Lazy<Task<T>>> tasks, TKey key, Func<TKey, Task<T>> start) where TKey : notnull
    {
        var lazy = tasks.GetOrAdd(key, k => new Lazy<Task<T>>(() => start(k)));
        if (lazy.IsValueCreated && (lazy.Value.IsFaulted || lazy.Value.IsCanceled))
        {
            tasks.TryRemove(new KeyValuePair<TKey, Lazy<Task<T>>>(key, lazy));
            lazy = tasks.GetOrAdd(key, k => new Lazy<Task<T>>(() => start(k)));
        }
        return lazy.Value;
    }
}
