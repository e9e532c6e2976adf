'use strict';
// How much does an inspector session with Runtime enabled slow a target that
// calls console.time/timeEnd a lot? Runs target.js in four modes:
//   plain     node target.js                      (no inspector)
//   listening node --inspect=0, nobody attached    (V8 still buffers console messages)
//   session   attached, Runtime not enabled        (what sampling alone costs)
//   runtime   attached and Runtime.enable          (what timer capture costs)
//   nostack   as runtime, after Runtime.setMaxCallStackSizeToCapture {size: 0}
//             (console messages then carry no stackTrace)
// The client only counts the events, it does not parse them.
// Usage: node --experimental-websocket run.js [seconds per run] [repeats]
// Noisy on a shared machine: compare medians, and the extra us per pair.
const { spawn } = require('node:child_process');
const path = require('node:path');

const seconds = Number(process.argv[2] || 3);
const repeats = Number(process.argv[3] || 3);
const modes = ['plain', 'listening', 'session', 'runtime', 'nostack'];

function runOnce(mode) {
    return new Promise((resolve, reject) => {
        const args = mode === 'plain' ? [] : ['--inspect=0'];
        const child = spawn(process.execPath, [...args, path.join(__dirname, 'target.js'), String(seconds * 1000)],
                            { stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
        let ws = null;
        let events = 0;
        let bytes = 0;
        let stderr = '';
        const go = () => child.stdin.write('go\n');
        child.stdio[3].on('data', (d) => {
            const result = JSON.parse(d.toString());
            if (ws)
                ws.close();
            resolve({ ...result, events, bytes });
        });
        child.on('exit', (code) => { if (code) reject(new Error(`${mode}: exit ${code}\n${stderr}`)); });
        if (mode === 'plain')
            return go();
        child.stderr.on('data', (d) => {
            stderr += d.toString();
            const m = stderr.match(/Debugger listening on (ws:\S+)/);
            if (!m || ws || mode === 'listening') {
                if (m && mode === 'listening' && !child.started) {
                    child.started = true;
                    go();
                }
                return;
            }
            ws = new WebSocket(m[1]);
            ws.onopen = () => {
                if (mode === 'session')
                    return go();
                ws.send(JSON.stringify({ id: 1, method: 'Runtime.enable' }));
                // Refused before Runtime.enable ("Runtime agent is not enabled").
                if (mode === 'nostack')
                    ws.send(JSON.stringify({ id: 2, method: 'Runtime.setMaxCallStackSizeToCapture', params: { size: 0 } }));
            };
            ws.onmessage = (ev) => {
                ++events;
                bytes += ev.data.length;
                if (!child.started && ev.data.includes(mode === 'nostack' ? '"id":2,' : '"id":1,')) {
                    child.started = true;
                    go(); // after the last response (no console messages were buffered yet)
                }
                if (ev.data.includes('"error"'))
                    console.error(mode, ev.data);
            };
        });
    });
}

(async () => {
    const results = Object.fromEntries(modes.map((m) => [m, []]));
    for (let r = 0; r < repeats; ++r) {
        for (const mode of modes) {
            const res = await runOnce(mode);
            results[mode].push(res);
            console.error(`${mode.padEnd(9)} run ${r + 1}: ${Math.round(res.pairsPerSecond)} pairs/s`
                          + (res.events ? `, ${res.events} messages, ${(res.bytes / 1e6).toFixed(1)} MB` : ''));
        }
    }
    const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(results.plain.map((r) => r.pairsPerSecond));
    console.log(`node ${process.version}, ${seconds} s per run, median of ${repeats}`);
    for (const mode of modes) {
        const rate = median(results[mode].map((r) => r.pairsPerSecond));
        const extraUs = 1e6 / rate - 1e6 / base;
        console.log(`${mode.padEnd(9)} ${Math.round(rate).toString().padStart(9)} pairs/s  ${
            (100 * rate / base).toFixed(1).padStart(5)} % of plain  ${
            extraUs.toFixed(1).padStart(6)} us more per pair`);
    }
})();
