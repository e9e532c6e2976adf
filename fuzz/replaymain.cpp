// The replay test of one fuzzer: feeds it every file of the directories it is
// given (its seed corpus, then the crashes ever found for it), in name order,
// without libFuzzer and with any compiler. So `ctest` reruns each crash fuzz/
// ever found, and under the asan preset with the sanitizers that found it.
//
// Usage: fuzzreplay_<kind> CORPUS_DIR [REGRESSIONS_DIR...]
// The corpus must hold inputs: a replay of nothing would pass without
// proving anything. Directories after it may be missing (no crash yet).

#include "fuzzinput.h"

#include <QDir>
#include <QFile>

#include <cstdio>
#include <vector>

namespace {

// Runs one file; false when it cannot be read.
bool replay(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return false;
    }
    // A buffer of exactly the input's size, as libFuzzer gives: a sanitizer
    // sees any read past its end.
    const QByteArray contents = file.readAll();
    const std::vector<std::uint8_t> input(contents.cbegin(), contents.cend());
    std::printf("%s (%zu bytes)\n", qPrintable(path), input.size());
    std::fflush(stdout); // the last name printed is the input that crashed
    LLVMFuzzerTestOneInput(input.data(), input.size());
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [REGRESSIONS_DIR...]\n", argv[0]);
        return 2;
    }
    int inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const QDir dir(QFile::decodeName(argv[i]));
        for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
            if (!replay(dir.filePath(name)))
                return 1;
            ++inputs;
        }
        if (i == 1 && inputs == 0) {
            std::fprintf(stderr, "no inputs in %s: a replay of nothing proves nothing\n", argv[1]);
            return 1;
        }
    }
    std::printf("%d inputs replayed, none broke a promise\n", inputs);
    return 0;
}
