#!/usr/bin/env bash
# Builds the bundled guests with the real IA-64 binutils into out/guests/.
set -euo pipefail
cd "$(dirname "$0")/.."
Guests/kernel/build.sh out/guests
