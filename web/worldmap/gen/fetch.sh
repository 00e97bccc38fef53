#!/bin/sh
# Fetches world-atlas from the npm registry and writes countries.txt and
# the licence next to it. Run from web/worldmap (go generate does).
set -eu
version=2.0.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "world-atlas@$version" >/dev/null && tar xzf "world-atlas-$version.tgz")
go run ./gen -in "$tmp/package/countries-50m.json" -out countries.txt
{
	echo "countries.txt is made by gen/ from world-atlas $version (https://github.com/topojson/world-atlas),"
	echo "countries-50m.json, itself made from Natural Earth 1:50m Admin 0 countries"
	echo "(https://www.naturalearthdata.com/), which is in the public domain."
	echo
	echo "world-atlas's licence:"
	echo
	cat "$tmp/package/LICENSE"
} >LICENSE
