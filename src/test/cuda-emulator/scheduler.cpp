#include "scheduler.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if !defined(__x86_64__)
#error "the emulator's fibers switch stacks in x86-64 assembly"
#endif

extern "C" {
// Saves the callee-saved registers and the stack pointer of the running code in *save, then resumes the
// code whose stack pointer is `load` (saved by an earlier switch, or a fresh stack made by Fiber::start).
__attribute__((visibility("hidden"))) void lg_switch_stack(void** save, void* load);
// The first code a fresh fiber runs: calls r13(r12). The function it calls never returns.
__attribute__((visibility("hidden"))) void lg_fiber_trampoline();
}

asm(R"(
    .text
    .p2align 4
    .globl lg_switch_stack
    .hidden lg_switch_stack
    .type lg_switch_stack, @function
lg_switch_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size lg_switch_stack, .-lg_switch_stack

    .p2align 4
    .globl lg_fiber_trampoline
    .hidden lg_fiber_trampoline
    .type lg_fiber_trampoline, @function
lg_fiber_trampoline:
    movq %r12, %rdi
    callq *%r13
    ud2
    .size lg_fiber_trampoline, .-lg_fiber_trampoline
)");

namespace lg {
namespace {

constexpr std::size_t kStackBytes = 64 * 1024;
constexpr unsigned int kMaxThreadsPerBlock = 1024;

// A fiber's stack, with an inaccessible page below it so that an overflow crashes instead of corrupting.
class Stack {
public:
    Stack() : guard_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
        void* memory = mmap(nullptr, guard_ + kStackBytes, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (memory == MAP_FAILED || mprotect(memory, guard_, PROT_NONE) != 0) {
            std::fprintf(stderr, "lossgrid CUDA emulator: cannot map a %zu-byte fiber stack\n", kStackBytes);
            std::abort();
        }
        base_ = static_cast<unsigned char*>(memory);
    }
    ~Stack() {
        munmap(base_, guard_ + kStackBytes);
    }
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    unsigned char* top() const {
        return base_ + guard_ + kStackBytes;
    }

private:
    std::size_t guard_;
    unsigned char* base_;
};

enum class Status { READY, AT_BARRIER, AT_SHUFFLE, EXITED };

// One GPU thread of the block being run.
struct Fiber {
    lg_thread_state state;
    Status status;
    void* stack_pointer;  // where lg_switch_stack resumes it
    unsigned int shuffle_mask;
    int shuffle_source;
    std::uint64_t shuffle_value;
    std::uint64_t shuffle_result;

    // A fresh stack whose first switch enters lg_fiber_trampoline, which calls entry(argument): the six
    // registers lg_switch_stack pops, the trampoline as return address, and padding that leaves the
    // stack 16-byte aligned at the trampoline's call, as the x86-64 ABI requires.
    void start(const Stack& stack, void (*entry)(void*), void* argument) {
        auto* frame = reinterpret_cast<std::uintptr_t*>(stack.top()) - 9;
        frame[0] = 0;                                                  // r15
        frame[1] = 0;                                                  // r14
        frame[2] = reinterpret_cast<std::uintptr_t>(entry);            // r13
        frame[3] = reinterpret_cast<std::uintptr_t>(argument);         // r12
        frame[4] = 0;                                                  // rbx
        frame[5] = 0;                                                  // rbp
        frame[6] = reinterpret_cast<std::uintptr_t>(&lg_fiber_trampoline);
        frame[7] = 0;
        frame[8] = 0;
        stack_pointer = frame;
        status = Status::READY;
    }
};

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

std::string format(const char* pattern, ...) {
    char text[512];
    va_list args;
    va_start(args, pattern);
    std::vsnprintf(text, sizeof text, pattern, args);
    va_end(args);
    return text;
}

std::string lanes(unsigned int mask) {
    return format("0x%08x", mask);
}

// Runs blocks one at a time on one OS thread: every GPU thread of the block is a fiber that runs until
// it returns, faults or waits (at __syncthreads or a shuffle). A warp runs until all of its lanes wait;
// shuffles complete within the warp; when every live thread waits at the barrier, it opens. Warps run in
// ascending order, then descending after each barrier, so that a missing barrier lets one warp read
// shared memory before another has written it, or after it has overwritten it. Shared memory starts
// every block filled with 0xff bytes (NaN floats), as uninitialised memory that a race would read.
class BlockRunner {
public:
    BlockRunner() {
        std::memset(shared_, 0xff, sizeof shared_);
    }

    bool run_block(const Grid& grid, lg_dim3 block, Fault& fault);

    const lg_thread_state* current() const {
        return &current_->state;
    }

