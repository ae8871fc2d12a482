#!/usr/bin/env bash
# Installs the Debian packages the product links (libcurl, zlib, OpenSSL's libcrypto and
# libssl (wss:// streams),
# zstd and snappy for Parquet pages, libpq for publishing to PostgreSQL; SQLite is compiled in)
# and the sqlite3 shell the README queries the marts with
# when they are missing; with --test also what the tests use (Python with pip for the oracles,
# the openssl tool for the wss:// test's certificate, Chromium for the dashboard tests, a PostgreSQL server for the publish tests). Needs root (or sudo) and Debian's package index; runs
# apt-get update at most once.
set -euo pipefail
need=()
[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || need+=(libcurl4-openssl-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
{ [ -f /usr/include/openssl/evp.h ] && [ -f /usr/include/openssl/ssl.h ]; } || need+=(libssl-dev)
[ -f /usr/include/zstd.h ] || need+=(libzstd-dev)
[ -f /usr/include/snappy-c.h ] || need+=(libsnappy-dev)
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
if [ "${1:-}" = "--test" ]; then
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing ${need[*]} ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
