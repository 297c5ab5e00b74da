#!/usr/bin/env bash
# Fetch the browser libraries the map needs (Leaflet, supercluster for clustering, jQuery for
# folium popups) from the npm registry, check their SHA-256, and unpack them under static/vendor/
# so the map works with no CDN.  Idempotent: does nothing when the files are already there.
set -euo pipefail
dest="${1:-static/vendor}"
declare -A SHA=(
  [leaflet-1.9.4.tgz]=84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
  [jquery-3.7.1.tgz]=68a9f787516da47c680e09c187bcbac4536b6f85d90eb882844e12919e583f53
  [supercluster-8.0.1.tgz]=9cc3a18707e07453270c5e0b1d2ec2419af03f1794b8c8ca7ac4e33d61f78673
)
if [ -f "$dest/leaflet/leaflet.js" ] && [ -f "$dest/jquery/jquery.min.js" ] \
  && [ -f "$dest/supercluster/supercluster.min.js" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "vendor_assets: npm not found; the map will load Leaflet from its CDN (needs internet)." >&2
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack leaflet@1.9.4 jquery@3.7.1 supercluster@8.0.1 --silent >/dev/null)
for f in "${!SHA[@]}"; do
  echo "${SHA[$f]}  $tmp/$f" | sha256sum --check --quiet
done
mkdir -p "$dest/leaflet" "$dest/jquery" "$dest/supercluster"
tar xzf "$tmp/leaflet-1.9.4.tgz" -C "$tmp" package/dist
cp -r "$tmp/package/dist/leaflet.js" "$tmp/package/dist/leaflet.css" "$tmp/package/dist/images" "$dest/leaflet/"
rm -rf "$tmp/package"
tar xzf "$tmp/jquery-3.7.1.tgz" -C "$tmp" package/dist/jquery.min.js
cp "$tmp/package/dist/jquery.min.js" "$dest/jquery/"
# supercluster's UMD build bundles its one dependency (kdbush); ISC licence, kept beside it.
tar xzf "$tmp/supercluster-8.0.1.tgz" -C "$tmp" package/dist/supercluster.min.js package/LICENSE
cp "$tmp/package/dist/supercluster.min.js" "$tmp/package/LICENSE" "$dest/supercluster/"
rm -rf "$tmp/package"
echo "vendor_assets: Leaflet 1.9.4, supercluster 8.0.1 and jQuery 3.7.1 in $dest"
