// Runs a grid of a host-compiled kernel the way a GPU would let it run: blocks in any order on several
// OS threads, and the threads of a block concurrently, as fibers (see README.md for why fibers).
#ifndef LOSSGRID_EMULATOR_SCHEDULER_H
#define LOSSGRID_EMULATOR_SCHEDULER_H

#include <string>

#include "driver_api.h"
#include "kernel_abi.h"

namespace lg {

struct Grid {
    const lg_kernel* kernel;
    const lg_launch_arg* args;
    lg_dim3 blocks;
    lg_dim3 threads;
};

// What stopped a launch: an illegal or misaligned address, or undefined behaviour the emulator refuses
// (a deadlock at a barrier or shuffle, a shuffle with inactive lanes). code == CUDA_SUCCESS: none.
struct Fault {
    CUresult code = CUDA_SUCCESS;
    std::string message;
};

// Runs every block (the calling thread helps); the first fault stops the launch. Not reentrant: the
// driver runs one launch at a time.
Fault run_grid(const Grid& grid);

// The functions kernels call while they run, handed to every kernel library.
const lg_runtime* kernel_runtime();

}  // namespace lg

#endif
