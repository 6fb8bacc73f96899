// The emulated CUDA driver: libcuda.so.1 with the driver-API functions lossgrid calls through JCuda.
// One device; contexts current per thread; device memory in host memory, accounted against a total;
// modules read from lossgrid's PTX and run by the host-compiled kernels of the loss the PTX names.
// Every call holds one lock, launches included (a launch runs to its end before the call returns).
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "driver_api.h"
#include "kernel_abi.h"
#include "ptx.h"
#include "scheduler.h"

#define LG_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

constexpr char kDeviceName[] = "lossgrid CUDA emulator (emulated, not a GPU)";
constexpr int kDriverVersion = 12060;  // CUDA 12.6, the driver API JCuda 12.6 binds
constexpr int kNewestPtxIsa = 85;      // PTX ISA 8.5, the newest a CUDA 12.6 driver compiles
constexpr int kComputeMajor = 8;
constexpr int kComputeMinor = 0;
constexpr int kMultiprocessors = 4;
constexpr std::size_t kDefaultMemory = std::size_t(4) << 30;
constexpr std::size_t kAllocationAlignment = 256;  // as cuMemAlloc's
constexpr unsigned int kMaxGridX = 0x7fffffffu;
constexpr unsigned int kMaxGridYZ = 65535;
constexpr unsigned int kMaxThreadsPerBlock = 1024;
constexpr unsigned int kMaxBlockZ = 64;
constexpr char kLossMarker[] = "lossgrid_loss";
const CUstream kLegacyStream = reinterpret_cast<CUstream>(0x1);
const CUstream kPerThreadStream = reinterpret_cast<CUstream>(0x2);

void report(const std::string& line) {
    std::fprintf(stderr, "lossgrid CUDA emulator: %s\n", line.c_str());
}

