using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Caching;

namespace Zarr.Cloud.DependencyInjection.Tests;

public sealed class ConfigurationTests
{
    private const string Appsettings = """
        {
          "Zarr": {
            "ChunkCacheBytes": 1048576,
            "MaxInFlightRequests": 8,
            "MaxConcurrency": 4,
            "Resilience": { "MaxAttempts": 3, "InitialDelay": "00:00:00.050", "TotalTimeout": "00:01:00" },
            "SharedCache": { "MaxEntryBytes": 65536, "Expiration": "00:10:00" },
            "Datasets": {
              "sst": { "Url": "s3://mur-sst/zarr-v1", "Anonymous": true, "Region": "us-west-2" },
              "local": { "Url": "/data/local.zarr", "ReadOnly": false, "Endpoint": "http://127.0.0.1:9000" }
            }
          }
        }
        """;

    [Fact]
    public void Binds_every_setting_from_the_Zarr_section()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json(Appsettings).GetSection("Zarr")));
        var o = sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value;
        Assert.Equal(1048576, o.ChunkCacheBytes);
        Assert.Equal(8, o.MaxInFlightRequests);
        Assert.Equal(4, o.MaxConcurrency);
        Assert.Equal(3, o.Resilience.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(50), o.Resilience.InitialDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), o.Resilience.TotalTimeout);
        Assert.Equal(65536, o.SharedCache.MaxEntryBytes);
        Assert.Equal(TimeSpan.FromMinutes(10), o.SharedCache.Expiration);
        var sst = o.Datasets["SST"]; // names are case-insensitive
        Assert.Equal("s3://mur-sst/zarr-v1", sst.Url);
        Assert.True(sst.Anonymous);
        Assert.Equal("us-west-2", sst.Region);
        Assert.True(sst.ReadOnly);
        Assert.False(o.Datasets["local"].ReadOnly);
        Assert.Equal("http://127.0.0.1:9000", o.Datasets["local"].Endpoint);

        var datasets = sp.GetRequiredService<IZarrDatasets>();
        Assert.Equal(["local", "sst"], datasets.Names);
        Assert.True(datasets.Contains("Sst"));
        Assert.False(datasets.Contains("other"));
    }

    [Fact]
    public void Dataset_options_reach_the_store_options_with_the_shared_settings()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json(Appsettings).GetSection("Zarr")));
        var datasets = (ZarrDatasets)sp.GetRequiredService<IZarrDatasets>();
        var o = sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value;
        var open = datasets.OpenOptionsFor(o.Datasets["sst"]);
        Assert.Equal(4, open.MaxConcurrency);
        Assert.Same(sp.GetRequiredService<ChunkCache>(), open.ChunkCache);
        Assert.Equal(1048576, open.ChunkCache!.MaxBytes);
        Assert.True(open.Store.Anonymous);
        Assert.True(open.Store.ReadOnly);
        Assert.Equal("us-west-2", open.Store.Region);
        Assert.Equal(8, open.Store.MaxInFlightRequests);
        Assert.Equal(3, open.Store.Resilience.MaxAttempts);
        Assert.NotNull(open.Store.Logger);
        Assert.NotNull(open.Store.HttpClientFactory);
        Assert.Equal(Timeout.InfiniteTimeSpan, open.Store.HttpClientFactory!().Timeout);
    }

    [Fact]
    public void A_zero_chunk_cache_turns_it_off()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(o => o.ChunkCacheBytes = 0).AddDataset("d", "/x.zarr"));
        var datasets = (ZarrDatasets)sp.GetRequiredService<IZarrDatasets>();
        Assert.Null(datasets.OpenOptionsFor(new ZarrDatasetOptions { Url = "/x.zarr" }).ChunkCache);
    }

    [Fact]
    public void Fluent_datasets_add_to_and_override_configured_ones()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json(Appsettings).GetSection("Zarr"))
            .AddDataset("sst", "/mirror/sst.zarr", o => o.Anonymous = false)
            .AddDataset("extra", "https://example.org/data.zarr", o => o.Region = "eu"));
        var o = sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value;
        Assert.Equal("/mirror/sst.zarr", o.Datasets["sst"].Url);
        Assert.False(o.Datasets["sst"].Anonymous);
        Assert.Equal("us-west-2", o.Datasets["sst"].Region); // kept from configuration
        Assert.Equal("https://example.org/data.zarr", o.Datasets["extra"].Url);
        Assert.Equal(["extra", "local", "sst"], sp.GetRequiredService<IZarrDatasets>().Names);
    }

    [Fact]
    public void The_fluent_form_alone_configures_everything()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(o => { o.MaxConcurrency = 2; o.Resilience.MaxAttempts = 5; })
            .AddDataset("sst", "s3://mur-sst/zarr-v1", o => o.Anonymous = true));
        sp.GetRequiredService<IStartupValidator>().Validate();
        var o = sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value;
        Assert.Equal(2, o.MaxConcurrency);
        Assert.Equal(5, o.Resilience.MaxAttempts);
        Assert.True(o.Datasets["sst"].Anonymous);
    }

    [Theory]
    [InlineData("""{ "Datasets": { "sst": { "Anonymous": true } } }""", "Zarr:Datasets:sst:Url is missing")]
    [InlineData("""{ "Datasets": { "sst": { "Url": "ftp://host/data.zarr" } } }""", "Zarr:Datasets:sst:Url has the scheme 'ftp'")]
    [InlineData("""{ "Datasets": { "sst": { "Url": "s3:///no-bucket" } } }""", "Zarr:Datasets:sst:Url is not a valid URL")]
    [InlineData("""{ "Datasets": { "sst": { "Url": "s3://b/p", "Endpoint": "ftp://minio:9000" } } }""", "Zarr:Datasets:sst:Endpoint")]
    [InlineData("""{ "ChunkCacheBytes": -1 }""", "Zarr:ChunkCacheBytes must be zero")]
    [InlineData("""{ "MaxInFlightRequests": 0 }""", "Zarr:MaxInFlightRequests must be at least 1")]
    [InlineData("""{ "MaxConcurrency": -3 }""", "Zarr:MaxConcurrency must be at least 1")]
    [InlineData("""{ "Resilience": { "MaxAttempts": 0 } }""", "Zarr:Resilience:MaxAttempts: MaxAttempts must be at least 1")]
    [InlineData("""{ "Resilience": { "InitialDelay": "00:00:10", "MaxDelay": "00:00:01" } }""", "Zarr:Resilience:MaxDelay")]
    [InlineData("""{ "Resilience": { "AttemptTimeout": "00:00:00" } }""", "Zarr:Resilience:AttemptTimeout")]
    [InlineData("""{ "SharedCache": { "MaxEntryBytes": 0 } }""", "Zarr:SharedCache:MaxEntryBytes")]
    [InlineData("""{ "SharedCache": { "Expiration": "-00:00:01" } }""", "Zarr:SharedCache:Expiration")]
    public void Start_up_validation_names_the_wrong_key(string section, string expected)
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json($$"""{ "Zarr": {{section}} }""").GetSection("Zarr")));
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        // The same failure when the options are first used, without a host.
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IZarrDatasets>());
    }

    [Fact]
    public void Every_wrong_key_is_reported_at_once()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json("""
            { "Zarr": { "MaxConcurrency": 0, "Datasets": { "a": { "Url": "" }, "b": { "Url": "gopher://x/y" } } } }
            """).GetSection("Zarr")));
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(3, e.Failures.Count());
        Assert.Contains("Zarr:MaxConcurrency", e.Message, StringComparison.Ordinal);
        Assert.Contains("Zarr:Datasets:a:Url", e.Message, StringComparison.Ordinal);
        Assert.Contains("Zarr:Datasets:b:Url", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_follow_the_section_the_options_were_bound_from()
    {
        var config = TestServices.Json("""{ "Storage": { "Arrays": { "Datasets": { "sst": { "Region": "x" } } } } }""");
        using var sp = TestServices.Build(s => s.AddZarrCloud(config.GetSection("Storage:Arrays")));
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Storage:Arrays:Datasets:sst:Url is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fluent_datasets_are_validated_under_the_Zarr_keys()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", "nosuch://bucket/data.zarr"));
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Zarr:Datasets:sst:Url has the scheme 'nosuch'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_in_a_wrong_url_is_not_repeated()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", "ftp://host/data.zarr?sig=TOPSECRET"));
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Zarr:Datasets:sst:Url", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_key()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud(TestServices.Json("""{ "Zarr": { "ChunkCacheBytes": "lots" } }""").GetSection("Zarr")));
        var e = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Zarr:ChunkCacheBytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_builder_arguments_are_refused()
    {
        var builder = new ServiceCollection().AddZarrCloud();
        Assert.Throws<ArgumentException>(() => builder.AddDataset(" ", "/x.zarr"));
        Assert.Throws<ArgumentException>(() => builder.AddDataset("x", ""));
        Assert.Throws<ArgumentNullException>(() => builder.AddHybridChunkCache(null!));
    }
}
