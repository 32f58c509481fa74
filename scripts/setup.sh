#!/usr/bin/env bash
# Installs the real IA-64 tools xdbg is tested against, only where missing. Idempotent.
set -euo pipefail
need=()
command -v ia64-linux-gnu-as >/dev/null 2>&1 || need+=(binutils-ia64-linux-gnu)
command -v gdb-multiarch >/dev/null 2>&1 || need+=(gdb-multiarch)
[ -f /usr/include/elfutils/libdw.h ] || need+=(libdw-dev)
[ -f /usr/include/libunwind.h ] || [ -f /usr/include/x86_64-linux-gnu/libunwind.h ] || need+=(libunwind-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
