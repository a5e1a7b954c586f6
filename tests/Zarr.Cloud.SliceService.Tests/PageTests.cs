using Microsoft.Playwright;
using Zarr.Cloud.Tests;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// The page at / in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser download): the map
/// renders, the slider redraws it, a click plots the time series. A screenshot is kept in the test output folder.
/// </summary>
public sealed class PageTests(DemoData demo)
{
    private const string Chromium = "/usr/bin/chromium";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("ZARR_CHROMIUM") ?? Chromium;
        if (!File.Exists(executable)) Requirements.Missing($"chromium at {executable} (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Timeout = 60_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic"],
        });
        return (playwright, browser);
    }

    // Every 7th pixel of the map canvas, as packed RGBA.
    private static Task<int[]> SamplePixelsAsync(IPage page) => page.EvaluateAsync<int[]>(@"() => {
        const c = document.getElementById('map');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = [];
        for (let i = 0; i < d.length; i += 4 * 7) out.push((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
        return out;
    }");

    // Waits for an element; on timeout fails with what the page said (its status line and console errors).
    private static async Task WaitForAsync(IPage page, string selector, List<string> errors)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new() { Timeout = 30_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{selector} did not appear in 30 s; the page's status: '{await page.InnerTextAsync("#status")}'; console errors: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task Map_Slider_AndClickForATimeSeries()
    {
        var (playwright, browser) = await LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync(demo.Host.Address.ToString());

            // The map: drawn from the bin endpoint at time 0, many colours, grey land and coloured sea.
            await WaitForAsync(page, "canvas#map[data-drawn='true'][data-time-index='0']", errors);
            Assert.Equal(360, await page.EvaluateAsync<int>("document.getElementById('map').width"));
            Assert.Equal(180, await page.EvaluateAsync<int>("document.getElementById('map').height"));
            var first = await SamplePixelsAsync(page);
            Assert.True(first.Distinct().Count() > 50, $"{first.Distinct().Count()} colours on the map");
            Assert.All(first, p => Assert.Equal(255, p & 0xff)); // every pixel painted, opaque
            Assert.Equal("2020-01-01", await page.InnerTextAsync("#date"));

            // The slider: day 15 redraws the map with other values.
            await page.Locator("#time").FillAsync("15");
            await WaitForAsync(page, "canvas#map[data-time-index='15']", errors);
            var later = await SamplePixelsAsync(page);
            int changed = first.Zip(later).Count(p => p.First != p.Second);
            Assert.True(changed > first.Length / 20, $"{changed} of {first.Length} sampled pixels changed");
            Assert.Equal("2020-01-16", await page.InnerTextAsync("#date"));

            // A click in the Pacific (0°N, 150°W) plots that point's series: one point per day.
            var box = (await page.Locator("#map").BoundingBoxAsync())!;
            await page.Locator("#map").ClickAsync(new() { Position = new Position { X = (float)((-150 + 180) / 360.0 * box.Width), Y = (float)((90 - 0.2) / 180.0 * box.Height) } });
            await WaitForAsync(page, "#chart[data-points]", errors);
            Assert.Equal(DemoData.Days.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("#chart", "data-points"));
            Assert.InRange(double.Parse((await page.GetAttributeAsync("#chart", "data-lat"))!, System.Globalization.CultureInfo.InvariantCulture), -1, 1);
            Assert.InRange(double.Parse((await page.GetAttributeAsync("#chart", "data-lon"))!, System.Globalization.CultureInfo.InvariantCulture), -151, -149);
            var points = await page.EvaluateAsync<int>("document.querySelector('#chart polyline').getAttribute('points').trim().split(' ').length");
            Assert.Equal(DemoData.Days, points);
            Assert.Empty(errors);

            // test.sh points ZARR_TEST_ARTIFACTS at TestResults/artifacts beside the TRX files, which CI keeps.
            var folder = Environment.GetEnvironmentVariable("ZARR_TEST_ARTIFACTS") is { Length: > 0 } artifacts
                ? artifacts
                : Path.Combine(AppContext.BaseDirectory, "TestResults");
            Directory.CreateDirectory(folder);
            var screenshot = Path.Combine(folder, "slice-service-page.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 1000);
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");
            TestContext.Current.AddAttachment("screenshot", screenshot);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
