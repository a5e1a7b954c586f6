using System.Globalization;
using System.Text;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// The head of an HTTP/1.1 message as <see cref="FaultProxy"/> sees it: the start line's three parts and the header
/// lines in their order, kept as received so that forwarding changes nothing.
/// </summary>
internal sealed record HttpHead(string First, string Target, string Last, IReadOnlyList<(string Name, string Value)> Headers)
{
    /// <summary>The method of a request.</summary>
    public string Method => First;

    public static HttpHead Parse(string head)
    {
        var lines = head.Split("\r\n");
        var start = lines[0].Split(' ', 3);
        if (start.Length < 2) throw new InvalidDataException($"not an HTTP start line: '{lines[0]}'");
        var headers = new List<(string, string)>();
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"not an HTTP header line: '{line}'");
            headers.Add((line[..colon], line[(colon + 1)..].Trim()));
        }
        return new HttpHead(start[0], start[1], start.Length > 2 ? start[2] : "", headers);
    }

    public string? this[string name] => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>True when header <paramref name="name"/> lists <paramref name="token"/> (case-insensitive).</summary>
    public bool Has(string name, string token) => Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
        && h.Value.Split(',').Any(v => v.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)));

    public bool IsChunked => Has("Transfer-Encoding", "chunked");

    public long? ContentLength => this["Content-Length"] is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : null;

    public HttpHead Without(string name) => this with { Headers = Headers.Where(h => !h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList() };

    /// <summary>The head on the wire, blank line included.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(First).Append(' ').Append(Target);
        if (Last.Length > 0) text.Append(' ').Append(Last);
        text.Append("\r\n");
        foreach (var (name, value) in Headers) text.Append(name).Append(": ").Append(value).Append("\r\n");
        return text.Append("\r\n").ToString();
    }
}
