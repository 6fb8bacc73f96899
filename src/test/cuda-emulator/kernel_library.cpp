// A kernel library: build.sh's rewritten copy of kernels/cuda/lossgrid.cu (LG_KERNEL_SOURCE) for one LOSS,
// compiled for the host through cuda_shim.h, and the table of its kernels. LG_KERNEL_LIST names a file of
// LG_KERNEL(name) lines, one per __global__ function of the source.
#include "cuda_shim.h"

#include LG_KERNEL_SOURCE

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace lg {

std::size_t reserve_shared(std::size_t bytes, std::size_t alignment) {
    static std::atomic<std::size_t> used{0};
    std::size_t offset = used.load();
    std::size_t aligned;
    do {
        aligned = (offset + alignment - 1) / alignment * alignment;
    } while (!used.compare_exchange_weak(offset, aligned + bytes));
    if (aligned + bytes > LG_MAX_SHARED_BYTES) {
        // the driver refuses a module whose PTX declares more, so the host copy cannot either
        std::fprintf(stderr, "lossgrid CUDA emulator: the host kernels' __shared__ arrays exceed %d bytes\n",
                     LG_MAX_SHARED_BYTES);
        std::abort();
    }
    return aligned;
}

namespace {

// How a kernel parameter of host type T is described and rebuilt from the driver's copy of the argument.
template <class T>
struct argument {
    static_assert(std::is_arithmetic_v<T>, "a kernel parameter must be a number or a `T* __restrict__` device pointer");
    static constexpr lg_param param{std::is_floating_point_v<T> ? LG_PARAM_FLOAT : LG_PARAM_INTEGER, sizeof(T)};

    static T from(const lg_launch_arg& arg) {
        T value;
        std::memcpy(&value, arg.scalar, sizeof(T));
        return value;
    }
};

template <class T>
struct argument<device_ptr<T>> {
    static constexpr lg_param param{LG_PARAM_POINTER, sizeof(void*)};

    static device_ptr<T> from(const lg_launch_arg& arg) {
        return device_ptr<T>(&arg.pointer, static_cast<long long>(arg.pointer.address - arg.pointer.allocation_begin));
    }
};

template <auto Kernel>
struct kernel_entry;

template <class... Params, void (*Kernel)(Params...)>
struct kernel_entry<Kernel> {
    static constexpr std::array<lg_param, sizeof...(Params)> params{argument<Params>::param...};

    static void run(const lg_launch_arg* args) {
        run(args, std::index_sequence_for<Params...>{});
    }

    template <std::size_t... I>
    static void run(const lg_launch_arg* args, std::index_sequence<I...>) {
        Kernel(argument<Params>::from(args[I])...);
    }
};

const lg_kernel kKernels[] = {
#define LG_KERNEL(name) {#name, kernel_entry<name>::params.size(), kernel_entry<name>::params.data(), &kernel_entry<name>::run},
#include LG_KERNEL_LIST
#undef LG_KERNEL
};

}  // namespace
}  // namespace lg

extern "C" __attribute__((visibility("default"))) const lg_kernel_library* lossgrid_emulator_kernels(
    const lg_runtime* runtime) {
    lg::runtime = runtime;
    static const lg_kernel_library library = {LG_KERNEL_ABI_VERSION, LOSS,
                                              sizeof lg::kKernels / sizeof lg::kKernels[0], lg::kKernels};
    return &library;
}
