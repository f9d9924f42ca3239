#!/bin/sh
# The whole test suite: builds the plugin, then runs the pytest suites
# against the installed tshark with the fresh build (see test/conftest.py).
# Arguments replace the default "test" and go to pytest, e.g.
# tools/test.sh test/suite_msstun.py -k rfc5769
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
[ $# -eq 0 ] && set -- test
exec /usr/bin/python3 -m pytest -c test/pytest.ini "$@"
