#!/usr/bin/env bash
# Sets Reveal up on Debian/Ubuntu: the system libraries Kivy needs, and a .venv at the project
# root with the Python packages. Safe to run again: it only installs what is missing.
#   bash scripts/setup.sh          for running the kiosk
#   bash scripts/setup.sh --test   also what the test suite needs (Xvfb, pdftoppm)
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--test" ] && extra="test"

# OpenGL (Mesa) and mtdev: the Kivy wheel bundles SDL2 but not these.
packages=(libgl1-mesa-dri libegl1 libgles2 libmtdev1 xauth)
[ -n "$extra" ] && packages+=(xvfb poppler-utils chromium)

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
    packages+=(python3)
    python=python3
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
        echo "Reveal needs these Debian packages, and this user cannot install them:" >&2
        echo "    apt-get install -y ${missing[*]}" >&2
        echo "Ask an administrator to run that line, then run this script again." >&2
        exit 1
    fi
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Reveal needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
    exit 1
}
[ -x .venv/bin/python ] || "$python" -m venv .venv

# Reinstall only when the declared dependencies change.
stamp=".venv/.reveal-installed-${extra:-run}"
want=$(sha256sum pyproject.toml | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing Python packages into .venv ..."
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".${extra:+[$extra]}"
    echo "$want" > "$stamp"
fi
