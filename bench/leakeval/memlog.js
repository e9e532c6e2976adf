'use strict';
// Logs this process's own process.memoryUsage() at a fixed interval, in the
// column layout of `nodescope record --csv`, so a run can be replayed through
// the leak detector without a sampler. These are the figures the inspector's
// Runtime.evaluate("process.memoryUsage()") would return; what in-process
// sampling loses is only the samples taken while the event loop is blocked,
// and the scenarios below never block it for long.
const fs = require('fs');
const v8 = require('v8');

const HEADER = 'elapsed_ms,wall_time,rss_bytes,heap_total_bytes,heap_used_bytes,'
    + 'external_bytes,array_buffers_bytes,cpu_percent,cpu_user_percent,cpu_system_percent\n';

function start(file, intervalMs) {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, HEADER);
    const t0 = performance.now();
    const tick = () => {
        const m = process.memoryUsage();
        const elapsed = Math.round(performance.now() - t0);
        fs.writeSync(fd, `${elapsed},${new Date().toISOString()},${m.rss},${m.heapTotal},`
            + `${m.heapUsed},${m.external},${m.arrayBuffers},,,\n`);
    };
    tick();
    setInterval(tick, intervalMs);
    // The driver reads the limit from our first line of stdout.
    process.stdout.write(JSON.stringify({ heapLimitBytes: v8.getHeapStatistics().heap_size_limit }) + '\n');
}

// Command line shared by the scenarios: OUT.csv [intervalMs] [durationSec]
function startFromArgv() {
    const file = process.argv[2];
    if (!file) {
        process.stderr.write(`usage: node ${process.argv[1]} OUT.csv [intervalMs] [durationSec]\n`);
        process.exit(2);
    }
    const intervalMs = Number(process.argv[3] || 100);
    const durationSec = Number(process.argv[4] || 0);
    start(file, intervalMs);
    if (durationSec > 0)
        setTimeout(() => process.exit(0), durationSec * 1000);
}

// Short-lived garbage of the kind a request handler makes: parsed JSON,
// strings, small arrays. Nothing is kept.
function churn(kilobytes) {
    let sink = 0;
    for (let i = 0; i < kilobytes; ++i) {
        const o = { id: i, name: 'item-' + i + '-' + Math.random(), tags: [i, i + 1, i + 2], nested: { a: i } };
        const s = JSON.stringify(o);
        sink += JSON.parse(s).tags.length + s.length;
    }
    return sink;
}

module.exports = { start, startFromArgv, churn };
