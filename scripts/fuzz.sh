#!/usr/bin/env bash
# Fuzz orderhook with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Runs each target (default: all of fuzz/fuzz_targets) for SECONDS_PER_TARGET
# (default 180) on one core, one after the other, with AddressSanitizer and
# overflow checks. Seed corpora are rebuilt from the repository's own payloads
# (tests/fixtures, examples/samples) on every run into fuzz/corpus/<target>
# (git-ignored). Crashes go to fuzz/artifacts/<target>/, logs to
# fuzz/logs/. Exits non-zero if any target found a crash, a timeout or an
# out-of-memory. Results are recorded in tests/ROBUSTNESS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-180}
[ $# -gt 0 ] && shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse parse_polar parse_voucherify parse_vrio detect verify_polar verify_voucherify structured)
fi

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# cargo-fuzz passes nightly-only flags (-Zsanitizer=address, sancov passes);
# the machine has only the stable toolchain, which accepts them this way.
export RUSTC_BOOTSTRAP=1

# The JSON inside a document page (tests/fixtures/*.txt): from the first `{` to its matching `}`.
extract_json() {
  python3 - "$1" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read()
s = t.find("{")
if s < 0:
    sys.stdout.write(t); sys.exit()
depth, in_str, esc = 0, False, False
for i, c in enumerate(t[s:]):
    if in_str:
        if esc: esc = False
        elif c == "\\": esc = True
        elif c == '"': in_str = False
        continue
    if c == '"': in_str = True
    elif c == "{": depth += 1
    elif c == "}":
        depth -= 1
        if depth == 0:
            sys.stdout.write(t[s:s + i + 1]); sys.exit()
sys.stdout.write(t[s:])
PY
}

seed_corpus() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  rm -f "$dir"/seed-*
  case $target in
    parse | parse_* | detect)
      # Raw bodies: every payload we have, as it is; a document page also as its JSON.
      for f in tests/fixtures/* examples/samples/*.json; do
        cp "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
        if [ "${f%.txt}" != "$f" ] && command -v python3 >/dev/null 2>&1; then
          extract_json "$f" >"$dir/seed-json-$(basename "$f")"
        fi
      done
      ;;
    *)
      # These targets read tests/fixtures and examples/samples themselves and take their
      # choices from the input bytes: start them from a few random choice streams.
      for n in 1 2 3 4 5 6 7 8; do head -c $((n * 128)) /dev/urandom >"$dir/seed-random-$n"; done
      ;;
  esac
}

mkdir -p fuzz/logs
echo "building ${#targets[@]} targets (release, ASan, debug assertions)…"
cargo fuzz build --debug-assertions

failed=()
summary=()
for t in "${targets[@]}"; do
  seed_corpus "$t"
  log=fuzz/logs/$t.log
  echo "fuzzing $t for ${seconds}s (log: $log)"
  max_len=16384
  [ "$t" = structured ] || [ "${t#verify}" != "$t" ] && max_len=4096
  start=$(date +%s)
  if cargo fuzz run --debug-assertions "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$t")
  fi
  secs=$(($(date +%s) - start))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  peak=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  summary+=("$(printf '%-18s %-6s %6ss %12s runs  cov %6s  peak %5s MB  corpus %6s' \
    "$t" "$status" "$secs" "$runs" "$cov" "$peak" "$corpus")")
  if [ "$status" = FAILED ]; then
    grep -E 'ERROR|panicked|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
  fi
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]} (see fuzz/artifacts/ and fuzz/logs/)" >&2
  exit 1
fi