    unsigned char* shared_memory(std::size_t end) {
        shared_used_ = std::max(shared_used_, end);
        return shared_;
    }

    void sync_threads() {
        current_->status = Status::AT_BARRIER;
        at_barrier_++;
        yield();
    }

    std::uint64_t shuffle_down(unsigned int mask, std::uint64_t value, unsigned int delta, unsigned int width);

    [[noreturn]] void fail(CUresult code, const std::string& what);

    std::string where() const {
        const lg_thread_state& s = current_->state;
        return format("kernel %s, block (%u,%u,%u), thread (%u,%u,%u)", grid_->kernel->name, s.block_idx.x,
                      s.block_idx.y, s.block_idx.z, s.thread_idx.x, s.thread_idx.y, s.thread_idx.z);
    }

private:
    static void fiber_main(void* runner) {
        auto* self = static_cast<BlockRunner*>(runner);
        self->grid_->kernel->run(self->grid_->args);
        self->current_->status = Status::EXITED;
        self->live_--;
        self->yield();
        __builtin_unreachable();  // an exited fiber is never resumed
    }

    // Passes control from the current fiber, which waits or has ended, to the next ready lane of its
    // warp in lane order, or to the scheduler when no lane is ready: one switch per wait.
    void yield() {
        Fiber* self = current_;
        const unsigned int index = static_cast<unsigned int>(self - fibers_);
        const unsigned int first = index / LG_WARP_SIZE * LG_WARP_SIZE;
        const unsigned int lanes = std::min<unsigned int>(LG_WARP_SIZE, thread_count_ - first);
        for (unsigned int step = 1; step < lanes; step++) {
            Fiber* next = &fibers_[first + (index - first + step) % lanes];
            if (next->status == Status::READY) {
                current_ = next;
                lg_switch_stack(&self->stack_pointer, next->stack_pointer);
                return;
            }
        }
        lg_switch_stack(&self->stack_pointer, scheduler_stack_pointer_);
    }

    bool run_warp(unsigned int warp);
    std::string deadlock() const;

    Fiber* fiber(unsigned int warp, unsigned int lane) {
        return &fibers_[warp * LG_WARP_SIZE + lane];
    }

