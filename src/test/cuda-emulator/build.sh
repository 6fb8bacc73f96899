#!/usr/bin/env bash
# Builds the emulated CUDA driver (README.md) into OUT, by default target/cuda-emulator:
#   libcuda.so.1                    the driver, for LD_LIBRARY_PATH
#   lossgrid-kernels-loss<ID>.so    kernels/cuda/lossgrid.cu compiled for the host, one per LOSS_* id of
#                                   kernels/common/loss_math.h, with the cuda.* defines of constants.properties
#   emulator-selftest               shows that the emulator's concurrency catches reduction bugs, with
#   selftest/<bug>/...              deliberately broken copies of the MSE kernels
#
# Usage: build.sh [OUT [SKIP...]]. Maven runs it in process-test-resources and passes ${skipTests} and
# ${maven.test.skip}: if any SKIP is "true", nothing is built. Without g++ (or off x86-64) it says so
# once and succeeds; with g++, any failure fails the build. It rebuilds only when an input changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$(realpath -m "${1:-$root/target/cuda-emulator}")"
for skip in "${@:2}"; do
    [[ "$skip" != "true" ]] || exit 0
done
if ! command -v g++ >/dev/null 2>&1; then
    echo "[lossgrid] g++ not found: the CUDA emulator is not built (its tests skip, or fail under LOSSGRID_CUDA_EMULATOR=1)"
    exit 0
fi
if [[ "$(uname -m)" != "x86_64" ]]; then
    echo "[lossgrid] the CUDA emulator's fibers need x86-64, this is $(uname -m): not built" \
        "(its tests skip, or fail under LOSSGRID_CUDA_EMULATOR=1)"
    exit 0
fi

kernels="$root/kernels"
flags=(-std=c++17 -O2 -fPIC -Wall -Wno-unknown-pragmas -ffp-contract=fast)
# fmaf as one instruction; without it libm's fmaf gives the same correctly rounded result, slowly
if grep -qw fma /proc/cpuinfo 2>/dev/null; then
    flags+=(-mfma)
fi

inputs="$( (cat "$here"/*.h "$here"/*.cpp "$here"/exports.map "$here"/build.sh "$kernels/cuda/lossgrid.cu" \
    "$kernels/common/loss_math.h" "$kernels/common/constants.properties"; g++ --version; echo "${flags[*]}") | sha256sum)"
if [[ -f "$out/.inputs" && "$(cat "$out/.inputs")" == "$inputs" ]]; then
    exit 0
fi
rm -rf "$out/.inputs" "$out/src" "$out/selftest"  # only what this script makes: OUT may hold more
mkdir -p "$out/src"

# the cuda.* constants and the loss ids, read as kernels/cuda/build-ptx.sh reads them
mapfile -t defines < <(sed -n -E 's/^cuda\.([A-Z_]+)=([0-9]+)[[:space:]]*$/-D\1=\2/p' "$kernels/common/constants.properties")
[[ ${#defines[@]} -gt 0 ]] || { echo "[lossgrid] no cuda.* constants in constants.properties" >&2; exit 1; }
mapfile -t loss_ids < <(sed -n -E 's/^#define LOSS_[A-Z0-9_]+ ([0-9]+)$/\1/p' "$kernels/common/loss_math.h")
[[ ${#loss_ids[@]} -gt 0 ]] || { echo "[lossgrid] no LOSS_* ids in loss_math.h" >&2; exit 1; }
mse_id="$(sed -n -E 's/^#define LOSS_MSE ([0-9]+)$/\1/p' "$kernels/common/loss_math.h")"

# The copy the host compiles: device pointers (`T* __restrict__` parameters) become lg::device_ptr<T>,
# and `__shared__ T name[N];` becomes LG_SHARED(T, name, N), both bounds-checked (cuda_shim.h).
source="$out/src/lossgrid.cu"
sed -E \
    -e 's/([A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*)[[:space:]]*\*[[:space:]]*__restrict__/lg::device_ptr<\1>/g' \
    -e 's/__shared__[[:space:]]+([A-Za-z_][A-Za-z0-9_ ]*[A-Za-z0-9_])[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)\[([^]]+)\];/LG_SHARED(\1, \2, \3);/' \
    "$kernels/cuda/lossgrid.cu" > "$source"
if grep -n '__shared__' "$source" >&2; then
    echo "[lossgrid] the CUDA emulator takes only '__shared__ T name[N];' declarations (above)" >&2
    exit 1
fi
sed -n -E 's/.*__global__[[:space:]]+void[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\(.*/LG_KERNEL(\1)/p' \
    "$kernels/cuda/lossgrid.cu" > "$out/src/kernels.list"
[[ -s "$out/src/kernels.list" ]] || { echo "[lossgrid] no __global__ kernels found in lossgrid.cu" >&2; exit 1; }

# A copy of the rewritten source with one deliberate bug (awk program), checked to differ from the original.
bugs=()
broken_copy() {
    local bug="$1" program="$2"
    awk "$program" "$source" > "$out/src/$bug.cu"
    if cmp -s "$source" "$out/src/$bug.cu"; then
        echo "[lossgrid] the CUDA emulator's self-test could not plant the bug $bug in lossgrid.cu" >&2
        exit 1
    fi
    bugs+=("$bug")
}
broken_copy missing-first-barrier '/__syncthreads\(\);/ && ++seen == 1 { sub(/__syncthreads\(\);/, "") } { print }'
broken_copy missing-second-barrier '/__syncthreads\(\);/ && ++seen == 2 { sub(/__syncthreads\(\);/, "") } { print }'
broken_copy shuffle-offset-8 '{ sub(/int offset = 16;/, "int offset = 8;"); print }'

# kernel_library SOURCE LOSS_ID OUTPUT
kernel_library() {
    g++ "${flags[@]}" -shared -fvisibility=hidden -Wl,--no-undefined -DLOSS="$2" "${defines[@]}" \
        -I"$kernels/cuda" -I"$here" -DLG_KERNEL_SOURCE="\"$1\"" -DLG_KERNEL_LIST="\"$out/src/kernels.list\"" \
        "$here/kernel_library.cpp" -o "$3"
}

pids=()
g++ "${flags[@]}" -shared -Wl,-soname,libcuda.so.1 -Wl,--version-script="$here/exports.map" -Wl,--no-undefined \
    "$here/driver.cpp" "$here/ptx.cpp" "$here/scheduler.cpp" -ldl -lpthread -o "$out/libcuda.so.1" &
pids+=($!)
for id in "${loss_ids[@]}"; do
    kernel_library "$source" "$id" "$out/lossgrid-kernels-loss$id.so" &
    pids+=($!)
done
for bug in "${bugs[@]}"; do
    mkdir -p "$out/selftest/$bug"
    kernel_library "$out/src/$bug.cu" "$mse_id" "$out/selftest/$bug/lossgrid-kernels-loss$mse_id.so" &
    pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
[[ $failed -eq 0 ]] || { echo "[lossgrid] the CUDA emulator did not compile (above)" >&2; exit 1; }
g++ "${flags[@]}" -I"$here" "$here/selftest.cpp" -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN' \
    -o "$out/emulator-selftest"
echo "$inputs" > "$out/.inputs"
echo "[lossgrid] CUDA emulator built (a test harness for the host code and kernels, not a GPU): $out"
