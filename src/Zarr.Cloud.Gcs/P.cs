namespace Zarr.Cloud.Gcs; internal static class Placeholder {}
