#!/usr/bin/env bash
# Make sure the real Prometheus tools the tests run are installed: promtool and prometheus
# (Debian "prometheus"), amtool and alertmanager ("prometheus-alertmanager"), jsonnet ("jsonnet").
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v jsonnet >/dev/null 2>&1 || missing+=(jsonnet)
[ ${#missing[@]} -eq 0 ] && exit 0
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: missing tools; install these Debian packages by hand (or their equivalents): $packages" >&2
  echo "  sudo apt-get install -y --no-install-recommends $packages" >&2
  exit 1
fi
echo "ensure-tools: installing $packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# The Debian packages start services on install where an init system runs; the tests start their own.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  (command -v systemctl >/dev/null 2>&1 && systemctl stop "$svc" >/dev/null 2>&1) || true
done
