namespace Zarr.Cloud.DependencyInjection;

/// <summary>Registered by <see cref="IZarrCloudBuilder.AddHybridChunkCache()"/>: its presence turns the shared second-level cache on.</summary>
internal sealed class SharedChunkCacheActivation;
