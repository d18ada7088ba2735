#!/usr/bin/env bash
# `npm test`'s checks before vitest: the typecheck beside eslint + prettier. Each is one process on one core, so in
# series one core of two idled (docs/performance.md "The suite"). Fails when either fails; both always finish.
set -uo pipefail
tsc --noEmit &
typecheck=$!
eslint . && prettier --check .
lint=$?
wait "$typecheck"
types=$?
if ((types != 0)); then echo "typecheck failed" >&2; fi
if ((lint != 0)); then echo "lint failed" >&2; fi
exit $((types != 0 || lint != 0))
