#!/usr/bin/env bash
# What podium's tests need from the system, in one place for `make test` and .ci/run:
# Debian's Chromium for the browser tests (never a downloaded browser build), DejaVu
# fonts for the pages they render, poppler's pdftotext and pdftoppm to read the PDFs,
# and the local PostgreSQL and Redis that the store and scale-out tests talk to.
# Installs and starts what it can (root and apt-get, as on CI); elsewhere stops at once
# with the one command to run.
set -euo pipefail

PACKAGES="chromium fonts-dejavu-core poppler-utils"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

missing() {
  command -v chromium >/dev/null 2>&1 || return 0
  command -v pdftotext >/dev/null 2>&1 || return 0
  command -v pdftoppm >/dev/null 2>&1 || return 0
  [ -e "$FONT" ] || return 0
  return 1
}

install_packages() {
  missing || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what the tests need: $PACKAGES" >&2
    apt-get update -qq
    # shellcheck disable=SC2086  # the list is words on purpose
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
    missing || return 0
    echo "Still missing after apt-get install $PACKAGES: see the messages above." >&2
    exit 1
  fi
  echo "The tests need Chromium, the DejaVu fonts and poppler's pdftotext. Run:" >&2
  echo "    sudo apt-get install -y $PACKAGES" >&2
  echo "then make test again." >&2
  exit 1
}

# PostgreSQL and Redis on 127.0.0.1: started when installed and down (the same
# commands the machine's services are started with); a missing one is said, not skipped.
start_services() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
      echo "The tests need PostgreSQL on 127.0.0.1:5432 (database test, user postgres;" >&2
      echo "or set PODIUM_TEST_POSTGRES_URL). Start or install it, e.g.:" >&2
      echo "    sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start" >&2
      exit 1
    fi
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if command -v redis-server >/dev/null 2>&1; then
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
        sleep 0.2
      done
    fi
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
      echo "The scale-out tests need Redis on 127.0.0.1:6379. Install it, e.g.:" >&2
      echo "    sudo apt-get install -y redis-server" >&2
      exit 1
    fi
  fi
}

install_packages
start_services
