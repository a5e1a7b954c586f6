# syntax=docker/dockerfile:1
# The `zarr` command-line tool as a container image, for bulk work such as the partitioned copy of
# deploy/k8s/copy-job.yaml. Build from the repository root:
#   docker build -f deploy/cli.Dockerfile -t zarr-cloud/zarr-cli .
#   docker run --rm zarr-cloud/zarr-cli info s3://mur-sst/zarr-v1 --anonymous

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/Zarr.Cloud.Cli/Zarr.Cloud.Cli.csproj -c Release -o /app /p:UseAppHost=false

# The plain .NET runtime (the CLI is no web app); it has /bin/sh, which the Indexed Job uses to pass its index.
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/zarr.dll"]
