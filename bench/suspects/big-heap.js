'use strict';
// A target for measuring what a heap snapshot costs: it holds about SIZE_MB
// of small objects on its JavaScript heap, then reports, on each stall of
// its event loop longer than 200 ms, "stall MS" on stdout (a snapshot
// freezes the main thread). Read its peak memory from /proc/PID/status
// (VmHWM) before and after.
// Usage: node big-heap.js SIZE_MB
const sizeMb = Number(process.argv[2] || 100);
const held = [];
// ~100 bytes an object with its string: ten thousand per MB.
for (let i = 0; i < sizeMb * 10000; ++i)
    held.push({ i, name: 'entry-' + i, tags: [i & 7] });
let last = Date.now();
setInterval(() => {
    const now = Date.now();
    if (now - last > 200) process.stdout.write(`stall ${now - last} (holding ${held.length} objects)\n`);
    last = now;
}, 50);
const m = process.memoryUsage();
process.stdout.write(`ready ${process.pid} heapUsed ${m.heapUsed} rss ${m.rss}\n`);
