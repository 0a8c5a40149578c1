#!/usr/bin/env bash
# Installs what onemap needs and the machine lacks: PostgreSQL 15 with
# PostGIS 3 (Debian's packages), and the npm packages of the web app.
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

# npm packages of the web app, from the lock file.
stamp=frontend/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ frontend/package-lock.json -nt "$stamp" ]; then
	echo "deps: npm ci in frontend/"
	(cd frontend && npm ci --no-audit --no-fund)
fi