std::string hex(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

struct Allocation {
    unsigned int id;
    std::size_t bytes;     // as requested; accesses beyond are faults
    std::size_t reserved;  // counted against the device memory
    std::uint64_t module;  // the module owning this global, 0 for cuMemAlloc's
};

struct Context {
    bool live = true;
    CUresult sticky = CUDA_SUCCESS;  // after a fault, every call in the context returns it
    std::map<std::uintptr_t, Allocation> memory;
    std::set<std::uint64_t> modules;
};

struct Module {
    std::uint64_t context;
    int loss_id;
    std::map<std::string, std::uintptr_t> globals;
    std::map<std::string, std::uint64_t> functions;
};

struct Function {
    std::uint64_t module;
    const lg_kernel* kernel;
    std::size_t static_shared_bytes;
};

// Handles (CUcontext, CUmodule, CUfunction) are numbers from one counter, never reused, so that a stale or
// mistyped handle is recognised.
struct Driver {
    std::mutex mutex;
    bool initialized = false;
    std::size_t total_memory = kDefaultMemory;
    std::size_t used_memory = 0;
    std::uint64_t last_handle = 0;
    unsigned int last_allocation = 0;
    std::map<std::uint64_t, Context> contexts;
    std::map<std::uint64_t, Module> modules;
    std::map<std::uint64_t, Function> functions;
    std::map<std::string, const lg_kernel_library*> libraries;  // by file, loaded once per process
};

Driver& driver() {
    static Driver* instance = new Driver;  // never destroyed: JVM threads may call in during exit
    return *instance;
}

thread_local std::uint64_t current_context = 0;

template <class Handle>
Handle to_handle(std::uint64_t id) {
    return reinterpret_cast<Handle>(static_cast<std::uintptr_t>(id));
}

template <class Handle>
std::uint64_t from_handle(Handle handle) {
    return reinterpret_cast<std::uintptr_t>(handle);
}

// The calling thread's live context, or the error a driver gives: not initialised, no or a destroyed
// context, or the context's sticky error after a fault.
CUresult current(Driver& d, Context*& context) {
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    auto it = d.contexts.find(current_context);
    if (it == d.contexts.end() || !it->second.live) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    context = &it->second;
    return context->sticky;
}

// The allocation of the context that holds [address, address + bytes), or nullptr.
std::pair<const std::uintptr_t, Allocation>* holding(Context& context, std::uintptr_t address, std::size_t bytes) {
    auto it = context.memory.upper_bound(address);
    if (it == context.memory.begin()) {
        return nullptr;
    }
    --it;
    std::size_t offset = address - it->first;
    return offset < it->second.bytes && bytes <= it->second.bytes - offset ? &*it : nullptr;
}

CUresult allocate(Driver& d, Context& context, std::size_t bytes, std::uint64_t module, std::uintptr_t& address) {
    std::size_t reserved = (bytes + kAllocationAlignment - 1) / kAllocationAlignment * kAllocationAlignment;
    if (reserved < bytes || reserved > d.total_memory - d.used_memory) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    void* memory = std::aligned_alloc(kAllocationAlignment, reserved);
    if (memory == nullptr) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    std::memset(memory, 0xff, reserved);  // uninitialised device memory reads as NaN, never as a plausible 0
    address = reinterpret_cast<std::uintptr_t>(memory);
    context.memory[address] = {++d.last_allocation, bytes, reserved, module};
    d.used_memory += reserved;
    return CUDA_SUCCESS;
}

void release(Driver& d, Context& context, std::map<std::uintptr_t, Allocation>::iterator allocation) {
    d.used_memory -= allocation->second.reserved;
    std::free(reinterpret_cast<void*>(allocation->first));
    context.memory.erase(allocation);
}

void unload(Driver& d, Context& context, std::uint64_t id) {
    Module& module = d.modules.at(id);
    for (const auto& [name, address] : module.globals) {
        release(d, context, context.memory.find(address));
    }
    for (const auto& [name, function] : module.functions) {
        d.functions.erase(function);
    }
    context.modules.erase(id);
    d.modules.erase(id);
}

// The directory of this library: the kernel libraries are built next to it.
std::string own_directory() {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&own_directory), &info) == 0 || info.dli_fname == nullptr) {
        return ".";
    }
    std::string path = info.dli_fname;
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The host-compiled kernels of a loss id: lossgrid-kernels-loss<ID>.so in $LOSSGRID_CUDA_EMULATOR_KERNELS,
// else next to this library. Each is loaded RTLD_LOCAL, so the same extern "C" kernel names do not collide.
const lg_kernel_library* kernel_library(Driver& d, int loss_id, std::string& error) {
    const char* directory = std::getenv("LOSSGRID_CUDA_EMULATOR_KERNELS");
    std::string path = (directory != nullptr && *directory != '\0' ? std::string(directory) : own_directory())
                       + "/lossgrid-kernels-loss" + std::to_string(loss_id) + ".so";
    if (auto it = d.libraries.find(path); it != d.libraries.end()) {
        return it->second;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        error = "no host-compiled kernels for loss id " + std::to_string(loss_id) + ": " + dlerror();
        return nullptr;
    }
    auto entry = reinterpret_cast<lg_kernel_library_entry>(dlsym(handle, LG_KERNEL_LIBRARY_ENTRY));
    const lg_kernel_library* library = entry == nullptr ? nullptr : entry(lg::kernel_runtime());
    if (library == nullptr || library->abi_version != LG_KERNEL_ABI_VERSION || library->loss_id != loss_id) {
        error = path + " is not a kernel library for loss id " + std::to_string(loss_id) + " (rebuild the emulator)";
        return nullptr;
    }
    d.libraries[path] = library;
    return library;
}

// The host kernel for a PTX entry, if its parameters agree in number, kind and size.
const lg_kernel* matching_kernel(const lg_kernel_library& library, const lg::PtxEntry& entry, std::string& error) {
    for (unsigned int k = 0; k < library.kernel_count; k++) {
        const lg_kernel& kernel = library.kernels[k];
        if (entry.name != kernel.name) {
            continue;
        }
        if (kernel.param_count != entry.params.size()) {
            error = "entry " + entry.name + " has " + std::to_string(entry.params.size())
                    + " parameters in the PTX but " + std::to_string(kernel.param_count)
                    + " in the host-compiled kernels (a stale build?)";
            return nullptr;
        }
        for (unsigned int p = 0; p < kernel.param_count; p++) {
            const lg_param& host = kernel.params[p];
            const lg::PtxParam& ptx = entry.params[p];
            bool agree = host.bytes == ptx.bytes
                         && (host.kind == LG_PARAM_FLOAT ? ptx.kind == lg::PtxParam::FLOAT
                                                         : ptx.kind == lg::PtxParam::INTEGER);
            if (!agree) {
                error = "parameter " + std::to_string(p) + " of " + entry.name
                        + " differs between the PTX and the host-compiled kernels (a stale build?)";
                return nullptr;
            }
        }
        return &kernel;
    }
    error = "entry " + entry.name + " has no host-compiled kernel (a stale build?)";
    return nullptr;
}

