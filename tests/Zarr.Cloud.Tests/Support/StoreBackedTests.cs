namespace Zarr.Cloud.Tests.Support;

/// <summary>Base of array tests: stores by kind ("memory", "file"), cleaned up after each test.</summary>
public abstract class StoreBackedTests : IDisposable
{
    protected StoreKinds Stores { get; } = new();

    protected static CancellationToken Ct => TestData.Ct;

    public void Dispose()
    {
        Stores.Dispose();
        GC.SuppressFinalize(this);
    }
}
