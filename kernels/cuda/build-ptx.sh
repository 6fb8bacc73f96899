#!/usr/bin/env bash
# Compiles kernels/cuda/lossgrid.cu to PTX for each loss id of kernels/common/loss_math.h (#define LOSS_<NAME>
# <id>): OUT/lossgrid-<name>.ptx, for example OUT/lossgrid-mae.ptx. A new loss in the header is built too.
# Run by the Maven build (generate-resources). Without nvcc it says so once and succeeds; with nvcc,
# any failure fails the build.
#
# PTX ISA decision: nvcc 13 writes ".version 9.0", which CUDA 12 drivers and JCuda 12.6 refuse. The
# kernels use no PTX 9 feature, so the header is rewritten to ".version 8.0" (CUDA 12.0's ISA, loadable
# by every CUDA 12 and 13 driver), and ptxas then assembles the result for sm_75, sm_80 and sm_90 so
# that a PTX a driver would reject fails here, not on a user's GPU.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v nvcc >/dev/null 2>&1; then
    echo "[lossgrid] nvcc not found: CUDA PTX not built (the CUDA backend will compile from source with NVRTC where present)"
    exit 0
fi
mkdir -p "$out"
# the cuda.* constants of the one table the Java launch code reads too
defines=$(sed -n -E 's/^cuda\.([A-Z_]+)=([0-9]+)[[:space:]]*$/-D\1=\2/p' "$here/../common/constants.properties")
[[ -n "$defines" ]] || { echo "[lossgrid] no cuda.* constants in constants.properties" >&2; exit 1; }
losses=$(sed -n -E 's/^#define LOSS_([A-Z0-9_]+) ([0-9]+)$/\1:\2/p' "$here/../common/loss_math.h")
[[ -n "$losses" ]] || { echo "[lossgrid] no LOSS_* ids found in loss_math.h" >&2; exit 1; }
for loss in $losses; do
    name="$(echo "${loss%%:*}" | tr 'A-Z' 'a-z')"
    id="${loss##*:}"
    ptx="$out/lossgrid-$name.ptx"
    # shellcheck disable=SC2086
    nvcc -ptx -arch=compute_75 -std=c++14 -DLOSS="$id" $defines -o "$ptx" "$here/lossgrid.cu"
    sed -i -E 's/^\.version [0-9]+\.[0-9]+$/.version 8.0/' "$ptx"
    grep -q '^\.version 8\.0$' "$ptx" || { echo "[lossgrid] $ptx has no .version line to rewrite" >&2; exit 1; }
    for sm in sm_75 sm_80 sm_90; do
        ptxas -arch="$sm" -o /dev/null "$ptx"
    done
done
echo "[lossgrid] CUDA PTX built (ISA 8.0, compute_75) and assembled for sm_75, sm_80, sm_90: $out"
