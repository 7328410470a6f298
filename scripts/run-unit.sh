#!/bin/sh
# run-unit.sh - runs each unit-test binary and prints the totals.
passed=0 failed=0 status=0
for t in "$@"; do
	out=$("$t" 2>&1) || status=1
	printf '%s\n' "$out" | grep -v ' passed, .* failed$' || true
	line=$(printf '%s\n' "$out" | grep ' passed, .* failed$' | tail -1)
	p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL $t (crashed or printed no totals)"
		failed=$((failed + 1)) status=1
		continue
	fi
	passed=$((passed + p)) failed=$((failed + f))
	[ "$f" = 0 ] || echo "FAIL $t"
done
echo "unit: $passed passed, $failed failed"
exit $status
