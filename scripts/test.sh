#!/usr/bin/env bash
# Installs what the tests need on a fresh machine (Debian's Chromium, the Python
# requirements in .venv), then runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  sudo_if_needed=""
  [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
  echo "Installing Debian's Chromium for the browser test..."
  if ! { $sudo_if_needed apt-get update -qq && \
         $sudo_if_needed apt-get install -y -qq --no-install-recommends chromium; } >/tmp/apt-chromium.log 2>&1; then
    cat /tmp/apt-chromium.log; exit 1
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/pip install -q -r requirements-dev.txt >/tmp/pip-install.log 2>&1; then
  cat /tmp/pip-install.log; exit 1
fi

# axe-core (pinned in package.json / package-lock.json) for tests/test_accessibility.py.
[ -f node_modules/axe-core/axe.min.js ] || npm ci --silent

# Two workers (pytest-xdist), one per core: each has its own Streamlit server, Chromium and
# temporary folders (tests/conftest.py), so tests do not meet. `--dist load` hands each worker
# the next test as soon as it finishes one: with worksteal a worker sat idle up to 10 s waiting
# for tests taken from the other (seen as a 10 s "teardown").
# Run a single test without workers with `-p no:xdist` or `-n 0`.
# pytest exits 5 when it collected no test: that is a failure here too.
exec .venv/bin/python -m pytest -n 2 --dist load "$@"
