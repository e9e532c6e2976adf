#pragma once

// What every fuzzer here shares: the input as the owned bytes a parser gets
// in NodeScope (QFile::readAll, a socket's readLine), and FUZZ_CHECK for the
// promises a parser makes beyond not crashing. A broken promise aborts, so
// libFuzzer keeps the input as a crash and the replay test fails on it, with
// or without sanitizers.

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace NodeScope::Fuzz {

inline QByteArray bytes(const std::uint8_t* data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

[[noreturn]] inline void brokenPromise(const char* file, int line, const char* condition)
{
    std::fprintf(stderr, "%s:%d: broken promise: %s\n", file, line, condition);
    std::abort();
}

} // namespace NodeScope::Fuzz

#define FUZZ_CHECK(condition)                                                                                \
    do {                                                                                                     \
        if (!(condition))                                                                                    \
            NodeScope::Fuzz::brokenPromise(__FILE__, __LINE__, #condition);                                  \
    } while (false)

// Each fuzz_<kind>.cpp defines it; libFuzzer or replaymain.cpp calls it.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
