#!/usr/bin/env bash
# Builds and runs every libFuzzer target for SECONDS each (default 20), then prints each one's
# executions and coverage. Fails on any crash, leak, per-input timeout (5 s), memory-limit hit
# (2 GiB) or broken property, naming the input that did it.
#
#   Fuzz/run.sh            # the CI step: 20 s a target, targets run side by side
#   Fuzz/run.sh 600        # a longer run by hand
#   Fuzz/run.sh 60 MaskSpecFuzz SessionFuzz
#
# FUZZ_JOBS (default: the number of CPUs) targets run at once. Inputs that add coverage are kept
# in .build-fuzz/corpus/<Target> and reused by the next run; failing inputs are written to
# .build-fuzz/artifacts/. Seeds come from Fuzz/corpus/<Target> (see Fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: Fuzz/run.sh [SECONDS] [TARGET...]" >&2; exit 2; }

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(ls Fuzz/Targets | sed -n 's/^\([A-Za-z]*Fuzz\)\.swift$/\1/p')

bin=$(Fuzz/build.sh "${targets[@]}" | tail -n 1)

dictionary() {
  case $1 in
    SafeTensorsHeaderFuzz|BertConfigFuzz|TokenizerJSONFuzz|SessionFuzz) echo Fuzz/dict/json.dict ;;
    GGUFFuzz) echo Fuzz/dict/gguf.dict ;;
    ThemeTOMLFuzz|LessonTOMLFuzz) echo Fuzz/dict/toml.dict ;;
    MaskSpecFuzz|MaskPatternFuzz) echo Fuzz/dict/mask.dict ;;
  esac
}

# TOMLKit leaks on every parse (see Fuzz/lsan.supp): checking for leaks after each input would
# slow these targets ~40 times. LeakSanitizer's check at exit still fails the run on other leaks.
per_input_leak_check() {
  case $1 in
    ThemeTOMLFuzz|LessonTOMLFuzz) echo 0 ;;
    *) echo 1 ;;
  esac
}

out=.build-fuzz/runs
rm -rf "$out"
mkdir -p "$out" .build-fuzz/artifacts
# SessionFuzz goes through a file: in memory it runs ~35 times faster than on disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  TMPDIR=$(mktemp -d /dev/shm/maskscope-fuzz.XXXXXX)
  trap 'rm -rf "$TMPDIR"' EXIT
else
  TMPDIR=$PWD/.build-fuzz/tmp
  mkdir -p "$TMPDIR"
fi
export TMPDIR
export ASAN_OPTIONS=detect_leaks=1:handle_abort=1:allocator_may_return_null=0
export LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0
# The Swift runtime's backtracer and ASan both want a crashing process; libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no

run_target() {
  local target=$1 dict
  mkdir -p ".build-fuzz/corpus/$target"
  local args=(
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix=".build-fuzz/artifacts/$target-" -detect_leaks="$(per_input_leak_check "$target")"
  )
  dict=$(dictionary "$target")
  [ -z "$dict" ] || args+=(-dict="$dict")
  # A hang libFuzzer itself cannot stop still ends here, and counts as a failure.
  local status=0
  timeout --signal=KILL $((seconds + 120)) "$bin/$target" "${args[@]}" \
    ".build-fuzz/corpus/$target" "Fuzz/corpus/$target" >"$out/$target.log" 2>&1 || status=$?
  echo "$status" >"$out/$target.status"
}

jobs=${FUZZ_JOBS:-$(nproc)}
echo "fuzzing ${#targets[@]} targets for ${seconds} s each, $jobs at a time" >&2
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$target" &
done
wait

failed=()
printf '%-22s %-7s %12s %9s %7s %7s %8s\n' target result executions exec/s cov ft corpus
for target in "${targets[@]}"; do
  log=$out/$target.log
  status=$(cat "$out/$target.status" 2>/dev/null || echo missing)
  final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
  last=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -n 1 || true)
  field() { sed -n "s/.* $1: \([0-9]*\).*/\1/p" <<<"$last"; }
  corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "$status" != 0 ] || grep -qE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY: |fuzz property violated|==[0-9]+== ?ERROR' "$log"; then
    result=FAILED
    failed+=("$target")
  fi
  printf '%-22s %-7s %12s %9s %7s %7s %8s\n' "$target" "$result" "$(final_stat number_of_executed_units)" \
    "$(final_stat average_exec_per_sec)" "$(field cov)" "$(field ft)" "$corpus"
done

for target in "${failed[@]}"; do
  echo >&2
  echo "=== $target failed (exit $(cat "$out/$target.status" 2>/dev/null)); the end of $out/$target.log:" >&2
  grep -vE '^#[0-9]+' "$out/$target.log" | tail -n 60 >&2
  echo "Reproduce: $bin/$target <input written to .build-fuzz/artifacts/$target-*>" >&2
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzzing failed: ${failed[*]}" >&2; exit 1; }
echo "fuzzing passed: ${#targets[@]} targets, ${seconds} s each" >&2
