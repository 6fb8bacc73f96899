// Shows that the emulator's concurrency finds real bugs in a reduction. It runs loss_grad of the MSE
// kernels through the emulated driver, with the real kernels and with build.sh's deliberately broken
// copies (selftest/<bug>/: a __syncthreads() removed, a shuffle offset wrong), and compares each with a
// double-precision sum: the real kernels must match it and every broken copy must not. Last, a launch
// reading past its buffers must end in CUDA_ERROR_ILLEGAL_ADDRESS (the emulator's stderr line naming
// the kernel, the allocation and the index is checked by CudaEmulatorTest, which runs this program).
//
// Usage: emulator-selftest lossgrid-mse.ptx   Exit status 0 when every variant behaved as it must.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "driver_api.h"

namespace {

constexpr int kSamples = 5000;
constexpr int kFeatures = 1;
constexpr int kSums = kFeatures + 2;  // sum term(e), sum slope(e), sum slope(e) x
constexpr unsigned int kBlocks = 4;
constexpr unsigned int kThreads = 256;
constexpr double kTolerance = 1e-5;  // relative to the sum of magnitudes of each sum's terms
const char* const kBugs[] = {"missing-first-barrier", "missing-second-barrier", "shuffle-offset-8"};

void check(CUresult result, const char* call) {
    if (result != CUDA_SUCCESS) {
        const char* name = nullptr;
        cuGetErrorName(result, &name);
        std::fprintf(stderr, "emulator-selftest: %s failed: %s\n", call, name != nullptr ? name : "?");
        std::exit(2);
    }
}

std::string directory_of_this_program() {
    std::vector<char> path(4096);
    ssize_t length = readlink("/proc/self/exe", path.data(), path.size() - 1);
    std::string text(path.data(), length > 0 ? static_cast<std::size_t>(length) : 0);
    return text.substr(0, text.rfind('/'));
}

struct Samples {
    std::vector<float> y, x;
    double b = 80, w = 0.9;  // away from the optimum, so that every sum is far from 0
    double reference[kSums] = {};
    double magnitude[kSums] = {};
};

Samples make_samples() {
    Samples s;
    for (int i = 0; i < kSamples; i++) {
        s.x.push_back(static_cast<float>(1000 + i * 7919 % 1000));
        s.y.push_back(static_cast<float>(100 + 0.97 * s.x.back() + (i * 104729 % 2001 - 1000)));
        double e = s.y.back() - s.b - s.w * s.x.back();
        double terms[kSums] = {e * e, 2 * e, 2 * e * s.x.back()};  // MSE: term e^2, slope 2e
        for (int m = 0; m < kSums; m++) {
            s.reference[m] += terms[m];
            s.magnitude[m] += std::fabs(terms[m]);
        }
    }
    return s;
}

CUdeviceptr upload(const std::vector<float>& values) {
    CUdeviceptr pointer;
    check(cuMemAlloc_v2(&pointer, values.size() * sizeof(float)), "cuMemAlloc");
    check(cuMemcpyHtoD_v2(pointer, values.data(), values.size() * sizeof(float)), "cuMemcpyHtoD");
    return pointer;
}

// One launch of loss_grad over `n` samples with the kernels in `kernels` ("" for the real ones);
// the per-block compensated sums added in double.
std::vector<double> loss_grad(const std::string& ptx, const std::string& kernels, const Samples& s, CUdeviceptr y,
                              CUdeviceptr x, int n) {
    if (kernels.empty()) {
        unsetenv("LOSSGRID_CUDA_EMULATOR_KERNELS");
    } else {
        setenv("LOSSGRID_CUDA_EMULATOR_KERNELS", kernels.c_str(), 1);
    }
    CUmodule module;
    CUfunction function;
    check(cuModuleLoadData(&module, ptx.c_str()), "cuModuleLoadData");
    check(cuModuleGetFunction(&function, module, "loss_grad"), "cuModuleGetFunction");
    std::vector<float> params;
    for (double value : {s.b, s.w}) {  // (hi, lo) float pairs
        float hi = static_cast<float>(value);
        params.push_back(hi);
        params.push_back(static_cast<float>(value - hi));
    }
    CUdeviceptr params_on_device = upload(params);
    std::vector<float> partials(kBlocks * kSums * 2);
    CUdeviceptr partials_on_device = upload(partials);
    int features = kFeatures;
    float loss_parameter = 0;
    void* args[] = {&y, &x, &n, &features, &params_on_device, &partials_on_device, &loss_parameter};
    check(cuLaunchKernel(function, kBlocks, 1, 1, kThreads, 1, 1, 0, nullptr, args, nullptr), "cuLaunchKernel");
    std::vector<double> sums(kSums);
    if (cuCtxSynchronize() == CUDA_SUCCESS) {
        check(cuMemcpyDtoH_v2(partials.data(), partials_on_device, partials.size() * sizeof(float)), "cuMemcpyDtoH");
        for (unsigned int block = 0; block < kBlocks; block++) {
            for (int m = 0; m < kSums; m++) {
                sums[m] += double(partials[(block * kSums + m) * 2]) + partials[(block * kSums + m) * 2 + 1];
            }
        }
        check(cuMemFree_v2(params_on_device), "cuMemFree");
        check(cuMemFree_v2(partials_on_device), "cuMemFree");
        check(cuModuleUnload(module), "cuModuleUnload");
    } else {
        sums.clear();  // the launch faulted; the context refuses every later call
    }
    return sums;
}

bool matches(const std::vector<double>& sums, const Samples& s) {
    for (int m = 0; m < kSums; m++) {
        if (!(std::fabs(sums[m] - s.reference[m]) <= kTolerance * s.magnitude[m])) {
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: emulator-selftest lossgrid-mse.ptx\n");
        return 2;
    }
    std::ifstream file(argv[1]);
    std::string ptx((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (ptx.empty()) {
        std::fprintf(stderr, "emulator-selftest: cannot read %s\n", argv[1]);
        return 2;
    }
    check(cuInit(0), "cuInit");
    CUcontext context;
    check(cuCtxCreate_v2(&context, 0, 0), "cuCtxCreate");
    Samples s = make_samples();
    CUdeviceptr y = upload(s.y);
    CUdeviceptr x = upload(s.x);
    bool as_expected = true;

    std::vector<double> sums = loss_grad(ptx, "", s, y, x, kSamples);
    bool right = matches(sums, s);
    std::printf("real kernels: loss %.9g (reference %.9g): %s\n", sums[0] / kSamples, s.reference[0] / kSamples,
                right ? "right" : "WRONG");
    as_expected &= right;
    std::string selftest = directory_of_this_program() + "/selftest/";
    for (const char* bug : kBugs) {
        sums = loss_grad(ptx, selftest + bug, s, y, x, kSamples);
        right = matches(sums, s);
        std::printf("%s: loss %.9g: %s\n", bug, sums[0] / kSamples,
                    right ? "RIGHT, so the emulator missed the bug" : "wrong, as it must be");
        as_expected &= !right;
    }

    sums = loss_grad(ptx, "", s, y, x, 2 * kSamples);  // reads y and x past their ends
    bool faulted = sums.empty() && cuCtxSynchronize() == CUDA_ERROR_ILLEGAL_ADDRESS;
    std::printf("n past the buffers: %s\n", faulted ? "CUDA_ERROR_ILLEGAL_ADDRESS" : "NO FAULT");
    as_expected &= faulted;
    check(cuCtxDestroy_v2(context), "cuCtxDestroy");
    return as_expected ? 0 : 1;
}
