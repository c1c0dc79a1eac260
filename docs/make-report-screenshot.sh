#!/usr/bin/env bash
# Regenerates docs/report-sample.png, the picture under "### report" in the README: the
# top of the sample register's report as headless Chromium draws it, 800 pixels wide.
# Needs agreements and Pillow on PATH (pip install -e '.[test]') and Chromium: chromium,
# chromium-browser or google-chrome, or the one $AGREEMENTS_CHROMIUM names.
#
#   bash docs/make-report-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
browser="${AGREEMENTS_CHROMIUM:-}"
if [ -z "$browser" ]; then
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null; then
      browser="$name"
      break
    fi
  done
fi
if [ -z "$browser" ] || ! command -v "$browser" >/dev/null; then
  echo "make-report-screenshot: no Chromium found; set AGREEMENTS_CHROMIUM to one" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A copy, so that nothing (not even a lock file) is written beside the sample register;
# a fixed --as-of and day of making (SOURCE_DATE_EPOCH, 1 December 2026), so that the
# picture changes only when the report does.
cp data/sample-register.json "$work/"
SOURCE_DATE_EPOCH=1796083200 agreements --db "$work/sample-register.json" report \
  --as-of 2026-12-01 -o "$work/report.html"

# The page is 900 px wide at most: a window of that width shows the heading band from
# edge to edge; 1460 px ends below the chart by continent. --no-sandbox lets it run as
# root (CI, containers); without its background traffic it never waits on a closed network.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-extensions --hide-scrollbars --force-device-scale-factor=1 \
  --user-data-dir="$work/profile" --window-size=900,1460 \
  --screenshot="$work/report.png" "file://$work/report.html" 2>"$work/chromium.log" ||
  { cat "$work/chromium.log" >&2; exit 1; }

python3 - "$work/report.png" docs/report-sample.png <<'PYTHON'
import sys

from PIL import Image

WIDTH = 800
with Image.open(sys.argv[1]) as shot:
    height = round(shot.height * WIDTH / shot.width)
    small = shot.convert("RGB").resize((WIDTH, height), Image.Resampling.LANCZOS)
small.save(sys.argv[2], optimize=True)
PYTHON
echo "Wrote docs/report-sample.png ($(wc -c <docs/report-sample.png) bytes)"
