#!/usr/bin/env bash
# Installs what mlperf needs beyond Node, from Debian's packages.
#   scripts/setup.sh          the main job (`mlperf suite run`): prometheus, so every test has its
#                             Prometheus exports (service failures, memory leaks, CPU are judged)
#   scripts/setup.sh --test   the tests too: prometheus, chromium, fonts-dejavu-core
# Uses apt-get as root, or through sudo when it needs no password. Where it cannot install, it says
# what is missing and what follows; for the main job that is not an error (the suite still runs and
# every report says which criteria are inconclusive), for --test it is (exit 1).
set -euo pipefail

mode=run
case "${1:-}" in
  '') ;;
  --test) mode=test ;;
  -h | --help)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "setup: unknown option $1 (use --test, or nothing for the main job)" >&2
    exit 2
    ;;
esac

have_prometheus() {
  [ -n "${MLPERF_PROMETHEUS_BIN:-}" ] && [ -x "${MLPERF_PROMETHEUS_BIN}" ] && return 0
  command -v prometheus >/dev/null 2>&1
}

missing=()
have_prometheus || missing+=(prometheus)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || [ -x "${MLPERF_CHROMIUM:-/nonexistent}" ] || missing+=(chromium)
  { fc-list 2>/dev/null | grep -qi dejavu; } || missing+=(fonts-dejavu-core)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: nothing to install ($(prometheus --version 2>/dev/null | head -n1 || echo "prometheus at ${MLPERF_PROMETHEUS_BIN:-}"))"
  exit 0
fi

consequence() {
  if [ "$mode" = test ]; then
    echo "setup: the tests need ${missing[*]}; install them and run again" >&2
    exit 1
  fi
  echo "setup: without prometheus the suite still runs on the engine's own measurements, but" >&2
  echo "       'No service failures', 'No memory leaks' and 'CPU usage < 80%' cannot be judged:" >&2
  echo "       those criteria (and so the target and endurance tests) end inconclusive." >&2
  echo "       Install it (apt-get install prometheus, or a release binary on PATH or in" >&2
  echo "       MLPERF_PROMETHEUS_BIN) and run the suite again." >&2
  exit 0
}

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: ${missing[*]} not installed, and there is no apt-get on this machine." >&2
  consequence
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "setup: ${missing[*]} not installed, and installing needs root: run" >&2
  echo "       sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  consequence
fi

echo "setup: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The Debian prometheus package may start a system instance on :9090; mlperf starts its own on free ports.
if "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "setup: installed ${missing[*]}"
else
  echo "setup: apt-get could not install ${missing[*]} (see its messages above)." >&2
  consequence
fi
