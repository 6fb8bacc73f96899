#include "ptx.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

namespace lg {
namespace {

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '%' || c == '.';
}

// Words (directives, identifiers, registers, numbers such as 8.0 or 0f3F800000), strings and single
// punctuation characters; comments are dropped.
std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            i++;
        } else if (text.compare(i, 2, "//") == 0) {
            std::size_t end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end;
        } else if (text.compare(i, 2, "/*") == 0) {
            std::size_t end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else if (c == '"') {
            std::size_t end = text.find('"', i + 1);
            end = end == std::string_view::npos ? text.size() : end + 1;
            tokens.emplace_back(text.substr(i, end - i));
            i = end;
        } else if (is_word_char(c)) {
            std::size_t start = i;
            while (i < text.size() && is_word_char(text[i])) {
                i++;
            }
            tokens.emplace_back(text.substr(start, i - start));
        } else {
            tokens.emplace_back(1, c);
            i++;
        }
    }
    return tokens;
}

// Bytes of a PTX fundamental type (.u32 -> 4), or 0 if the word is not one.
unsigned int type_bytes(const std::string& word) {
    static const std::map<std::string, unsigned int> sizes = {
        {".b8", 1},  {".u8", 1},  {".s8", 1},  {".b16", 2}, {".u16", 2}, {".s16", 2}, {".f16", 2},
        {".bf16", 2}, {".b32", 4}, {".u32", 4}, {".s32", 4}, {".f32", 4}, {".b64", 8}, {".u64", 8},
        {".s64", 8}, {".f64", 8}, {".pred", 1}};
    auto it = sizes.find(word);
    return it == sizes.end() ? 0 : it->second;
}

bool is_float_type(const std::string& word) {
    return word == ".f16" || word == ".bf16" || word == ".f32" || word == ".f64";
}