    Fiber fibers_[kMaxThreadsPerBlock];
    std::vector<std::unique_ptr<Stack>> stacks_;  // made as blocks of more threads need them
    std::vector<unsigned int> waiting_at_shuffle_;  // per warp, the lanes that wait at a shuffle
    void* scheduler_stack_pointer_ = nullptr;
    Fiber* current_ = nullptr;
    const Grid* grid_ = nullptr;
    Fault* fault_ = nullptr;
    bool faulted_ = false;
    unsigned int thread_count_ = 0;
    unsigned int live_ = 0;
    unsigned int at_barrier_ = 0;
    std::size_t shared_used_ = 0;  // what any block has used: refilled for each block
    alignas(16) unsigned char shared_[LG_MAX_SHARED_BYTES];
};

// The runner of this OS thread while it runs a block: what the kernel runtime functions act on. Read on
// every call a kernel makes, so initial-exec: one load, no __tls_get_addr (8 bytes of static TLS).
__attribute__((tls_model("initial-exec"))) thread_local BlockRunner* running = nullptr;

BlockRunner& this_thread_runner() {
    thread_local std::unique_ptr<BlockRunner> runner;
    if (!runner) {
        runner = std::make_unique<BlockRunner>();
    }
    return *runner;
}

bool BlockRunner::run_block(const Grid& grid, lg_dim3 block, Fault& fault) {
    const lg_dim3 t = grid.threads;
    grid_ = &grid;
    fault_ = &fault;
    faulted_ = false;
    thread_count_ = t.x * t.y * t.z;
    while (stacks_.size() < thread_count_) {
        stacks_.push_back(std::make_unique<Stack>());
    }
    for (unsigned int i = 0; i < thread_count_; i++) {
        Fiber& f = fibers_[i];
        f.state = {{i % t.x, i / t.x % t.y, i / (t.x * t.y)}, block, t, grid.blocks, i % LG_WARP_SIZE};
        f.start(*stacks_[i], &fiber_main, this);
    }
    const unsigned int warps = (thread_count_ + LG_WARP_SIZE - 1) / LG_WARP_SIZE;
    waiting_at_shuffle_.assign(warps, 0);
    std::memset(shared_, 0xff, shared_used_);
    live_ = thread_count_;
    at_barrier_ = 0;
    running = this;
    for (unsigned int phase = 0;; phase++) {
        for (unsigned int i = 0; i < warps; i++) {
            if (!run_warp(phase % 2 == 0 ? i : warps - 1 - i)) {
                return false;
            }
        }
        if (live_ == 0) {
            return true;
        }
        if (at_barrier_ != live_) {
            fault = {CUDA_ERROR_LAUNCH_FAILED, deadlock()};
            return false;
        }
        for (unsigned int i = 0; i < thread_count_; i++) {
            if (fibers_[i].status == Status::AT_BARRIER) {
                fibers_[i].status = Status::READY;
            }
        }
        at_barrier_ = 0;
    }
}

// Runs the lanes of a warp until none is ready (they pass control among themselves, see yield, and
// come back here only then); false after a fault.
bool BlockRunner::run_warp(unsigned int warp) {
    const unsigned int first = warp * LG_WARP_SIZE;
    const unsigned int end = std::min(first + LG_WARP_SIZE, thread_count_);
    for (unsigned int i = first; i < end; i++) {
        if (fibers_[i].status == Status::READY) {
            current_ = &fibers_[i];
            lg_switch_stack(&scheduler_stack_pointer_, current_->stack_pointer);
            return !faulted_;
        }
    }
    return true;
}

std::uint64_t BlockRunner::shuffle_down(unsigned int mask, std::uint64_t value, unsigned int delta,
                                        unsigned int width) {
    Fiber& self = *current_;
    const unsigned int lane = self.state.lane;
    const unsigned int warp = static_cast<unsigned int>(&self - fibers_) / LG_WARP_SIZE;
    if (width == 0 || width > LG_WARP_SIZE || (width & (width - 1)) != 0) {
        fail(CUDA_ERROR_LAUNCH_FAILED, where() + format(": shuffle width %u is not a power of 2 up to 32", width));
    }
    const int source = (lane & (width - 1)) + delta < width ? static_cast<int>(lane + delta) : -1;
    if ((mask >> lane & 1) == 0) {
        fail(CUDA_ERROR_LAUNCH_FAILED, where() + ": shuffle with mask " + lanes(mask)
                                           + " that leaves out the calling lane (undefined on a GPU)");
    }
    self.shuffle_mask = mask;
    self.shuffle_value = value;
    self.shuffle_source = source;
    self.status = Status::AT_SHUFFLE;
    unsigned int& waiting = waiting_at_shuffle_[warp];
    waiting |= 1u << lane;
    if ((waiting & mask) != mask) {
        yield();  // the last lane of the mask to arrive completes the exchange for all
        return self.shuffle_result;
    }
    for (unsigned int l = 0; l < LG_WARP_SIZE; l++) {
        if ((mask >> l & 1) == 0) {
            continue;
        }
        Fiber* f = fiber(warp, l);
        const int s = f->shuffle_source;
        if (f->shuffle_mask != mask) {
            fail(CUDA_ERROR_LAUNCH_FAILED, where() + format(": lanes %u and %u meet at a shuffle with masks ", lane, l)
                                               + lanes(mask) + " and " + lanes(f->shuffle_mask));
        }
        if (s >= LG_WARP_SIZE || (s >= 0 && (mask >> s & 1) == 0)) {
            fail(CUDA_ERROR_LAUNCH_FAILED, where() + format(": lane %u reads lane %d, which is not in the mask ", l, s)
                                               + lanes(mask) + " (undefined on a GPU)");
        }
        f->shuffle_result = s < 0 ? f->shuffle_value : fiber(warp, static_cast<unsigned int>(s))->shuffle_value;
        f->status = Status::READY;
    }
    waiting &= ~mask;
    return self.shuffle_result;
}

void BlockRunner::fail(CUresult code, const std::string& what) {
    *fault_ = {code, what};
    faulted_ = true;
    lg_switch_stack(&current_->stack_pointer, scheduler_stack_pointer_);
    __builtin_unreachable();  // a faulted block is abandoned, never resumed
}

std::string BlockRunner::deadlock() const {
    std::string text = format("kernel %s, block (%u,%u,%u): deadlock: %u of %u threads wait at __syncthreads()",
                              grid_->kernel->name, fibers_[0].state.block_idx.x, fibers_[0].state.block_idx.y,
                              fibers_[0].state.block_idx.z, at_barrier_, thread_count_);
    for (unsigned int warp = 0; warp < waiting_at_shuffle_.size(); warp++) {
        if (unsigned int waiting = waiting_at_shuffle_[warp]) {
            unsigned int exited = 0;
            for (unsigned int lane = 0; lane < LG_WARP_SIZE; lane++) {
                unsigned int i = warp * LG_WARP_SIZE + lane;
                exited |= (i >= thread_count_ || fibers_[i].status == Status::EXITED ? 1u : 0u) << lane;
            }
            const Fiber& first = fibers_[warp * LG_WARP_SIZE + static_cast<unsigned int>(__builtin_ctz(waiting))];
            text += format(", warp %u: lanes ", warp) + lanes(waiting) + " wait at a shuffle with mask "
                    + lanes(first.shuffle_mask) + " while lanes " + lanes(exited) + " have exited or do not exist";
        }
    }
    return text + " (a barrier or shuffle that not every thread reaches)";
}

const lg_thread_state* runtime_current() {
    return running->current();
}

void runtime_sync_threads() {
    running->sync_threads();
}

std::uint64_t runtime_shuffle_down(unsigned int mask, std::uint64_t value, unsigned int delta, unsigned int width) {
    return running->shuffle_down(mask, value, delta, width);
}

unsigned char* runtime_shared_memory(std::size_t end) {
    return running->shared_memory(end);
}

void runtime_fault_pointer(const lg_pointer_arg* pointer, long long byte_offset, unsigned int element_bytes,
                           int misaligned) {
    std::string what = running->where();
    if (pointer->allocation_bytes == 0) {
        what += format(": access through parameter %u, address 0x%llx, which is in no allocation of this context",
                       pointer->parameter, static_cast<unsigned long long>(pointer->address));
        running->fail(CUDA_ERROR_ILLEGAL_ADDRESS, what);
    }
    what += format(": %s access to parameter %u at element %lld (byte offset %lld, %u-byte elements) of "
                   "allocation #%u, which holds %zu bytes",
                   misaligned ? "misaligned" : "out-of-bounds", pointer->parameter,
                   byte_offset / static_cast<long long>(element_bytes), byte_offset, element_bytes,
                   pointer->allocation_id, pointer->allocation_bytes);
    running->fail(misaligned ? CUDA_ERROR_MISALIGNED_ADDRESS : CUDA_ERROR_ILLEGAL_ADDRESS, what);
}

void runtime_fault_shared(const char* array, unsigned long long length, long long index) {
    running->fail(CUDA_ERROR_ILLEGAL_ADDRESS,
                  running->where() + format(": out-of-bounds access to __shared__ %s[%llu] at index %lld", array,
                                            length, index));
}

const lg_runtime kRuntime = {&runtime_current, &runtime_sync_threads, &runtime_shuffle_down, &runtime_shared_memory,
                             &runtime_fault_pointer, &runtime_fault_shared};

// Persistent worker threads, one fewer than the CPUs: the launching thread is the last worker.
class Pool {
public:
    Pool() {
        unsigned int cpus = std::thread::hardware_concurrency();
        workers_ = cpus > 1 ? cpus - 1 : 0;
        for (unsigned int i = 0; i < workers_; i++) {
            std::thread([this] { serve(); }).detach();
        }
    }

