#!/bin/sh
# The whole test suite: builds the plugin, then runs the pytest suites
# against the installed tshark with the fresh build (see test/conftest.py).
# Arguments replace the default "test" and go to pytest, e.g.
# tools/test.sh test/suite_msstun.py -k rfc5769
#
# The suites run in MSSTUN_TEST_JOBS pytest-xdist workers (default: one per
# processor, at most 4; 1 runs them in this process), a test file per
# worker.  Without arguments, the hostile-input cost cases (marker
# "hostile", test/costs.py) then run alone, one at a time, so that no other
# test shares the processors while they measure.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh

jobs=${MSSTUN_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
parallel=""
if [ "$jobs" -gt 1 ] && /usr/bin/python3 -c 'import xdist' 2>/dev/null; then
    parallel="-n $jobs --dist loadfile"
fi

pytest() {
    # shellcheck disable=SC2086
    /usr/bin/python3 -m pytest -c test/pytest.ini $parallel "$@"
}

if [ $# -gt 0 ]; then
    pytest "$@"
    exit
fi
rc=0
pytest -m "not hostile" test || rc=$?
parallel=""
pytest -m hostile test || rc=$?
exit $rc