const lg::PtxVariable* find_global(const lg::PtxModule& module, const char* name) {
    for (const lg::PtxVariable& variable : module.globals) {
        if (variable.name == name) {
            return &variable;
        }
    }
    return nullptr;
}

// What a driver answers for an image, and, if it loads, the kernel of every entry.
CUresult check_image(Driver& d, const char* image, lg::PtxModule& module, const lg_kernel_library*& library,
                     std::vector<const lg_kernel*>& kernels) {
    if (std::memcmp(image, "\x7f" "ELF", 4) == 0) {
        report("cuModuleLoadData: the image is a CUBIN (ELF); the emulator loads PTX text only");
        return CUDA_ERROR_INVALID_IMAGE;
    }
    lg::PtxReading reading = lg::read_ptx(image);
    module = std::move(reading.module);
    switch (reading.verdict) {
    case lg::PtxReading::OK:
        break;
    case lg::PtxReading::INVALID:
        report("cuModuleLoadData: invalid PTX: " + reading.error);
        return CUDA_ERROR_INVALID_PTX;
    default:
        report("cuModuleLoadData: not PTX the emulator can load: " + reading.error);
        return CUDA_ERROR_INVALID_IMAGE;
    }
    if (module.isa > kNewestPtxIsa) {
        report("cuModuleLoadData: PTX ISA " + std::to_string(module.isa / 10) + "." + std::to_string(module.isa % 10)
               + " is newer than this driver (CUDA 12.6) compiles");
        return CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
    }
    int device_sm = kComputeMajor * 10 + kComputeMinor;
    if (module.target_sm > device_sm || (module.arch_specific && module.target_sm != device_sm)
        || module.address_size != 64) {
        report("cuModuleLoadData: PTX for sm_" + std::to_string(module.target_sm) + " (address size "
               + std::to_string(module.address_size) + ") cannot be compiled for this sm_" + std::to_string(device_sm)
               + " device");
        return CUDA_ERROR_INVALID_PTX;
    }
    for (const lg::PtxEntry& entry : module.entries) {
        if (entry.static_shared_bytes > LG_MAX_SHARED_BYTES) {
            report("cuModuleLoadData: entry " + entry.name + " declares " + std::to_string(entry.static_shared_bytes)
                   + " bytes of __shared__ memory, more than " + std::to_string(LG_MAX_SHARED_BYTES));
            return CUDA_ERROR_INVALID_PTX;
        }
    }
    const lg::PtxVariable* marker = find_global(module, kLossMarker);
    if (marker == nullptr || marker->initial.size() != sizeof(int)) {
        report(std::string("cuModuleLoadData: the PTX has no int ") + kLossMarker
               + "; the emulator runs only lossgrid's kernels, chosen by that marker");
        return CUDA_ERROR_INVALID_IMAGE;
    }
    int loss_id;
    std::memcpy(&loss_id, marker->initial.data(), sizeof loss_id);
    std::string error;
    library = kernel_library(d, loss_id, error);
    for (std::size_t e = 0; library != nullptr && e < module.entries.size(); e++) {
        kernels.push_back(matching_kernel(*library, module.entries[e], error));
        if (kernels.back() == nullptr) {
            library = nullptr;
        }
    }
    if (library == nullptr) {
        report("cuModuleLoadData: " + error);
        return CUDA_ERROR_INVALID_IMAGE;
    }
    return CUDA_SUCCESS;
}

CUresult load_module(CUmodule* handle, const void* image) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (handle == nullptr || image == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    lg::PtxModule ptx;
    const lg_kernel_library* library = nullptr;
    std::vector<const lg_kernel*> kernels;
    if (CUresult status = check_image(d, static_cast<const char*>(image), ptx, library, kernels)) {
        return status;
    }
    std::uint64_t id = ++d.last_handle;
    Module& module = d.modules[id];
    module.context = current_context;
    module.loss_id = library->loss_id;
    context->modules.insert(id);
    for (const lg::PtxVariable& variable : ptx.globals) {
        std::uintptr_t address;
        if (CUresult status = allocate(d, *context, std::max<std::size_t>(1, variable.initial.size()), id, address)) {
            unload(d, *context, id);
            return status;
        }
        std::memcpy(reinterpret_cast<void*>(address), variable.initial.data(), variable.initial.size());
        module.globals[variable.name] = address;
    }
    for (std::size_t e = 0; e < ptx.entries.size(); e++) {
        std::uint64_t function = ++d.last_handle;
        d.functions[function] = {id, kernels[e], ptx.entries[e].static_shared_bytes};
        module.functions[ptx.entries[e].name] = function;
    }
    *handle = to_handle<CUmodule>(id);
    return CUDA_SUCCESS;
}