    Fault run(const Grid& grid) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            grid_ = &grid;
            block_count_ = std::uint64_t(grid.blocks.x) * grid.blocks.y * grid.blocks.z;
            next_block_ = 0;
            stop_ = false;
            fault_ = {};
            busy_ = workers_;
            generation_++;
        }
        wake_.notify_all();
        run_blocks();
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return busy_ == 0; });
        return std::move(fault_);
    }

private:
    void serve() {
        std::uint64_t served = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return generation_ != served; });
            served = generation_;
            lock.unlock();
            run_blocks();
            lock.lock();
            if (--busy_ == 0) {
                done_.notify_one();
            }
        }
    }

    void run_blocks() {
        BlockRunner& runner = this_thread_runner();
        const lg_dim3 blocks = grid_->blocks;
        Fault fault;
        while (!stop_.load(std::memory_order_relaxed)) {
            std::uint64_t b = next_block_.fetch_add(1, std::memory_order_relaxed);
            if (b >= block_count_) {
                return;
            }
            const lg_dim3 block = {static_cast<unsigned int>(b % blocks.x),
                                   static_cast<unsigned int>(b / blocks.x % blocks.y),
                                   static_cast<unsigned int>(b / (std::uint64_t(blocks.x) * blocks.y))};
            if (!runner.run_block(*grid_, block, fault)) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!stop_.exchange(true)) {
                    fault_ = std::move(fault);
                }
                return;
            }
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    unsigned int workers_ = 0;
    unsigned int busy_ = 0;
    std::uint64_t generation_ = 0;
    const Grid* grid_ = nullptr;
    std::uint64_t block_count_ = 0;
    std::atomic<std::uint64_t> next_block_{0};
    std::atomic<bool> stop_{false};
    Fault fault_;
};

}  // namespace

Fault run_grid(const Grid& grid) {
    static Pool* pool = new Pool;  // lives as long as the process: its threads never stop
    return pool->run(grid);
}

const lg_runtime* kernel_runtime() {
    return &kRuntime;
}

}  // namespace lg
