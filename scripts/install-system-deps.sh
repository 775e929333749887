#!/usr/bin/env bash
# Installs the Debian packages SyncLens's scripts and tests need, only when missing.
# sqlite3: the real SQLite writer for fixtures and the benchmark baseline.
# chromium: the headless browser that drives the real VS Code workbench and takes screenshots.
# libkrb5-dev: needed to compile code-server's kerberos addon.
# python3, make, g++: node-gyp compiles code-server's native addons (scripts/vscode/install.ts).
# sqlcipher: makes real SQLCipher-encrypted files for the bad-file classification tests.
set -euo pipefail
missing=()
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v sqlcipher >/dev/null 2>&1 || missing+=(sqlcipher)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
