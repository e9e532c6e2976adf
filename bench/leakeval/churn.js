'use strict';
// A busy service that retains nothing: every tick allocates a few MB of
// short-lived objects, keeps the last 200 results in a fixed ring and drops
// the rest. The heap saws up and down; its floor stays flat.
// Usage: node churn.js OUT.csv [intervalMs] [durationSec]
const { startFromArgv, churn } = require('./memlog');

startFromArgv();
const ring = new Array(200);
let n = 0;
setInterval(() => {
    const batch = [];
    for (let i = 0; i < 50; ++i)
        batch.push({ i, payload: 'p'.repeat(200 + (i % 7)) + n, list: Array.from({ length: 20 }, (_, k) => k * n) });
    ring[n++ % ring.length] = batch[batch.length - 1];
    churn(150);
}, 10);
