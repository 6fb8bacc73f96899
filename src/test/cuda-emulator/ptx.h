// Reads what the emulated driver needs from a PTX module: the ISA version, the target, the address size,
// each .entry with its parameter list and static shared memory, and the module's .global/.const
// variables with their initial bytes. Instructions are not interpreted: the kernels run host-compiled.
#ifndef LOSSGRID_EMULATOR_PTX_H
#define LOSSGRID_EMULATOR_PTX_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

struct PtxParam {
    enum Kind { INTEGER, FLOAT, BYTES } kind;  // .u/.s/.b scalars (pointers are .u64), .f scalars, .b8 arrays
    unsigned int bytes;
};

struct PtxEntry {
    std::string name;
    std::vector<PtxParam> params;
    std::size_t static_shared_bytes;  // the .shared variables it (or a .func it calls) names
};

struct PtxVariable {
    std::string name;
    std::vector<unsigned char> initial;  // its size in bytes, zero where PTX gives no initializer
};

struct PtxModule {
    int isa;          // .version 8.0 -> 80
    int target_sm;    // .target sm_75 -> 75
    bool arch_specific;  // sm_90a, sm_100f: only that exact architecture
    int address_size;
    std::vector<PtxEntry> entries;
    std::vector<PtxVariable> globals;  // .global and .const
};

struct PtxReading {
    enum Verdict {
        OK,
        NOT_PTX,      // no .version first: not PTX text at all
        INVALID,      // PTX a JIT compiler would reject
        UNSUPPORTED,  // valid PTX that the emulator does not model
    } verdict;
    std::string error;
    PtxModule module;
};

PtxReading read_ptx(std::string_view text);

}  // namespace lg

#endif
