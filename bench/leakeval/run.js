'use strict';
// Runs the real Node scenarios side by side and leaves, per scenario, the
// memory log OUTDIR/NAME.csv and OUTDIR/NAME.json (truth, heap limit, start,
// exit and whether V8 died of heap exhaustion). nodescope_leakeval replays them.
// --parallel N runs at most N at a time (default: all at once), in the order
// listed, so a shared machine can run them one or two at a time.
// Usage: node run.js OUTDIR [--minutes N] [--interval MS] [--only NAME[,NAME...]] [--parallel N]
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const outDir = process.argv[2];
if (!outDir) {
    process.stderr.write('usage: node run.js OUTDIR [--minutes N] [--interval MS] [--only NAME[,NAME...]] [--parallel N]\n');
    process.exit(2);
}
const minutesArg = process.argv.indexOf('--minutes');
const minutes = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 20;
const intervalArg = process.argv.indexOf('--interval');
const intervalMs = intervalArg > 0 ? Number(process.argv[intervalArg + 1]) : 100;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : null;
const parallelArg = process.argv.indexOf('--parallel');
const parallel = parallelArg > 0 ? Math.max(1, Number(process.argv[parallelArg + 1])) : Infinity;
fs.mkdirSync(outDir, { recursive: true });

const MB = 1024 * 1024;
const scenarios = [
    { name: 'node-closure-leak', script: 'closure-leak.js', truth: 'leak', rate: 1 * MB, minutes: Math.min(minutes, 10) },
    { name: 'node-closure-leak-128mb', script: 'closure-leak.js', truth: 'leak', rate: 1 * MB, flags: ['--max-old-space-size=128'], minutes: 10 },
    { name: 'node-slow-leak', script: 'closure-leak.js', truth: 'leak', rate: 20 * 1024, minutes },
    { name: 'node-churn', script: 'churn.js', truth: 'ok', minutes },
    { name: 'node-cache-plateau', script: 'cache-plateau.js', truth: 'ok', minutes },
    // Three times the keys: it fills for ten minutes and more, ever slower
    // (a time constant of 150 s), well past confirmSeconds: only the pace
    // test tells it from a leak.
    { name: 'node-cache-slow-warmup', script: 'cache-plateau.js', truth: 'ok', env: { CACHE_KEYS: '60000' }, minutes },
];

function run(s) {
    return new Promise((resolve) => {
        const csv = path.join(outDir, s.name + '.csv');
        const env = { ...process.env, ...(s.env || {}) };
        if (s.rate)
            env.LEAK_BYTES_PER_SEC = String(s.rate);
        const args = [...(s.flags || []), path.join(__dirname, s.script), csv, String(intervalMs), String(s.minutes * 60)];
        const meta = { name: s.name, truth: s.truth, leakBytesPerSec: s.rate || 0, intervalMs,
            command: 'node ' + args.join(' '),
            startWallMs: Date.now() };
        const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { err += d; });
        child.on('exit', (code, signal) => {
            meta.exitWallMs = Date.now();
            meta.exitCode = code;
            meta.signal = signal;
            meta.heapOom = /heap out of memory/i.test(err);
            try {
                meta.heapLimitBytes = JSON.parse(out.split('\n')[0]).heapLimitBytes;
            } catch (e) {
                meta.heapLimitBytes = 0;
            }
            fs.writeFileSync(path.join(outDir, s.name + '.json'), JSON.stringify(meta, null, 2) + '\n');
            process.stdout.write(`${s.name}: exit ${code ?? signal} after ${((meta.exitWallMs - meta.startWallMs) / 1000).toFixed(1)} s${meta.heapOom ? ' (heap OOM)' : ''}\n`);
            resolve();
        });
    });
}

const queue = scenarios.filter((s) => !only || only.includes(s.name));
async function worker() {
    for (let s = queue.shift(); s; s = queue.shift())
        await run(s);
}
Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
