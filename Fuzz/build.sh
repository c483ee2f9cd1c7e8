#!/usr/bin/env bash
# Builds every libFuzzer target (or those named) into .build-fuzz, instrumented for coverage and
# AddressSanitizer. The targets exist only with MASKSCOPE_FUZZ set (see the end of Package.swift).
# Prints the directory holding the binaries on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets() { sed -n 's/^\([A-Za-z]*Fuzz\)\.swift$/\1/p' < <(ls Fuzz/Targets); }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(all_targets)

# Swift code gets libFuzzer's coverage and ASan; C and C++ code (TOMLKit's toml++) gets them too.
flags=(
  --scratch-path .build-fuzz
  -Xswiftc -sanitize=fuzzer,address
  -Xcc -fsanitize=fuzzer-no-link,address
  -Xcxx -fsanitize=fuzzer-no-link,address
)
export MASKSCOPE_FUZZ=1
for target in "${targets[@]}"; do
  echo "== building $target" >&2
  swift build "${flags[@]}" --product "$target" 2>&1 | grep -v "Cannot export local symbol" >&2
done
swift build "${flags[@]}" --show-bin-path
