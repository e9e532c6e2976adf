'use strict';
// What looking for leak suspects costs a process: the CPU time of a fixed,
// allocation-heavy workload with and without V8's sampling heap profiler
// running as NodeScope runs it (HeapProfiler.startSampling, one sample per
// 64 KB, HeapProfiler.getSamplingProfile every 5 s, on an in-process
// inspector session like the probe's). Runs alternate (off, on, off, on...)
// so a machine that gets busier or quieter affects both alike; the figure
// is the median of the paired ratios.
// Usage: node profiler-cost.js [pairs=6] [batches=150000]
const inspector = require('node:inspector');

const pairs = Number(process.argv[2] || 6);
const batches = Number(process.argv[3] || 150000);
const session = new inspector.Session();
session.connect();
const post = (method, params) =>
    new Promise((resolve, reject) =>
        session.post(method, params || {}, (error, result) => (error ? reject(error) : resolve(result))));

// One batch: ~60 KB of garbage (objects, arrays, strings), and every 50th
// keeps ~10 KB, like a service that leaks a little now and then.
function batch(kept, n) {
    const garbage = [];
    for (let i = 0; i < 400; ++i)
        garbage.push({ i, text: 'request ' + n + ' ' + i, list: [i, n, i * n] });
    if (n % 50 === 0) kept.push({ n, rows: new Array(1280).fill(n) });
    return garbage.length;
}

function run(withProfiler) {
    return new Promise((resolve) => {
        const kept = [];
        let reads = 0;
        let timer = null;
        const startCpu = process.cpuUsage();
        const startWall = performance.now();
        const finish = async () => {
            if (timer) clearInterval(timer);
            if (withProfiler) await post('HeapProfiler.stopSampling');
            const cpu = process.cpuUsage(startCpu);
            resolve({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - startWall, reads });
        };
        const go = () => {
            if (withProfiler)
                timer = setInterval(() => {
                    post('HeapProfiler.getSamplingProfile').then(() => ++reads);
                }, 5000);
            let n = 0;
            const step = () => {
                // Ten batches a turn, so the event loop turns (and profile reads come) as in a service.
                for (let i = 0; i < 10 && n < batches; ++i) batch(kept, n++);
                if (n < batches) setImmediate(step);
                else finish();
            };
            step();
        };
        if (withProfiler) post('HeapProfiler.startSampling', { samplingInterval: 65536 }).then(go);
        else go();
    });
}

(async () => {
    const ratios = [];
    const rows = [];
    await run(false); // warm-up: JIT, heap growth
    for (let p = 0; p < pairs; ++p) {
        const off = await run(false);
        const on = await run(true);
        ratios.push(on.cpuMs / off.cpuMs);
        rows.push({ pair: p + 1, offCpuMs: Math.round(off.cpuMs), onCpuMs: Math.round(on.cpuMs),
            profileReads: on.reads, ratio: +(on.cpuMs / off.cpuMs).toFixed(3) });
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    console.table(rows);
    console.log(JSON.stringify({ node: process.version, pairs, batches, medianCpuRatio: +median.toFixed(3),
        minRatio: +ratios[0].toFixed(3), maxRatio: +ratios[ratios.length - 1].toFixed(3) }));
    session.disconnect();
})();
