#!/usr/bin/env bash
# The main job on the sample dataset shipped in samples/data (written by zarr-python; no cloud account):
# inspect it, read a time series and a map, convert it to Zarr v3 and to a sharded array, all with the
# `zarr` tool, then run the ReadSst sample program. Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=demo-output
rm -rf "$out" && mkdir -p "$out"
echo "== building the zarr tool"
dotnet build src/Zarr.Cloud.Cli -c Release -o "$out/bin" -v quiet -nologo | grep -E "error|Warn" || true
zarr() { echo; echo "\$ zarr $*"; dotnet "$out/bin/zarr.dll" "$@"; }
sst=samples/data/sst.zarr

zarr info "$sst"
zarr tree "$sst"
zarr info "$sst/analysed_sst"
zarr get "$sst/analysed_sst" --select ":,30,20"
zarr get "$sst/analysed_sst" --select=-1,::10,::10 -o "$out/map.npy" --stats
zarr get "$sst/analysed_sst" --select=-1,::10,::10 -o "$out/map.csv"
zarr copy "$sst" "$out/sst-v3.zarr" --format 3 --codec zstd:3 --stats
zarr copy "$out/sst-v3.zarr/analysed_sst" "$out/sst-sharded.zarr" --chunks 1,45,90 --shards 4,90,180
zarr info "$out/sst-sharded.zarr"
zarr get "$out/sst-sharded.zarr" --select ":,30,20" --stats

echo; echo "\$ dotnet run --project samples/ReadSst"
dotnet run --project samples/ReadSst -c Release -v quiet
echo; echo "demo done: outputs in $out/"
