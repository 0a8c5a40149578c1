#!/usr/bin/env bash
# Installs what onemap needs and the machine lacks: PostgreSQL 15 with
# PostGIS 3 and pgRouting 3 (the tours route over the road network with
# pgRouting), GDAL's ogr2ogr/ogrinfo (gdal-bin: the land imports read the
# bureau's Shapefiles, GeoPackages and FileGDBs with it), all Debian's
# packages, and the npm packages of the web app.
# With --browser also Chromium, the CJK fonts and poppler-utils (pdftoppm,
# pdftotext, pdfinfo: the print test reads its PDFs) the browser tests need.
# Everything comes from Debian's packages and the npm registry; nothing is
# downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

pkgs=()
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || pkgs+=(postgresql-15-postgis-3)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || pkgs+=(postgresql-15)
command -v ogr2ogr >/dev/null 2>&1 || pkgs+=(gdal-bin)
ls /usr/share/postgresql/*/extension/pgrouting.control >/dev/null 2>&1 || pkgs+=(postgresql-15-pgrouting)
if [ "$want_browser" = 1 ]; then
	command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || pkgs+=(fonts-noto-cjk)
	command -v pdftoppm >/dev/null 2>&1 || pkgs+=(poppler-utils)
fi
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)

if [ ${#pkgs[@]} -gt 0 ]; then
	echo "deps: installing ${pkgs[*]}"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}"
fi

# npm packages of the web app, from the lock file; installed again when
# package.json, the lock file, .npmrc or the Node.js version changed since,
# so that npm ci checks the engines (frontend/.npmrc sets engine-strict) of
# the web app and every locked package against the Node.js that runs: on a
# mismatch npm ci fails with EBADENGINE, and so does this script (and
# .ci/run), instead of leaving packages installed for another Node.js.
want="node $(node --version) $(cat frontend/package.json frontend/package-lock.json frontend/.npmrc | sha256sum | cut -d' ' -f1)"
stamp=frontend/node_modules/.onemap-deps
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "deps: npm ci in frontend/ (Node.js $(node --version))"
	(cd frontend && npm ci --no-audit --no-fund)
	echo "$want" >"$stamp"
fi
