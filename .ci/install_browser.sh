#!/usr/bin/env bash
# Debian's Chromium (and ChromeDriver) for the page tests (tests/test_report.py,
# tests/test_explorer.py), installed with apt-get only when /usr/bin/chromium is missing.
# Idempotent; prints one line. Exits non-zero only when an install was needed and failed
# (the page tests then skip, saying why).
set -uo pipefail

version() { /usr/bin/chromium --version 2>/dev/null | head -n 1; }

if [ -x /usr/bin/chromium ]; then
  echo "browser: $(version || echo chromium) already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "browser: /usr/bin/chromium missing and not root (no sudo): page tests will skip"; exit 1
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq >"$log" 2>&1 &&
   $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation >>"$log" 2>&1 &&
   [ -x /usr/bin/chromium ]; then
  echo "browser: installed $(version || echo chromium) with apt-get"
else
  echo "browser: apt-get could not install chromium: $(grep -E '^(E|W):' "$log" | tail -n 1 || tail -n 1 "$log")"
  exit 1
fi
