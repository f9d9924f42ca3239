#!/bin/sh
# The whole test suite: builds the plugin, then runs the pytest suites
# against the installed tshark with the fresh build (see test/conftest.py).
# Extra arguments go to pytest, e.g. tools/test.sh -k rfc5769
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
exec /usr/bin/python3 -m pytest -c test/pytest.ini test "$@"
