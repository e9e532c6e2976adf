// SampleCsv::read: a session CSV the user opens (File > Open CSV), written
// by NodeScope or edited, cut short, or not ours at all. Input: the file.
// Also splitRecord() on each line, and the writer on what was read: a
// session that was read can be written out again.

#include "fuzzinput.h"
#include "session/metrics.h"
#include "session/samplecsv.h"

#include <QBuffer>

#include <cmath>

using NodeScope::SampleCsv;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    QBuffer file(&bytes);
    file.open(QIODevice::ReadOnly);
    const SampleCsv::ReadResult result = SampleCsv::read(file, QStringLiteral("fuzz.csv"));
    if (!result.session) {
        FUZZ_CHECK(!result.error.isEmpty());
        return 0;
    }
    FUZZ_CHECK((result.skippedRows > 0) == !result.error.isEmpty());
    const NodeScope::Session& session = *result.session;
    for (qsizetype i = 0; i < session.size(); ++i) {
        const NodeScope::Sample& sample = session.samples().at(i);
        const NodeScope::RuntimeSample& runtime = session.runtimeAt(i);
        FUZZ_CHECK(i == 0 || sample.elapsedMs >= session.samples().at(i - 1).elapsedMs);
        // Every figure read is a number or "not sampled": no infinities,
        // no negative bytes, nothing the charts cannot place.
        for (const NodeScope::MetricInfo& metric : NodeScope::Metrics::all()) {
            const double value = metric.read(sample, runtime);
            FUZZ_CHECK(std::isnan(value) || std::isfinite(value));
            FUZZ_CHECK(std::isnan(value) || metric.unit == NodeScope::MetricUnit::Percent || value >= 0);
        }
        FUZZ_CHECK(!SampleCsv::formatRow(sample, runtime).isEmpty());
    }
    for (const QByteArray& line : bytes.split('\n'))
        (void)SampleCsv::splitRecord(QString::fromUtf8(line));
    return 0;
}
