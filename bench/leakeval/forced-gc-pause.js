'use strict';
// What a forced collection costs the target: the pause of
// HeapProfiler.collectGarbage (what NodeScope's "Force GC" sends) as a
// function of the live heap. Runs on an in-process inspector session, as the
// probe does, and times the call around it: the main thread is stopped for
// all of it. Prints one markdown row per heap size.
// Usage: node forced-gc-pause.js [MB,MB,...]   (default 8,32,64,128,256)
const inspector = require('inspector');

const sizes = (process.argv[2] || '8,32,64,128,256').split(',').map(Number);
const session = new inspector.Session();
session.connect();
const post = (method) => new Promise((resolve, reject) => {
    session.post(method, (err, res) => (err ? reject(err) : resolve(res)));
});

const retained = [];
function growTo(mb) {
    // Small objects in arrays, like a cache or a leak: many pointers to mark.
    while (process.memoryUsage().heapUsed < mb * 1024 * 1024) {
        const chunk = [];
        for (let i = 0; i < 1000; ++i)
            chunk.push({ i, s: 'x' + i, a: [i, i + 1] });
        retained.push(chunk);
    }
}

async function main() {
    process.stdout.write('| live heap | pause: min / median / max of 5 |\n|---|---|\n');
    for (const mb of sizes) {
        growTo(mb);
        const pauses = [];
        for (let k = 0; k < 5; ++k) {
            const t0 = process.hrtime.bigint();
            await post('HeapProfiler.collectGarbage');
            pauses.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        pauses.sort((a, b) => a - b);
        const used = process.memoryUsage().heapUsed / 1024 / 1024;
        process.stdout.write(`| ${used.toFixed(0)} MB | ${pauses[0].toFixed(1)} / ${pauses[2].toFixed(1)} / ${pauses[4].toFixed(1)} ms |\n`);
    }
    session.disconnect();
}
main();
