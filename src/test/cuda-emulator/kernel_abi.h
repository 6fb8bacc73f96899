// The C interface between the emulated driver (libcuda.so.1) and a kernel library, the kernels of one
// loss id compiled for the host (lossgrid-kernels-loss<ID>.so). The driver passes its runtime (the GPU
// thread being run, barriers, shuffles, faults) as a table of functions, so a kernel library links
// against nothing; the library answers with its kernels, each with its parameter list and a function
// that runs one GPU thread of it.
#ifndef LOSSGRID_EMULATOR_KERNEL_ABI_H
#define LOSSGRID_EMULATOR_KERNEL_ABI_H

#include <cstddef>
#include <cstdint>

extern "C" {

enum { LG_KERNEL_ABI_VERSION = 1, LG_WARP_SIZE = 32, LG_MAX_SHARED_BYTES = 48 * 1024 };

struct lg_dim3 {
    unsigned int x, y, z;
};

// The built-in variables of the GPU thread being run, and its lane in its warp.
struct lg_thread_state {
    lg_dim3 thread_idx, block_idx, block_dim, grid_dim;
    unsigned int lane;
};

// A pointer argument of a launch: its address and the allocation of the launch's context holding it
// (bytes == 0 when it is in none, so that every access through it faults).
struct lg_pointer_arg {
    std::uintptr_t address;
    std::uintptr_t allocation_begin;
    std::size_t allocation_bytes;
    unsigned int allocation_id;
    unsigned int parameter;
};

// One kernel argument as the driver copied it at launch: a pointer, or the bytes of a scalar.
struct lg_launch_arg {
    lg_pointer_arg pointer;
    alignas(8) unsigned char scalar[8];
};

enum lg_param_kind { LG_PARAM_POINTER, LG_PARAM_INTEGER, LG_PARAM_FLOAT };

struct lg_param {
    lg_param_kind kind;
    unsigned int bytes;
};

struct lg_kernel {
    const char* name;
    unsigned int param_count;
    const lg_param* params;
    // Runs the calling GPU thread (lg_runtime::current) of this kernel to its end, a fault or a block.
    void (*run)(const lg_launch_arg* args);
};

struct lg_kernel_library {
    unsigned int abi_version;
    int loss_id;
    unsigned int kernel_count;
    const lg_kernel* kernels;
};

// What a kernel calls while a GPU thread runs; fault_* never return to the faulting thread.
struct lg_runtime {
    const lg_thread_state* (*current)(void);
    void (*sync_threads)(void);
    // __shfl_down_sync: the value of lane l + delta of the calling thread's warp at this shuffle, if that
    // lane is in l's segment of `width` lanes (a power of 2, at most 32), else l's own value.
    std::uint64_t (*shuffle_down)(unsigned int mask, std::uint64_t value, unsigned int delta, unsigned int width);
    // The block's static __shared__ memory, LG_MAX_SHARED_BYTES long, for an array ending at byte `end`
    // (each block starts with the bytes below the largest end filled with 0xff).
    unsigned char* (*shared_memory)(std::size_t end);
    void (*fault_pointer)(const lg_pointer_arg* pointer, long long byte_offset, unsigned int element_bytes,
                          int misaligned);
    void (*fault_shared)(const char* array, unsigned long long length, long long index);
};

// The one symbol a kernel library exports.
typedef const lg_kernel_library* (*lg_kernel_library_entry)(const lg_runtime* runtime);
#define LG_KERNEL_LIBRARY_ENTRY "lossgrid_emulator_kernels"
}

#endif