bool is_identifier(const std::string& word) {
    return !word.empty() && (std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_' || word[0] == '$');
}

struct Failure {
    PtxReading::Verdict verdict;
    std::string message;
};

struct Function {
    std::set<std::string> names;  // every identifier its body mentions
    std::size_t own_shared = 0;   // .shared declared inside its body
};

class Reader {
public:
    explicit Reader(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

    PtxModule read() {
        if (tokens_.empty() || tokens_[0] != ".version") {
            throw Failure{PtxReading::NOT_PTX, "it does not start with a .version directive"};
        }
        module_.isa = -1;
        module_.target_sm = -1;
        module_.arch_specific = false;
        module_.address_size = 32;
        std::vector<std::pair<PtxEntry, Function>> entries;
        while (at_ < tokens_.size()) {
            const std::string& word = next();
            if (word == ".version") {
                read_version();
            } else if (word == ".target") {
                read_target();
            } else if (word == ".address_size") {
                module_.address_size = std::atoi(expect_number().c_str());
            } else if (word == ".visible" || word == ".weak" || word == ".extern" || word == ".common") {
                continue;  // linkage of what follows
            } else if (word == ".entry") {
                PtxEntry entry{};
                entry.name = expect_identifier();
                entry.params = read_params();
                entries.emplace_back(std::move(entry), read_body_or_prototype());
            } else if (word == ".func") {
                if (peek() == "(") {
                    skip_balanced("(", ")");  // return value
                }
                std::string name = expect_identifier();
                if (peek() == "(") {
                    skip_balanced("(", ")");
                }
                functions_[name] = read_body_or_prototype();
            } else if (word == ".global" || word == ".const") {
                Variable variable = read_variable();
                module_.globals.push_back({variable.name, std::move(variable.bytes)});
            } else if (word == ".shared") {
                Variable variable = read_variable();
                shared_[variable.name] = variable.bytes.size();
            } else if (word == ".file") {
                while (at_ < tokens_.size() && (is_number(peek()) || peek()[0] == '"' || peek() == ",")) {
                    at_++;
                }
            } else if (word == ".section") {
                next();
                skip_balanced("{", "}");
            } else if (word == ".pragma") {
                skip_past(";");
            } else {
                throw Failure{PtxReading::INVALID, "unexpected '" + word + "' at module scope"};
            }
        }
        if (module_.isa < 0 || module_.target_sm < 0) {
            throw Failure{PtxReading::INVALID, "no .version or no .target sm_XX"};
        }
        for (auto& [entry, body] : entries) {
            entry.static_shared_bytes = static_shared(body);
            module_.entries.push_back(std::move(entry));
        }
        return std::move(module_);
    }

private:
    static bool is_number(const std::string& word) {
        return !word.empty() && std::isdigit(static_cast<unsigned char>(word[0]));
    }

    const std::string& peek() const {
        static const std::string end;
        return at_ < tokens_.size() ? tokens_[at_] : end;
    }

    const std::string& next() {
        if (at_ >= tokens_.size()) {
            throw Failure{PtxReading::INVALID, "unexpected end of the module"};
        }
        return tokens_[at_++];
    }

    void expect(const char* word) {
        const std::string& got = next();
        if (got != word) {
            throw Failure{PtxReading::INVALID, std::string("expected '") + word + "', found '" + got + "'"};
        }
    }

    std::string expect_identifier() {
        const std::string& word = next();
        if (!is_identifier(word)) {
            throw Failure{PtxReading::INVALID, "expected a name, found '" + word + "'"};
        }
        return word;
    }

    std::string expect_number() {
        const std::string& word = next();
        if (!is_number(word)) {
            throw Failure{PtxReading::INVALID, "expected a number, found '" + word + "'"};
        }
        return word;
    }

    void skip_past(const char* word) {
        while (next() != word) {
        }
    }

    void skip_balanced(const char* open, const char* close) {
        expect(open);
        for (int depth = 1; depth > 0;) {
            const std::string& word = next();
            depth += word == open ? 1 : word == close ? -1 : 0;
        }
    }

    void read_version() {
        std::string version = expect_number();
        std::size_t dot = version.find('.');
        if (dot == std::string::npos) {
            throw Failure{PtxReading::INVALID, "malformed .version " + version};
        }
        module_.isa = std::atoi(version.substr(0, dot).c_str()) * 10 + std::atoi(version.substr(dot + 1).c_str());
    }

    void read_target() {
        for (;;) {
            std::string target = next();
            if (target.rfind("sm_", 0) == 0) {
                char* suffix = nullptr;
                module_.target_sm = static_cast<int>(std::strtol(target.c_str() + 3, &suffix, 10));
                module_.arch_specific = *suffix != '\0';
            }
            if (peek() != ",") {
                return;
            }
            next();
        }
    }

    // ( .param .u64 name, .param .align 8 .b8 name[16], ... ), each with its kind and size in bytes
    std::vector<PtxParam> read_params() {
        std::vector<PtxParam> params;
        expect("(");
        if (peek() == ")") {
            next();
            return params;
        }
        for (;;) {
            expect(".param");
            PtxParam param{PtxParam::INTEGER, 0};
            for (std::string word = next(); word[0] == '.'; word = next()) {
                if (word == ".align") {
                    expect_number();
                } else if (unsigned int bytes = type_bytes(word)) {
                    param.bytes = bytes;
                    param.kind = is_float_type(word) ? PtxParam::FLOAT : PtxParam::INTEGER;
                }  // .ptr, .global and the like only describe what a pointer points to
            }
            if (param.bytes == 0) {
                throw Failure{PtxReading::INVALID, "a .param without a type"};
            }
            if (peek() == "[") {
                next();
                param.bytes *= static_cast<unsigned int>(std::strtoul(expect_number().c_str(), nullptr, 0));
                param.kind = PtxParam::BYTES;
                expect("]");
            }
            params.push_back(param);
            if (next() == ")") {
                return params;
            }
        }
    }

    // Performance directives (.maxntid ...), then the body, or ';' for a prototype.
    Function read_body_or_prototype() {
        Function function;
        while (peek() != "{") {
            if (next() == ";") {
                return function;
            }
        }
        next();
        for (int depth = 1; depth > 0;) {
            const std::string& word = next();
            if (word == "{") {
                depth++;
            } else if (word == "}") {
                depth--;
            } else if (word == ".shared") {
                function.own_shared += read_variable().bytes.size();
            } else if (is_identifier(word)) {
                function.names.insert(word);
            }
        }
        return function;
    }

    struct Variable {
        std::string name;
        std::vector<unsigned char> bytes;  // its initial value
    };

    // [.align N] [.vN] .type name [N]... [= value | = {values}] ;
    Variable read_variable() {
        unsigned int element = 0;
        unsigned int vector = 1;
        bool is_float = false;
        std::string word = next();
        for (; word[0] == '.'; word = next()) {
            if (word == ".align") {
                expect_number();
            } else if (word == ".v2" || word == ".v4" || word == ".v8") {
                vector = static_cast<unsigned int>(std::atoi(word.c_str() + 2));
            } else if (unsigned int bytes = type_bytes(word)) {
                element = bytes;
                is_float = is_float_type(word);
            } else {
                throw Failure{PtxReading::UNSUPPORTED, "variable attribute " + word};
            }
        }
        if (element == 0 || !is_identifier(word)) {
            throw Failure{PtxReading::INVALID, "malformed variable declaration at '" + word + "'"};
        }
        std::string name = word;
        std::size_t count = vector;
        while (peek() == "[") {
            next();
            if (peek() == "]") {
                count = 0;  // extern .shared: sized at launch
            } else {
                count *= std::strtoull(expect_number().c_str(), nullptr, 0);
            }
            expect("]");
        }
        std::vector<unsigned char> bytes(count * element, 0);
        if (peek() == "=") {
            next();
            read_initializer(bytes, element, is_float, name);
        }
        expect(";");
        return {name, std::move(bytes)};
    }

    void read_initializer(std::vector<unsigned char>& bytes, unsigned int element, bool is_float,
                          const std::string& name) {
        bool list = peek() == "{";
        if (list) {
            next();
        }
        for (std::size_t offset = 0;; offset += element) {
            bool negative = peek() == "-";
            if (negative) {
                next();
            }
            std::string value = next();
            if (!is_number(value)) {
                throw Failure{PtxReading::UNSUPPORTED, "initializer '" + value + "' of " + name};
            }
            if (offset + element > bytes.size()) {
                throw Failure{PtxReading::INVALID, "too many initial values for " + name};
            }
            encode(value, negative, element, is_float, &bytes[offset]);
            if (!list || next() == "}") {
                return;
            }
        }
    }

    // A PTX constant as `element` little-endian bytes: 0f/0d hexadecimal floats, integers, decimal floats.
    static void encode(const std::string& value, bool negative, unsigned int element, bool is_float,
                       unsigned char* out) {
        std::uint64_t bits;
        if ((value.rfind("0f", 0) == 0 || value.rfind("0d", 0) == 0) && value.size() > 2) {
            bits = std::strtoull(value.c_str() + 2, nullptr, 16);
            if (negative) {
                bits ^= std::uint64_t(1) << (element * 8 - 1);
            }
        } else if (is_float) {
            double number = std::strtod(value.c_str(), nullptr) * (negative ? -1 : 1);
            if (element == 4) {
                float single = static_cast<float>(number);
                std::uint32_t b32;
                std::memcpy(&b32, &single, 4);
                bits = b32;
            } else {
                std::memcpy(&bits, &number, 8);
            }
        } else {
            bits = std::strtoull(value.c_str(), nullptr, 0);
            bits = negative ? ~bits + 1 : bits;
        }
        std::memcpy(out, &bits, element);  // little-endian host
    }

    // Module-scope .shared variables named by the function or by any .func it calls, plus its own.
    std::size_t static_shared(const Function& entry) const {
        std::set<std::string> seen;
        std::vector<const Function*> pending = {&entry};
        std::size_t bytes = 0;
        while (!pending.empty()) {
            const Function* function = pending.back();
            pending.pop_back();
            bytes += function->own_shared;
            for (const std::string& name : function->names) {
                if (!seen.insert(name).second) {
                    continue;
                }
                if (auto shared = shared_.find(name); shared != shared_.end()) {
                    bytes += shared->second;
                } else if (auto callee = functions_.find(name); callee != functions_.end()) {
                    pending.push_back(&callee->second);
                }
            }
        }
        return bytes;
    }

    std::vector<std::string> tokens_;
    std::size_t at_ = 0;
    PtxModule module_;
    std::map<std::string, std::size_t> shared_;
    std::map<std::string, Function> functions_;
};

}  // namespace

PtxReading read_ptx(std::string_view text) {
    try {
        return {PtxReading::OK, "", Reader(tokenize(text)).read()};
    } catch (const Failure& failure) {
        return {failure.verdict, failure.message, {}};
    }
}

}  // namespace lg
