#!/usr/bin/env bash
# Refresh the vendored axe-core (npm axe-core, MPL-2.0) used by the accessibility tests: tests/vendor/axe/.
#
#   scripts/refresh-axe.sh            # the version in tests/vendor/axe/VERSION
#   scripts/refresh-axe.sh 4.15.0     # another version
#
# The tests inject axe.min.js into the pages they open in headless Chromium; it is a test tool only and
# is never served by the app.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/tests/vendor/axe"
version="${1:-$(cat "$target/VERSION")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf axe-core-*.tgz)
mkdir -p "$target"
cp "$work/package/axe.min.js" "$work/package/LICENSE" "$work/package/LICENSE-3RD-PARTY.txt" "$target/"
echo "$version" > "$target/VERSION"
npm view "axe-core@$version" dist.integrity > "$target/INTEGRITY"
echo "refreshed axe-core $version in ${target#"$here"/}"
