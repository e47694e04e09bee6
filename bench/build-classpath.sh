#!/usr/bin/env bash
# Sourced by the bench scripts: builds the jar and test classes, and sets BENCH_CP to the test classpath.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
BENCH_CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
