#!/usr/bin/env bash
# The Debian packages some tests need, installed in one place (CI runs this before the test suite):
#   chromium             headless page, map and editor tests (tests/test_browser.py …)
#   wrk                  the load generator of `samkart bench`
#   virtuoso-opensource  the remote-engine tests against OpenLink Virtuoso (tests/test_virtuoso.py)
# Without root it uses sudo when there is one. Tests whose binary is missing skip with a reason
# naming this script, except with CI=true, where they fail.
set -euo pipefail
declare -A BINARY=([chromium]=chromium [wrk]=wrk [virtuoso-opensource]=virtuoso-t)
missing=()
for package in "${!BINARY[@]}"; do
    command -v "${BINARY[$package]}" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present (${!BINARY[*]})"
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "system packages: need root to install ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
for package in "${missing[@]}"; do
    command -v "${BINARY[$package]}" >/dev/null 2>&1 || { echo "system packages: $package installed but ${BINARY[$package]} is not on PATH" >&2; exit 1; }
done
echo "system packages: installed ${missing[*]}"
