'use strict';
// An in-memory cache that warms up then plateaus: requests for keys drawn from
// a fixed key space; a miss computes a value (~2 KB) and caches it. Misses get
// rarer as the cache fills, and once every key is cached (or the LRU cap is
// reached) the heap floor stops rising. Healthy: it must not be called a leak.
// Usage: node cache-plateau.js OUT.csv [intervalMs] [durationSec]
const { startFromArgv, churn } = require('./memlog');

const keySpace = Number(process.env.CACHE_KEYS || 20000);
const requestsPerSec = Number(process.env.CACHE_REQUESTS_PER_SEC || 400);
const cache = new Map();

function lookup(key) {
    let v = cache.get(key);
    if (v === undefined) {
        v = { key, body: 'v'.repeat(1500) + key, fields: Array.from({ length: 32 }, (_, i) => i + key) };
        cache.set(key, v);
    }
    return v.fields.length;
}

startFromArgv();
const t0 = performance.now();
let served = 0;
setInterval(() => {
    const due = Math.floor((performance.now() - t0) / 1000 * requestsPerSec);
    while (served < due) {
        lookup(Math.floor(Math.random() * keySpace));
        ++served;
    }
    churn(60);
}, 10);
