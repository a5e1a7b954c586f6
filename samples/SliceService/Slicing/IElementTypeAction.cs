namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>Something done with the elements of an array as their .NET type.</summary>
/// <typeparam name="TResult">What it returns.</typeparam>
public interface IElementTypeAction<TResult>
{
    /// <summary>Does it with elements of type <typeparamref name="T"/>.</summary>
    TResult Run<T>() where T : unmanaged;
}
