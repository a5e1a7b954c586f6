using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Arrays;

public sealed class GroupTests : StoreBackedTests
{
    public static TheoryData<int, string> Formats() => new() { { 2, "memory" }, { 3, "memory" }, { 2, "file" }, { 3, "file" } };

    private static ZarrArrayDefinition Small(int format, bool overwrite = false) => new() { Shape = [4, 3], ChunkShape = [2, 2], DataType = ZarrDataType.Int32, ZarrFormat = format, Overwrite = overwrite };

    /// <summary>root { a { b { x (array) }, y (array) }, c (group) }, with attributes here and there.</summary>
    private static async Task<ZarrGroup> Build(IAsyncStore store, int format)
    {
        var root = await ZarrGroup.CreateAsync(store, "", format, new JsonObject { ["title"] = "root" }, cancellationToken: Ct);
        var a = await root.CreateGroupAsync("a", new JsonObject { ["level"] = 1 }, cancellationToken: Ct);
        var x = await a.CreateArrayAsync("b/x", Small(format), Ct);
        await x.SetAttributesAsync(new JsonObject { ["units"] = "m", ["scale"] = 0.5 }, Ct);
        await x.WriteAsync(new NDArray<int>(Enumerable.Range(0, 12).ToArray(), 4, 3), Ct);
        await a.CreateArrayAsync("y", Small(format), Ct);
        await root.CreateGroupAsync("c", cancellationToken: Ct);
        return root;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task NestedCreationMakesTheParentGroups(int format, string kind)
    {
        var store = Stores.Create(kind);
        await ZarrArray.CreateAsync(store, "p/q/r/arr", Small(format), cancellationToken: Ct);
        foreach (var path in new[] { "", "p", "p/q", "p/q/r" })
        {
            var g = await ZarrGroup.OpenAsync(store, path, cancellationToken: Ct);
            Assert.Equal(format, g.ZarrFormat);
        }
        var root = await ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        var arr = await (await root.OpenGroupAsync("p/q", Ct)).OpenArrayAsync("r/arr", Ct);
        Assert.Equal("p/q/r/arr", arr.Path);
        Assert.Equal("arr", arr.Name);
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => root.OpenArrayAsync("p", Ct));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => root.OpenGroupAsync("p/q/r/arr", Ct));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => root.OpenAsync("nothing/here", Ct));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ChildrenTakeTheGroupsFormatUnlessTheDefinitionSaysOtherwise(int format)
    {
        var store = new MemoryStore();
        var g = await ZarrGroup.CreateAsync(store, "g", format, cancellationToken: Ct);
        var implicitFormat = await g.CreateArrayAsync("a", new ZarrArrayDefinition { Shape = [2], DataType = ZarrDataType.Int8 }, Ct);
        Assert.Equal(format, implicitFormat.ZarrFormat);
        Assert.Equal(format, (await ZarrArray.OpenAsync(store, "g/a", cancellationToken: Ct)).ZarrFormat);
        int other = 5 - format;
        var explicitFormat = await g.CreateArrayAsync("b", new ZarrArrayDefinition { Shape = [2], DataType = ZarrDataType.Int8, ZarrFormat = other }, Ct);
        Assert.Equal(other, explicitFormat.ZarrFormat);
        Assert.Equal(format, (await g.CreateGroupAsync("c", cancellationToken: Ct)).ZarrFormat);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AnArrayHasNoChildren(int format)
    {
        var store = new MemoryStore();
        await ZarrArray.CreateAsync(store, "p/arr", Small(format), cancellationToken: Ct);
        await Assert.ThrowsAnyAsync<IOException>(() => ZarrArray.CreateAsync(store, "p/arr/child", Small(format), cancellationToken: Ct));
        await Assert.ThrowsAnyAsync<IOException>(() => ZarrGroup.CreateAsync(store, "p/arr/sub/g", format, cancellationToken: Ct));
        Assert.False(await store.ExistsAsync(format == 3 ? "p/arr/child/zarr.json" : "p/arr/child/.zarray", Ct));
        Assert.False(await store.ExistsAsync(format == 3 ? "p/arr/sub/zarr.json" : "p/arr/sub/.zgroup", Ct));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AttributesAreWrittenAndReadBack(int format, string kind)
    {
        var store = Stores.Create(kind);
        await Build(store, format);
        var root = await ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        Assert.Equal("root", root.Attributes["title"]!.GetValue<string>());
        var a = await root.OpenGroupAsync("a", Ct);
        Assert.Equal(1, a.Attributes["level"]!.GetValue<int>());
        var x = await a.OpenArrayAsync("b/x", Ct);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["units"] = "m", ["scale"] = 0.5 }, x.Attributes));

        var attrs = new JsonObject { ["nested"] = new JsonObject { ["list"] = new JsonArray(1, "two", null) }, ["unicode"] = "日本 🎉" };
        await a.SetAttributesAsync(attrs, Ct);
        await x.SetAttributesAsync(new JsonObject(), Ct);
        var a2 = await ZarrGroup.OpenAsync(store, "a", cancellationToken: Ct);
        Assert.True(JsonNode.DeepEquals(attrs, a2.Attributes));
        var x2 = await ZarrArray.OpenAsync(store, "a/b/x", cancellationToken: Ct);
        Assert.Empty(x2.Attributes);
        // The data is untouched by attribute writes.
        Assert.Equal(Enumerable.Range(0, 12), (await x2.ReadAsync<int>(Selection.All, Ct)).Data);
        // Attributes returned are copies.
        a2.Attributes["mutated"] = true;
        Assert.False(a2.Attributes.ContainsKey("mutated"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ListChildren(int format, string kind)
    {
        var store = Stores.Create(kind);
        var root = await Build(store, format);
        Assert.Equal(["a", "c"], await root.ListChildrenAsync(Ct));
        var a = await root.OpenGroupAsync("a", Ct);
        Assert.Equal(["b", "y"], await a.ListChildrenAsync(Ct));
        Assert.Empty(await (await root.OpenGroupAsync("c", Ct)).ListChildrenAsync(Ct));
        var children = await a.GetChildrenAsync(Ct);
        Assert.IsType<ZarrGroup>(children[0]);
        Assert.IsType<ZarrArray>(children[1]);
        // A folder without metadata is not a child.
        await store.SetAsync("stray/file", new byte[] { 1 }, Ct);
        Assert.Equal(["a", "c"], await root.ListChildrenAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task CreatingOverAnExistingNode(int format, string kind)
    {
        var store = Stores.Create(kind);
        var root = await Build(store, format);
        await Assert.ThrowsAnyAsync<IOException>(() => root.CreateGroupAsync("a", cancellationToken: Ct));
        await Assert.ThrowsAnyAsync<IOException>(() => ZarrArray.CreateAsync(store, "a/b/x", Small(format), cancellationToken: Ct));
        // Overwrite replaces the node and deletes what was below it.
        var fresh = await ZarrArray.CreateAsync(store, "a", Small(format, overwrite: true), cancellationToken: Ct);
        Assert.Equal(0, (await fresh.ReadAsync<int>(Selection.All, Ct)).Data.Sum());
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => ZarrArray.OpenAsync(store, "a/b/x", cancellationToken: Ct));
        Assert.IsType<ZarrArray>(await ZarrNode.OpenAsync(store, "a", cancellationToken: Ct));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task OpenByPathAndFileUrl(int format)
    {
        var store = Stores.Create("file");
        var root = Stores.FolderOf(store);
        await Build(store, format);
        var byPath = await ZarrArray.OpenAsync(Path.Combine(root, "a", "b", "x"), cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(0, 12), (await byPath.ReadAsync<int>(Selection.All, Ct)).Data);
        var byUrl = await ZarrGroup.OpenAsync(new Uri(root).AbsoluteUri, cancellationToken: Ct);
        Assert.Equal(["a", "c"], await byUrl.ListChildrenAsync(Ct));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => ZarrGroup.OpenAsync(Path.Combine(root, "a", "b", "x"), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.OpenAsync("nosuchscheme://bucket/x", cancellationToken: Ct));
    }

    [Fact]
    public async Task UnknownGroupExtensionsSurviveAnAttributeWrite()
    {
        var store = new MemoryStore();
        await store.SetJsonAsync("g/zarr.json", MetadataDocs.V3Group().With("ext", """{"must_understand": false, "keep": [1]}"""), Ct);
        var g = await ZarrGroup.OpenAsync(store, "g", cancellationToken: Ct);
        await g.SetAttributesAsync(new JsonObject { ["n"] = 2 }, Ct);
        var doc = (await store.GetJsonAsync("g/zarr.json", Ct))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"must_understand": false, "keep": [1]}"""), doc["ext"]));
        Assert.Equal(2, doc["attributes"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownArrayExtensionsSurviveAttributeWritesAndResizes()
    {
        var store = new MemoryStore();
        await store.SetJsonAsync("x/zarr.json", MetadataDocs.V3Array().With("ext", """{"must_understand": false, "keep": true}"""), Ct);
        var x = await ZarrArray.OpenAsync(store, "x", cancellationToken: Ct);
        await x.SetAttributesAsync(new JsonObject { ["n"] = 2 }, Ct);
        await x.ResizeAsync([3, 3], Ct);
        var doc = (await store.GetJsonAsync("x/zarr.json", Ct))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"must_understand": false, "keep": true}"""), doc["ext"]));
        Assert.Equal("[3,3]", doc["shape"]!.ToJsonString());
    }

    // ------------------------------------------------------------------ consolidated metadata

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ConsolidatedHierarchyOpensInAFewRequests(int format)
    {
        var inner = new MemoryStore();
        var root = await Build(inner, format);
        await root.ConsolidateMetadataAsync(Ct);
        Assert.Equal(format == 2, await inner.ExistsAsync(".zmetadata", Ct));
        if (format == 3) Assert.NotNull((await inner.GetJsonAsync("zarr.json", Ct))!["consolidated_metadata"]);

        var store = new InstrumentedStore(inner);
        var g = await ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        Assert.True(g.IsConsolidated);
        var visited = new List<string>();
        async Task Walk(ZarrGroup group)
        {
            foreach (var child in await group.GetChildrenAsync(Ct))
            {
                visited.Add(child.Path);
                if (child is ZarrGroup cg) await Walk(cg);
                else Assert.Equal([4L, 3L], ((ZarrArray)child).Shape);
            }
        }
        await Walk(g);
        Assert.Equal(["a", "a/b", "a/b/x", "a/y", "c"], visited);
        Assert.InRange(store.Requests, 1, 4);
        Assert.Equal(0, store.Lists);

        // What was read from consolidated metadata is what the documents say.
        var x = await g.OpenArrayAsync("a/b/x", Ct);
        Assert.Equal("m", x.Attributes["units"]!.GetValue<string>());
        Assert.Equal("root", g.Attributes["title"]!.GetValue<string>());
        Assert.Equal(1, (await g.OpenGroupAsync("a", Ct)).Attributes["level"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, 12), (await x.ReadAsync<int>(Selection.All, Ct)).Data);
    }

    [Theory]
    [InlineData(2, 4, 4)]
    [InlineData(3, 4, 4)]
    public async Task OpeningANodeCostsFewRequests(int format, int arrayRequests, int groupRequests)
    {
        var inner = new MemoryStore();
        await Build(inner, format);
        var store = new InstrumentedStore(inner);
        await ZarrArray.OpenAsync(store, "a/b/x", cancellationToken: Ct);
        Assert.Equal(arrayRequests, store.Requests);
        store.Reset();
        var a = await ZarrGroup.OpenAsync(store, "a", cancellationToken: Ct);
        Assert.False(a.IsConsolidated);
        Assert.Equal(1, a.Attributes["level"]!.GetValue<int>());
        // v2 without .zmetadata: .zgroup is asked for once the others say nothing.
        Assert.Equal(groupRequests + (format == 2 ? 1 : 0), store.Requests);
        store.Reset();
        await ZarrGroup.OpenAsync(store, "a", new ZarrOpenOptions { UseConsolidatedMetadata = false }, Ct);
        Assert.Equal(groupRequests, store.Requests);
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => ZarrNode.OpenAsync(store, "missing", cancellationToken: Ct));
    }

    [Fact]
    public async Task MalformedZMetadataIsAFormatError()
    {
        var store = new MemoryStore();
        await ZarrGroup.CreateAsync(store, "g", 2, cancellationToken: Ct);
        await store.SetAsync("g/.zmetadata", "{\"metadata\": [1]}"u8.ToArray(), Ct);
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrGroup.OpenAsync(store, "g", cancellationToken: Ct));
        Assert.Equal("g/.zmetadata", e.Key);
        Assert.Contains("metadata", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ConsolidatedMetadataCanBeIgnored(int format)
    {
        var inner = new MemoryStore();
        var root = await Build(inner, format);
        await root.ConsolidateMetadataAsync(Ct);
        // A change after consolidation is seen only when consolidated metadata is not used.
        await (await ZarrArray.OpenAsync(inner, "a/y", cancellationToken: Ct)).SetAttributesAsync(new JsonObject { ["late"] = true }, Ct);
        var fresh = await ZarrGroup.OpenAsync(inner, "", new ZarrOpenOptions { UseConsolidatedMetadata = false }, Ct);
        Assert.False(fresh.IsConsolidated);
        Assert.True((await fresh.OpenArrayAsync("a/y", Ct)).Attributes["late"]!.GetValue<bool>());
        var consolidated = await ZarrGroup.OpenAsync(inner, "", cancellationToken: Ct);
        Assert.False((await consolidated.OpenArrayAsync("a/y", Ct)).Attributes.ContainsKey("late"));
    }

    [Fact]
    public async Task V3ConsolidatedMetadataOfASubgroup()
    {
        var inner = new MemoryStore();
        await Build(inner, 3);
        var a = await ZarrGroup.OpenAsync(inner, "a", cancellationToken: Ct);
        await a.ConsolidateMetadataAsync(Ct);
        var store = new InstrumentedStore(inner);
        var g = await ZarrGroup.OpenAsync(store, "a", cancellationToken: Ct);
        Assert.Equal(["b", "y"], await g.ListChildrenAsync(Ct));
        Assert.Equal(["x"], await (await g.OpenGroupAsync("b", Ct)).ListChildrenAsync(Ct));
        var x = await g.OpenArrayAsync("b/x", Ct);
        Assert.Equal([4L, 3L], x.Shape);
        Assert.Equal(4, store.Requests); // one round on open: zarr.json and the three v2 documents; the rest from consolidated metadata
    }
}
