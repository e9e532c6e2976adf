'use strict';
// A closure leak: every "request" registers a listener that closes over its
// request context (about 10 KB of data) and is never removed. Retains about
// LEAK_BYTES_PER_SEC (default 1 MB/s) of JavaScript heap, plus request churn
// that is garbage at once, so heapUsed is a sawtooth on a rising floor.
// Usage: node closure-leak.js OUT.csv [intervalMs] [durationSec]
const { EventEmitter } = require('events');
const { startFromArgv, churn } = require('./memlog');

const leakRate = Number(process.env.LEAK_BYTES_PER_SEC || 1024 * 1024);
const contextBytes = 10 * 1024;
const bus = new EventEmitter();
bus.setMaxListeners(0);

function handleRequest(id) {
    const context = { id, rows: new Array(contextBytes / 8) };
    for (let i = 0; i < context.rows.length; ++i)
        context.rows[i] = id + i * 0.5; // doubles: 8 bytes each, on the JS heap
    bus.on('shutdown', () => context.rows.length); // the leak
    return churn(40);
}

startFromArgv();
const t0 = performance.now();
let handled = 0;
setInterval(() => {
    // Pace by elapsed time, not by tick count, so the rate holds when timers lag.
    const due = Math.floor((performance.now() - t0) / 1000 * leakRate / contextBytes);
    while (handled < due)
        handleRequest(handled++);
}, 10);
