// CUDA C++ on the host: the keywords, built-in variables and intrinsics lossgrid's kernels use, on top of
// the emulator's runtime (kernel_abi.h). build.sh compiles a copy of kernels/cuda/lossgrid.cu through this
// header, with two rewrites: a `T* __restrict__` parameter (a kernel's device pointer) becomes
// lg::device_ptr<T>, and `__shared__ T name[N];` becomes LG_SHARED(T, name, N). Both check every index
// against what they point into. Anything else CUDA-specific that a kernel uses fails to compile here,
// which is the point: the emulator never guesses.
#ifndef LOSSGRID_EMULATOR_CUDA_SHIM_H
#define LOSSGRID_EMULATOR_CUDA_SHIM_H

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernel_abi.h"

namespace lg {
inline const lg_runtime* runtime;

// A kernel's pointer into device memory: every access is checked against the allocation it points into.
template <class T>
class device_ptr {
public:
    device_ptr(const lg_pointer_arg* arg, long long byte_offset) : arg_(arg), byte_offset_(byte_offset) {}

    template <class U, class = std::enable_if_t<std::is_convertible_v<U*, T*>>>
    device_ptr(const device_ptr<U>& other) : arg_(other.arg()), byte_offset_(other.byte_offset()) {}

    template <class I>
    T& operator[](I index) const {
        static_assert(std::is_integral_v<I>, "index a device pointer with an integer");
        long long offset;
        if (__builtin_mul_overflow(static_cast<long long>(index), static_cast<long long>(sizeof(T)), &offset)
            || __builtin_add_overflow(offset, byte_offset_, &offset)
            || offset < 0 || static_cast<unsigned long long>(offset) + sizeof(T) > arg_->allocation_bytes) {
            runtime->fault_pointer(arg_, offset, sizeof(T), 0);
            __builtin_unreachable();  // the runtime abandons a faulting thread
        }
        if (offset % alignof(T) != 0) {
            runtime->fault_pointer(arg_, offset, sizeof(T), 1);
            __builtin_unreachable();
        }
        return *reinterpret_cast<T*>(arg_->allocation_begin + offset);
    }

    const lg_pointer_arg* arg() const {
        return arg_;
    }

    long long byte_offset() const {
        return byte_offset_;
    }

private:
    const lg_pointer_arg* arg_;
    long long byte_offset_;  // from the start of the allocation
};

// A __shared__ array of the running block, with checked indices.
template <class T, unsigned long long N>
class shared_array {
public:
    shared_array(unsigned char* at, const char* name) : items_(reinterpret_cast<T*>(at)), name_(name) {}

    template <class I>
    T& operator[](I index) const {
        static_assert(std::is_integral_v<I>, "index a shared array with an integer");
        if (index < 0 || static_cast<unsigned long long>(index) >= N) {
            runtime->fault_shared(name_, N, static_cast<long long>(index));
            __builtin_unreachable();
        }
        return items_[index];
    }

private:
    T* items_;
    const char* name_;
};

// The offset of one more static __shared__ array in every block's shared memory, fixed at its first use.
std::size_t reserve_shared(std::size_t bytes, std::size_t alignment);
}  // namespace lg

#define LG_SHARED(T, name, N)                                                                         \
    static const std::size_t name##_shared_offset = lg::reserve_shared(sizeof(T) * (N), alignof(T)); \
    const lg::shared_array<T, (N)> name(                                                              \
        lg::runtime->shared_memory(name##_shared_offset + sizeof(T) * (N)) + name##_shared_offset, #name)

#define __global__
#define __device__
#define __forceinline__ inline __attribute__((always_inline))
#define threadIdx (lg::runtime->current()->thread_idx)
#define blockIdx (lg::runtime->current()->block_idx)
#define blockDim (lg::runtime->current()->block_dim)
#define gridDim (lg::runtime->current()->grid_dim)

inline void __syncthreads() {
    lg::runtime->sync_threads();
}

// Lane l gets the value of lane l + delta if that lane is in its segment of `width` lanes, else its own.
template <class T>
T __shfl_down_sync(unsigned int mask, T value, unsigned int delta, int width = LG_WARP_SIZE) {
    static_assert(std::is_trivially_copyable_v<T> && (sizeof(T) == 4 || sizeof(T) == 8), "shuffle 4 or 8 bytes");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    bits = lg::runtime->shuffle_down(mask, bits, delta, static_cast<unsigned int>(width));
    std::memcpy(&value, &bits, sizeof(T));
    return value;
}

template <class T>
T min(T a, T b) {
    return b < a ? b : a;
}

// loss_math.h then takes its CUDA branch: fmaf, fabsf, fminf, fmaxf. Built with -mfma where the CPU has
// it, fmaf is one fused instruction; elsewhere libm computes the same correctly rounded result.
#define __CUDACC__ 1

#endif
