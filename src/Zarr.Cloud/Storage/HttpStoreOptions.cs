namespace Zarr.Cloud.Storage;

/// <summary>Options of an <see cref="HttpStore"/>. A plain class with settable properties, bindable from configuration.</summary>
public sealed class HttpStoreOptions
{
    /// <summary>
    /// Send writes as <c>PUT</c> and deletes as <c>DELETE</c> (a WebDAV server such as nginx's dav module, or a
    /// presigned upload URL). Off by default: an HTTP store is read-only, and writes throw
    /// <see cref="StoreException"/> without a request.
    /// </summary>
    public bool AllowWrites { get; set; }

    /// <summary>How <see cref="HttpStore.GetRangesAsync"/> merges nearby ranges; null for <see cref="CoalescingOptions.Default"/>.</summary>
    public CoalescingOptions? Coalescing { get; set; }
}
