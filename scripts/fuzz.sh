#!/usr/bin/env bash
# Runs every Go fuzz target of onemap (func FuzzXxx in a test file) for
# FUZZTIME each (default 30s), one after the other: `go test -fuzz` takes
# one target per run. Targets are found in the test files, so a new one is
# run without a change here. `go test` (make test) runs only each target's
# seed corpus. A failing input is written under the package's
# testdata/fuzz/ and stops the run.
#
# Each input that finds new code is minimized for at most
# FUZZMINIMIZETIME (default 5s; go test's own default is 60s): with 60s, a
# 60-second run of FuzzBind ran 11,000 inputs in its first 9 seconds and
# then minimized three inputs until the end; with 2s, a 30-second run ran
# 35,000.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-5s}

find . -name '*_test.go' -not -path './frontend/*' -not -path './.*' | sort |
	xargs grep -H '^func Fuzz' |
	sed -E 's|^\./(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+).*|\1 \2|' |
	while read -r pkg name; do
		echo "== ./$pkg $name for $FUZZTIME"
		"$GO" test "./$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME"
	done
