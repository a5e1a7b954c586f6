#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
# Usage: ./test.sh            (as root, or with sudo available, for apt-get)
# Prints, as its last line, "N passed, N failed[, N skipped]" taken from the test results.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

# 1. Debian packages: zarr-python 2.13 and numcodecs (reference implementation for interop tests).
#    Always Debian's /usr/bin/python3: a pyenv python3 on PATH has no zarr.
#    nginx: the real web server the HTTP store tests talk to.
#    redis-server: the shared second-level chunk cache tests (HybridCache over Redis) of the DI package.
#    chromium: the headless browser the slice service's page tests drive (Playwright with ExecutablePath, no download).
#    ZARR_CHROMIUM names another Chromium-based browser instead (GitHub's Ubuntu runners: /usr/bin/google-chrome;
#    Ubuntu's apt "chromium" is only a stub for a snap).
APT_PACKAGES="python3-zarr python3-numcodecs python3-numpy python3-blosc nginx redis-server"
CHROMIUM="${ZARR_CHROMIUM:-/usr/bin/chromium}"
[ -n "${ZARR_CHROMIUM:-}" ] || APT_PACKAGES="$APT_PACKAGES chromium"
need_apt=0
/usr/bin/python3 -c "import zarr, numcodecs, numpy, blosc" >/dev/null 2>&1 || need_apt=1
[ -x /usr/sbin/nginx ] || need_apt=1
[ -x /usr/bin/redis-server ] || need_apt=1
[ -x "$CHROMIUM" ] || need_apt=1
if [ "$need_apt" = "1" ]; then
  echo "== installing Debian packages: $APT_PACKAGES"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
fi
/usr/bin/python3 -c "import zarr, numcodecs; print('zarr-python', zarr.__version__, 'numcodecs', numcodecs.__version__)"

# 2. npm packages, pinned by package-lock.json: zarrita.js (second reference implementation) and the
#    storage emulators the cloud store tests start: Azurite, s3rver (patched for its range and listing
#    bugs by tests/emulators/patch-s3rver.js) and firebase-tools' Cloud Storage emulator.
echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error
node tests/emulators/patch-s3rver.js

# 3. All tests. Results as TRX so the totals below come from the results, not from console text.
rm -rf TestResults
# Files tests keep for people to look at (the slice service page's screenshot) go beside the results.
export ZARR_TEST_ARTIFACTS="$PWD/TestResults/artifacts"
set +e
dotnet test Zarr.Cloud.sln -c Release --logger "trx" --results-directory TestResults "$@"
status=$?
set -e

passed=0; failed=0; skipped=0; files=0
for f in TestResults/*.trx; do
  [ -f "$f" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); fl=$(get failed); t=$(get total); e=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$files" = "0" ]; then
  echo "no test results were written (build failure?)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "$status" != "0" ] && [ "$failed" = "0" ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
