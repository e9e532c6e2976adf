'use strict';
// Busy target for run.js: console.time/timeEnd pairs as fast as it can for
// argv[2] ms once a line arrives on stdin, then reports on fd 3.
const fs = require('node:fs');

const durationMs = Number(process.argv[2] || 3000);
const labels = ['db', 'http: GET /users', 'render', 'cache'];

process.stdin.once('data', () => {
    const start = process.hrtime.bigint();
    const endNs = start + BigInt(durationMs) * 1_000_000n;
    let pairs = 0;
    let now = start;
    while (now < endNs) {
        for (let i = 0; i < 100; ++i) {
            const label = labels[pairs & 3];
            console.time(label);
            console.timeEnd(label);
            ++pairs;
        }
        now = process.hrtime.bigint();
    }
    const seconds = Number(now - start) / 1e9;
    fs.writeSync(3, JSON.stringify({ pairs, seconds, pairsPerSecond: pairs / seconds }) + '\n');
    process.stdin.destroy();
});
