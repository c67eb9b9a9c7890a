#!/usr/bin/env bash
# Refresh the vendored YASGUI bundle (npm @zazuko/yasgui, MIT) in service/static/vendor/yasgui/.
#
#   scripts/refresh-yasgui.sh            # the version in service/static/vendor/yasgui/VERSION
#   scripts/refresh-yasgui.sh 4.7.0      # another version (then run the browser tests)
#
# Installs the package with npm into a temporary folder (no install scripts run), copies the release
# bundle (yasgui.min.js without its source-map comment, yasgui.min.css), writes VERSION, the package's
# integrity hash, its licence and the licences of every bundled dependency, and lists the absolute URLs
# in the bundle so a reviewer can see that none is fetched (docs/pages.md says which are and how they
# are turned off in service/static/query.js).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/service/static/vendor/yasgui"
version="${1:-$(cat "$target/VERSION")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --omit=dev --loglevel=error "@zazuko/yasgui@$version"
package="$work/node_modules/@zazuko/yasgui"

mkdir -p "$target"
sed '/^\/\/# sourceMappingURL=/d' "$package/build/yasgui.min.js" > "$target/yasgui.min.js"
sed '/sourceMappingURL=/d' "$package/build/yasgui.min.css" > "$target/yasgui.min.css"
echo "$version" > "$target/VERSION"
npm view "@zazuko/yasgui@$version" dist.integrity > "$target/INTEGRITY"

# The package ships no LICENSE file; its package.json says MIT (author Triply, contributors Zazuko).
node -e '
const p = require(process.argv[1] + "/package.json");
const who = [p.author, ...(p.contributors || []).map((c) => c.name || c)].map((a) => String(a).replace(/\s*<.*>/, "")).join(", ");
console.log(`${p.name} ${p.version}: ${p.license} licence (package.json); source ${p.repository.url}\n`);
console.log(`MIT License\n\nCopyright (c) ${who}\n`);
console.log(`Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`);
' "$package" > "$target/LICENSE"

# Every package bundled into the release build, with its licence text where it ships one.
node -e '
const fs = require("fs"), path = require("path");
const root = process.argv[1], seen = [];
const walk = (dir) => {
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (name.startsWith("@")) { walk(full); continue; }
    const manifest = path.join(full, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const p = JSON.parse(fs.readFileSync(manifest, "utf8"));
    const file = fs.readdirSync(full).find((f) => /^(licen[cs]e|copying)/i.test(f));
    seen.push(`== ${p.name} ${p.version} (${p.license || "see below"})\n` +
              (file ? fs.readFileSync(path.join(full, file), "utf8").trim() : "(no licence file in the package)"));
    if (fs.existsSync(path.join(full, "node_modules"))) walk(path.join(full, "node_modules"));
  }
};
walk(root);
console.log("Packages bundled in yasgui.min.js and yasgui.min.css, as installed by npm:\n\n" + seen.join("\n\n"));
' "$work/node_modules" > "$target/THIRD-PARTY-LICENSES.txt"

echo "refreshed @zazuko/yasgui $version in ${target#"$here"/}; absolute URLs in the bundle (none may be fetched):"
grep -o "https\?://[A-Za-z0-9.-]*" "$target/yasgui.min.js" | sort | uniq -c | sort -rn | head -20
