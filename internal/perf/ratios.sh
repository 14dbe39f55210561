#!/bin/sh
# ratios.sh [ROUNDS [BENCHTIME]]: README's FromResponse ratios. Builds the
# benchmark binary once, then runs, ROUNDS times, each vendor's errcat and
# manual sub-benchmarks of BenchmarkFromResponse in alternating order
# (errcat first in odd rounds, manual first in even ones), each pair back to
# back, and prints per vendor the range (min, median, max) over the rounds
# of errcat ÷ manual for ns/op (wall), cpu-ns/op (the process's CPU time,
# where the system reports it), B/op and allocs/op, and the raw figures.
# Allocation figures do not depend on the machine's load; time does, wall
# time most, which is why the pairs are interleaved rather than run with
# -count.
set -eu
rounds=${1:-5}
benchtime=${2:-20000x}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/perf.test" "$dir"
vendors="alloy samsara quivo trackunit"
r=1
while [ "$r" -le "$rounds" ]; do
	for v in $vendors; do
		if [ $((r % 2)) -eq 1 ]; then order="errcat manual"; else order="manual errcat"; fi
		for side in $order; do
			"$tmp/perf.test" -test.run '^$' -test.bench "^BenchmarkFromResponse\$/^$v\$/^$side\$" \
				-test.benchtime "$benchtime" -test.benchmem |
				awk -v r="$r" -v v="$v" -v s="$side" '/^Benchmark/ {
					cpu = "-"
					for (i = 3; i < NF; i++) {
						if ($(i+1) == "ns/op") ns = $i
						if ($(i+1) == "cpu-ns/op") cpu = $i
						if ($(i+1) == "B/op") bytes = $i
						if ($(i+1) == "allocs/op") allocs = $i
					}
					print r, v, s, ns, bytes, allocs, cpu
				}'
		done
	done
	r=$((r + 1))
done >"$tmp/runs"
awk '
{ key = $1 " " $2; val[key, $3, "ns"] = $4; val[key, $3, "B"] = $5; val[key, $3, "allocs"] = $6; if ($7 != "-") val[key, $3, "cpu-ns"] = $7; rounds[$1] = 1 }
function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
END {
	printf "%-10s %-6s %22s %24s %24s\n", "vendor", "metric", "errcat÷manual min–max", "errcat (min–max)", "manual (min–max)"
	split("alloy samsara quivo trackunit", order, " ")
	for (o = 1; o <= 4; o++) {
		v = order[o]
		for (m = 1; m <= 4; m++) {
			metric = (m == 1) ? "ns" : (m == 2) ? "cpu-ns" : (m == 3) ? "B" : "allocs"
			n = 0; emin = mmin = 1e18; emax = mmax = 0
			for (r in rounds) {
				e = val[r " " v, "errcat", metric]; h = val[r " " v, "manual", metric]
				if (e == "" || h == "") continue
				ratio[++n] = e / h
				if (e < emin) emin = e; if (e > emax) emax = e
				if (h < mmin) mmin = h; if (h > mmax) mmax = h
			}
			if (n == 0) continue
			sort(ratio, n)
			printf "%-10s %-6s %8.2f–%.2f (med %.2f) %11s–%-11s %11s–%-11s\n", v, metric, ratio[1], ratio[n], ratio[int((n + 1) / 2)], emin, emax, mmin, mmax
		}
	}
}' "$tmp/runs"
