#!/usr/bin/env bash
# Re-fetch the vendored front-end libraries from the npm registry with `npm pack`
# and copy only the files the app serves (plus each package's licence).
#
#   static/vendor/update.sh            fetch the pinned versions below
#   static/vendor/update.sh --check    fetch into a temp dir and compare with SHA256SUMS
#
# Versions are pinned here; to upgrade, change a version, run the script,
# review the diff and update README.md. No CDN is used at run time: the app
# serves these files from /static/vendor/.
set -euo pipefail

LEAFLET_VERSION=1.9.4
MARKERCLUSTER_VERSION=1.5.3
VIS_NETWORK_VERSION=10.1.5
AXE_CORE_VERSION=4.14.1

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODE="${1:-install}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ "$MODE" == "--check" ]]; then
    DEST="$WORK/out"
else
    DEST="$HERE"
fi

fetch() {  # fetch <package> <version> -> prints the extracted package dir
    local pkg="$1" ver="$2" dir="$WORK/$1-$2"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$pkg@$ver" >/dev/null && tar xzf ./*.tgz)
    echo "$dir/package"
}

put() {  # put <src> <dest-relative-to-vendor>
    mkdir -p "$(dirname "$DEST/$2")"
    cp "$1" "$DEST/$2"
}

# Leaflet (BSD-2-Clause)
src="$(fetch leaflet "$LEAFLET_VERSION")"
rm -rf "$DEST/leaflet"
put "$src/dist/leaflet.js" leaflet/leaflet.js
put "$src/dist/leaflet.css" leaflet/leaflet.css
for img in layers.png layers-2x.png marker-icon.png marker-icon-2x.png marker-shadow.png; do
    put "$src/dist/images/$img" "leaflet/images/$img"
done
put "$src/LICENSE" leaflet/LICENSE

# Leaflet.markercluster (MIT)
src="$(fetch leaflet.markercluster "$MARKERCLUSTER_VERSION")"
rm -rf "$DEST/leaflet.markercluster"
put "$src/dist/leaflet.markercluster.js" leaflet.markercluster/leaflet.markercluster.js
put "$src/dist/MarkerCluster.css" leaflet.markercluster/MarkerCluster.css
put "$src/dist/MarkerCluster.Default.css" leaflet.markercluster/MarkerCluster.Default.css
put "$src/MIT-LICENCE.txt" leaflet.markercluster/MIT-LICENCE.txt

# vis-network, standalone UMD build (Apache-2.0 OR MIT). The standalone build
# carries its own CSS and injects it; under our CSP that injection is blocked,
# so the few rules we need live in static/css/map.css instead.
src="$(fetch vis-network "$VIS_NETWORK_VERSION")"
rm -rf "$DEST/vis-network"
put "$src/standalone/umd/vis-network.min.js" vis-network/vis-network.min.js
put "$src/LICENSE-APACHE-2.0" vis-network/LICENSE-APACHE-2.0
put "$src/LICENSE-MIT" vis-network/LICENSE-MIT

# axe-core (MPL-2.0), used only by the browser accessibility tests.
src="$(fetch axe-core "$AXE_CORE_VERSION")"
rm -rf "$DEST/axe-core"
put "$src/axe.min.js" axe-core/axe.min.js
put "$src/LICENSE" axe-core/LICENSE
put "$src/LICENSE-3RD-PARTY.txt" axe-core/LICENSE-3RD-PARTY.txt

if [[ "$MODE" == "--check" ]]; then
    (cd "$DEST" && sha256sum -c "$HERE/SHA256SUMS")
else
    (cd "$HERE" && find leaflet leaflet.markercluster vis-network axe-core -type f \
        | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
    echo "vendored files updated in $HERE (see SHA256SUMS)"
fi
