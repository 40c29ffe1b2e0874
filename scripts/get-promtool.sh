#!/usr/bin/env bash
# Prints the path of a promtool binary, fetching one when needed: $PROMTOOL, promtool on PATH, or the
# one in Debian's prometheus package, unpacked (no daemon installed or started) into a cache folder.
set -euo pipefail

if [ -n "${PROMTOOL:-}" ] && [ -x "$PROMTOOL" ]; then echo "$PROMTOOL"; exit 0; fi
if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi

cache="${PROMTOOL_CACHE_DIR:-${TMPDIR:-/tmp}/sessiond-promtool}"
if [ -x "$cache/promtool" ]; then echo "$cache/promtool"; exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool not found: install Prometheus (it ships promtool) or set PROMTOOL=/path/to/promtool" >&2
  exit 1
fi
mkdir -p "$cache/download"
(
  cd "$cache/download"
  # apt-get download works as any user once the package lists exist; refresh them when it fails.
  apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get download prometheus >/dev/null; }
) || { echo "could not download Debian's prometheus package (run as root, or set PROMTOOL)" >&2; exit 1; }
# Keep promtool only: the package's daemon and its files are never used.
dpkg -x "$cache"/download/prometheus_*.deb "$cache/download/root"
mv "$cache/download/root/usr/bin/promtool" "$cache/promtool"
rm -rf "$cache/download"
"$cache/promtool" --version 2>&1 | head -n 1 >&2
echo "$cache/promtool"
