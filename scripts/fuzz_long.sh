#!/bin/sh
# The long fuzzing profile: 50x the CI examples, random seeds (not derandomized), plus the
# hostile peers and DNS. Minutes, not seconds; run it before a release, not in CI.
#   scripts/fuzz_long.sh            # TLSDOCTOR_FUZZ=long
#   TLSDOCTOR_FUZZ_SCALE=4 scripts/fuzz_long.sh   # 200x
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
[ -x /tmp/venv/bin/python ] && [ "$PYTHON" = python ] && PYTHON=/tmp/venv/bin/python
TLSDOCTOR_FUZZ=long PYTHONPATH=tui exec "$PYTHON" -m pytest \
    tests/test_fuzz.py \
    tests/test_hostile_peers.py tests/test_hostile_dns.py -q -p no:cacheprovider "$@"