// The module of a handle, if it belongs to the calling thread's context.
Module* owned_module(Driver& d, CUmodule handle) {
    auto it = d.modules.find(from_handle(handle));
    return it == d.modules.end() || it->second.context != current_context ? nullptr : &it->second;
}

CUresult copy(void* host, std::uintptr_t device, std::size_t bytes, bool to_device, const char* call) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (bytes == 0) {
        return CUDA_SUCCESS;
    }
    if (host == nullptr || holding(*context, device, bytes) == nullptr) {
        report(std::string(call) + ": " + std::to_string(bytes) + " bytes at device address " + hex(device)
               + " are not inside one allocation of the current context");
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (to_device) {
        std::memcpy(reinterpret_cast<void*>(device), host, bytes);
    } else {
        std::memcpy(host, reinterpret_cast<const void*>(device), bytes);
    }
    return CUDA_SUCCESS;
}

// Why a GPU would refuse this launch configuration, or "" if it would not.
std::string refused_configuration(unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by,
                                  unsigned int bz, std::size_t shared_bytes) {
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) {
        return "a grid or block dimension is 0";
    }
    if (gx > kMaxGridX || gy > kMaxGridYZ || gz > kMaxGridYZ) {
        return "gridDim (" + std::to_string(gx) + "," + std::to_string(gy) + "," + std::to_string(gz)
               + ") exceeds (2147483647,65535,65535)";
    }
    if (bx > kMaxThreadsPerBlock || by > kMaxThreadsPerBlock || bz > kMaxBlockZ
        || std::uint64_t(bx) * by * bz > kMaxThreadsPerBlock) {
        return "blockDim (" + std::to_string(bx) + "," + std::to_string(by) + "," + std::to_string(bz)
               + ") exceeds 1024 threads or (1024,1024,64)";
    }
    if (shared_bytes > LG_MAX_SHARED_BYTES) {
        return std::to_string(shared_bytes) + " bytes of shared memory (static and dynamic) exceed "
               + std::to_string(LG_MAX_SHARED_BYTES) + " per block";
    }
    return "";
}

struct ErrorText {
    CUresult code;
    const char* name;
    const char* description;
};

