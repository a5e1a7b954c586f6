using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Zarr.Cloud.Samples.SliceService;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// The real slice service on Kestrel at a free port of 127.0.0.1 (a real socket, not TestServer), serving the demo
/// dataset written in a given folder. Settings are passed as command-line configuration
/// ("SliceService:MaxCellsPerRequest=10"), services replaced by a callback.
/// </summary>
public sealed class SliceServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SliceServiceHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Address { get; }

    /// <summary>A client for <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<SliceServiceHost> StartAsync(string demoPath, int days, IEnumerable<string>? settings = null, Action<IServiceCollection>? services = null)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0", $"--Demo:Path={demoPath}", $"--Demo:Days={days}", "--Logging:LogLevel:Default=Warning",
            .. (settings ?? []).Select(s => "--" + s),
        ];
        var app = await SliceServiceApp.BuildAsync(args, b => services?.Invoke(b.Services));
        await app.StartAsync();
        var address = app.Urls.Single();
        Assert.StartsWith("http://127.0.0.1:", address);
        return new SliceServiceHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
