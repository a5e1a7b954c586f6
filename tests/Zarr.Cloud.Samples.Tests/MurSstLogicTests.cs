using System.Text.Json.Nodes;
using Zarr.Cloud.Samples.MurSst;

namespace Zarr.Cloud.Samples.Tests;

/// <summary>The sample's nearest-point search, CF time units and CF unpacking, checked against brute force and by hand.</summary>
public sealed class MurSstLogicTests
{
    [Fact]
    public void NearestMatchesABruteForceSearchOnAnIrregularAxis()
    {
        var random = new Random(7);
        var values = new double[500];
        values[0] = -80;
        for (int i = 1; i < values.Length; i++) values[i] = values[i - 1] + 0.01 + random.NextDouble() * 0.5;
        var axis = new CoordinateAxis("lat", values);
        for (int k = 0; k < 2000; k++)
        {
            double target = values[0] + random.NextDouble() * (values[^1] - values[0]);
            int brute = 0;
            for (int i = 1; i < values.Length; i++) if (Math.Abs(values[i] - target) < Math.Abs(values[brute] - target)) brute = i;
            Assert.Equal(brute, axis.Nearest(target));
        }
        Assert.Equal(0, axis.Nearest(values[0]));
        Assert.Equal(values.Length - 1, axis.Nearest(values[^1]));
    }

    [Fact]
    public void ATieGoesToTheLowerIndexAndHalfAStepOutsideIsOutOfRange()
    {
        var axis = new CoordinateAxis("lon", [-1, 0, 1, 2]);
        Assert.Equal(1, axis.Nearest(0.5));
        Assert.Equal(0, axis.Nearest(-1.5));
        Assert.Equal(3, axis.Nearest(2.5));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => axis.Nearest(2.51));
        Assert.Equal("lon 2.51 is outside the dataset's lon range -1 .. 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => axis.Nearest(double.NaN));
        Assert.Throws<ArgumentException>(() => new CoordinateAxis("lat", [3, 2, 1]));
        Assert.Throws<ArgumentException>(() => new CoordinateAxis("lat", []));
    }

    [Theory]
    [InlineData("days since 2002-06-01 09:00:00", 6423, "2020-01-01T09:00:00")]
    [InlineData("seconds since 1981-01-01 00:00:00 UTC", 1230681600, "2020-01-01T00:00:00")]
    [InlineData("hours since 1970-01-01", 438288, "2020-01-01T00:00:00")]
    [InlineData("minutes since 2020-01-01T00:00:00Z", 90, "2020-01-01T01:30:00")]
    public void CfUnitsGiveTheInstant(string units, long value, string expected)
    {
        var axis = CfTimeAxis.Parse([value], units, "proleptic_gregorian");
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), axis[0]);
        Assert.Equal(DateTimeKind.Utc, axis[0].Kind);
    }

    [Theory]
    [InlineData("days after 2002-06-01", null, "not of the form 'UNIT since DATE'")]
    [InlineData("fortnights since 2002-06-01", null, "unit 'fortnights'")]
    [InlineData("days since June 2002", null, "the reference date 'June 2002'")]
    [InlineData(null, null, "units '' are not of the form")]
    [InlineData("days since 2002-06-01", "360_day", "calendar '360_day' is not supported")]
    public void BadCfUnitsAreFormatErrors(string? units, string? calendar, string message)
    {
        var e = Assert.Throws<FormatException>(() => CfTimeAxis.Parse([0], units, calendar));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADateRangeSelectsTheStepsOnThoseDays()
    {
        // Daily at 09:00 from 2020-01-01, with one day (2020-01-05) absent.
        long[] days = [6423, 6424, 6425, 6426, 6428, 6429];
        var axis = CfTimeAxis.Parse(days, "days since 2002-06-01 09:00:00", null);
        Assert.Equal((1, 4), axis.IndicesOf(new DateOnly(2020, 1, 2), new DateOnly(2020, 1, 5)));
        Assert.Equal((0, 6), axis.IndicesOf(new DateOnly(2019, 1, 1), new DateOnly(2030, 1, 1)));
        Assert.Equal((4, 5), axis.IndicesOf(new DateOnly(2020, 1, 5), new DateOnly(2020, 1, 6)));
        Assert.Throws<ArgumentException>(() => axis.IndicesOf(new DateOnly(2020, 1, 5), new DateOnly(2020, 1, 5)));
        Assert.Throws<ArgumentException>(() => axis.IndicesOf(new DateOnly(2020, 1, 7), new DateOnly(2020, 1, 6)));
    }

    [Fact]
    public void PackingUnpacksAndMasksTheFillValue()
    {
        var packing = CfPacking.FromAttributes(new JsonObject { ["scale_factor"] = 0.001, ["add_offset"] = 298.15 }, -32768);
        Assert.Null(packing.Unpack(-32768));
        Assert.Equal(298.15 + 1.234, packing.Unpack(1234)!.Value, 9);
        var attributeFill = CfPacking.FromAttributes(new JsonObject { ["_FillValue"] = -999 }, null);
        Assert.Null(attributeFill.Unpack(-999));
        Assert.Equal(5.0, attributeFill.Unpack(5));
        Assert.Throws<FormatException>(() => CfPacking.FromAttributes(new JsonObject { ["scale_factor"] = "big" }, null));
    }
}