const ErrorText kErrors[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_NO_BINARY_FOR_GPU, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"},
    {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {CUDA_ERROR_UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_ILLEGAL_STATE, "CUDA_ERROR_ILLEGAL_STATE", "the operation cannot be performed in the present state"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {CUDA_ERROR_MISALIGNED_ADDRESS, "CUDA_ERROR_MISALIGNED_ADDRESS", "misaligned address"},
    {CUDA_ERROR_LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

const ErrorText* error_text(CUresult error) {
    for (const ErrorText& text : kErrors) {
        if (text.code == error) {
            return &text;
        }
    }
    return nullptr;
}

}  // namespace

LG_EXPORT CUresult cuInit(unsigned int flags) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (flags != 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (!d.initialized) {
        if (const char* memory = std::getenv("LOSSGRID_CUDA_EMULATOR_MEMORY")) {
            char* end = nullptr;
            unsigned long long bytes = std::strtoull(memory, &end, 10);
            if (end == memory || *end != '\0' || bytes == 0) {
                report(std::string("LOSSGRID_CUDA_EMULATOR_MEMORY=") + memory + " is not a positive number of bytes");
                return CUDA_ERROR_INVALID_VALUE;
            }
            d.total_memory = bytes;
        }
        d.initialized = true;
    }
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *version = kDriverVersion;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDeviceGetCount(int* count) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (count == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *count = 1;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (ordinal != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    *device = 0;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    if (name == nullptr || length <= 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::snprintf(name, static_cast<std::size_t>(length), "%s", kDeviceName);
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice device) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    if (value == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    static const std::map<int, int> attributes = {
        {CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, kMaxThreadsPerBlock},
        {CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, kMaxThreadsPerBlock},
        {CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, kMaxThreadsPerBlock},
        {CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, kMaxBlockZ},
        {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, static_cast<int>(kMaxGridX)},
        {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, kMaxGridYZ},
        {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, kMaxGridYZ},
        {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, LG_MAX_SHARED_BYTES},
        {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, LG_MAX_SHARED_BYTES},
        {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR, 2 * LG_MAX_SHARED_BYTES},
        {CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY, 64 * 1024},
        {CU_DEVICE_ATTRIBUTE_WARP_SIZE, LG_WARP_SIZE},
        {CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK, 64 * 1024},
        {CU_DEVICE_ATTRIBUTE_CLOCK_RATE, 1410000},
        {CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, kMultiprocessors},
        {CU_DEVICE_ATTRIBUTE_INTEGRATED, 0},
        {CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, 2048},
        {CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, 1},
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, kComputeMajor},
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, kComputeMinor},
    };
    auto it = attributes.find(attribute);
    if (it == attributes.end()) {
        report("cuDeviceGetAttribute: attribute " + std::to_string(attribute) + " is not emulated");
        return CUDA_ERROR_INVALID_VALUE;
    }
    *value = it->second;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuDeviceTotalMem_v2(std::size_t* bytes, CUdevice device) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    if (bytes == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *bytes = d.total_memory;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuCtxCreate_v2(CUcontext* context, unsigned int flags, CUdevice device) {
    (void) flags;  // scheduling flags change nothing here
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    if (context == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::uint64_t id = ++d.last_handle;
    d.contexts[id];
    current_context = id;
    *context = to_handle<CUcontext>(id);
    return CUDA_SUCCESS;
}

// Frees everything the context holds. Memory that cuMemAlloc gave and cuMemFree did not take back, and
// modules never unloaded, are leaks: each is reported and the call fails (after a fault, when frees are
// refused with the sticky error, nothing is reported).
LG_EXPORT CUresult cuCtxDestroy_v2(CUcontext handle) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    std::uint64_t id = from_handle(handle);
    auto it = d.contexts.find(id);
    if (it == d.contexts.end() || !it->second.live) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    Context& context = it->second;
    bool report_leaks = context.sticky == CUDA_SUCCESS;
    int leaks = 0;
    while (!context.modules.empty()) {
        std::uint64_t module = *context.modules.begin();
        if (report_leaks) {
            report("cuCtxDestroy: leaked module (lossgrid_loss = " + std::to_string(d.modules.at(module).loss_id)
                   + "), never unloaded");
            leaks++;
        }
        unload(d, context, module);
    }
    while (!context.memory.empty()) {
        auto allocation = context.memory.begin();
        if (report_leaks) {
            report("cuCtxDestroy: leaked allocation #" + std::to_string(allocation->second.id) + " of "
                   + std::to_string(allocation->second.bytes) + " bytes, never freed");
            leaks++;
        }
        release(d, context, allocation);
    }
    context.live = false;
    if (current_context == id) {
        current_context = 0;
    }
    return leaks > 0 ? CUDA_ERROR_ILLEGAL_STATE : CUDA_SUCCESS;
}

LG_EXPORT CUresult cuCtxSetCurrent(CUcontext handle) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    std::uint64_t id = from_handle(handle);
    if (id != 0) {
        auto it = d.contexts.find(id);
        if (it == d.contexts.end() || !it->second.live) {
            return CUDA_ERROR_INVALID_CONTEXT;
        }
    }
    current_context = id;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuCtxGetCurrent(CUcontext* handle) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (!d.initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (handle == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *handle = to_handle<CUcontext>(current_context);
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuCtxSynchronize() {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    return current(d, context);  // launches finish before they return: only a fault remains to report
}

LG_EXPORT CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    return load_module(module, image);
}

LG_EXPORT CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int numOptions,
                                      CUjit_option* options, void** optionValues) {
    (void) numOptions;  // JIT options tune a compiler the emulator does not have
    (void) options;
    (void) optionValues;
    return load_module(module, image);
}

LG_EXPORT CUresult cuModuleGetFunction(CUfunction* function, CUmodule handle, const char* name) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (function == nullptr || name == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Module* module = owned_module(d, handle);
    if (module == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    auto it = module->functions.find(name);
    if (it == module->functions.end()) {
        return CUDA_ERROR_NOT_FOUND;
    }
    *function = to_handle<CUfunction>(it->second);
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuModuleGetGlobal_v2(CUdeviceptr* pointer, std::size_t* bytes, CUmodule handle, const char* name) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (name == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Module* module = owned_module(d, handle);
    if (module == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    auto it = module->globals.find(name);
    if (it == module->globals.end()) {
        return CUDA_ERROR_NOT_FOUND;
    }
    if (pointer != nullptr) {
        *pointer = it->second;
    }
    if (bytes != nullptr) {
        *bytes = context->memory.at(it->second).bytes;
    }
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuModuleUnload(CUmodule handle) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (owned_module(d, handle) == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    unload(d, *context, from_handle(handle));
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuMemGetInfo_v2(std::size_t* free, std::size_t* total) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (free == nullptr || total == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *free = d.total_memory - d.used_memory;
    *total = d.total_memory;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr* pointer, std::size_t bytes) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    if (pointer == nullptr || bytes == 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::uintptr_t address;
    if (CUresult status = allocate(d, *context, bytes, 0, address)) {
        return status;
    }
    *pointer = address;
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuMemFree_v2(CUdeviceptr pointer) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    auto it = context->memory.find(static_cast<std::uintptr_t>(pointer));
    if (it == context->memory.end() || it->second.module != 0) {
        report("cuMemFree: " + hex(pointer) + " is not an allocation of cuMemAlloc in the current context");
        return CUDA_ERROR_INVALID_VALUE;
    }
    release(d, *context, it);
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void* source, std::size_t bytes) {
    return copy(const_cast<void*>(source), static_cast<std::uintptr_t>(destination), bytes, true, "cuMemcpyHtoD");
}

LG_EXPORT CUresult cuMemcpyDtoH_v2(void* destination, CUdeviceptr source, std::size_t bytes) {
    return copy(destination, static_cast<std::uintptr_t>(source), bytes, false, "cuMemcpyDtoH");
}

// Runs the whole grid before it returns. A fault is reported on stderr and becomes the context's sticky
// error, which every later call in the context returns (cuCtxSynchronize first, in lossgrid), as a GPU's
// asynchronous error would; the launch itself succeeds, as a GPU's does.
LG_EXPORT CUresult cuLaunchKernel(CUfunction handle, unsigned int gridX, unsigned int gridY, unsigned int gridZ,
                                  unsigned int blockX, unsigned int blockY, unsigned int blockZ,
                                  unsigned int sharedMemBytes, CUstream stream, void** kernelParams, void** extra) {
    Driver& d = driver();
    std::lock_guard<std::mutex> lock(d.mutex);
    Context* context;
    if (CUresult status = current(d, context)) {
        return status;
    }
    auto it = d.functions.find(from_handle(handle));
    if (it == d.functions.end() || d.modules.at(it->second.module).context != current_context) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    const Function& function = it->second;
    const lg_kernel& kernel = *function.kernel;
    if (stream != nullptr && stream != kLegacyStream && stream != kPerThreadStream) {
        report("cuLaunchKernel: streams other than the default stream are not emulated");
        return CUDA_ERROR_INVALID_HANDLE;
    }
    std::string refusal = refused_configuration(gridX, gridY, gridZ, blockX, blockY, blockZ,
                                                function.static_shared_bytes + sharedMemBytes);
    if (!refusal.empty()) {
        report("cuLaunchKernel(" + std::string(kernel.name) + "): " + refusal);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (extra != nullptr || (kernelParams == nullptr && kernel.param_count > 0)) {
        report("cuLaunchKernel(" + std::string(kernel.name) + "): pass the arguments as kernelParams");
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::vector<lg_launch_arg> args(kernel.param_count);
    for (unsigned int p = 0; p < kernel.param_count; p++) {
        lg_launch_arg& arg = args[p];
        if (kernel.params[p].kind == LG_PARAM_POINTER) {
            std::uintptr_t address;
            std::memcpy(&address, kernelParams[p], sizeof address);
            arg.pointer = {address, 0, 0, 0, p};
            if (auto* allocation = holding(*context, address, 1)) {
                arg.pointer = {address, allocation->first, allocation->second.bytes, allocation->second.id, p};
            }
        } else {
            std::memcpy(arg.scalar, kernelParams[p], kernel.params[p].bytes);
        }
    }
    lg::Fault fault = lg::run_grid({&kernel, args.data(), {gridX, gridY, gridZ}, {blockX, blockY, blockZ}});
    if (fault.code != CUDA_SUCCESS) {
        report(fault.message);
        context->sticky = fault.code;
    }
    return CUDA_SUCCESS;
}

LG_EXPORT CUresult cuGetErrorName(CUresult error, const char** name) {
    const ErrorText* text = error_text(error);
    if (name == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *name = text == nullptr ? nullptr : text->name;
    return text == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

LG_EXPORT CUresult cuGetErrorString(CUresult error, const char** description) {
    const ErrorText* text = error_text(error);
    if (description == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *description = text == nullptr ? nullptr : text->description;
    return text == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}
