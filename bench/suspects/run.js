'use strict';
// Evaluates leak suspects on the real scenarios of bench/leakeval: each
// scenario runs as its own process, `nodescope record --leak-suspects always`
// watches it, and the table says whether the function that allocates the
// leaked memory came first, and the share of the growth it was given.
// Usage: node run.js NODESCOPE_BINARY OUTDIR [--seconds N] [--only NAME[,NAME...]]
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const [binary, outDir] = process.argv.slice(2);
if (!binary || !outDir) {
    process.stderr.write('usage: node run.js NODESCOPE_BINARY OUTDIR [--seconds N] [--only NAME[,NAME...]]\n');
    process.exit(2);
}
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 120;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : null;
fs.mkdirSync(outDir, { recursive: true });
const leakeval = path.join(__dirname, '..', 'leakeval');

const scenarios = [
    { name: 'closure-leak-1mb', script: 'closure-leak.js', leaks: 'handleRequest', env: { LEAK_BYTES_PER_SEC: String(1 << 20) } },
    { name: 'closure-leak-100kb', script: 'closure-leak.js', leaks: 'handleRequest', env: { LEAK_BYTES_PER_SEC: String(100 << 10) } },
    { name: 'slow-leak-20kb', script: 'closure-leak.js', leaks: 'handleRequest', env: { LEAK_BYTES_PER_SEC: String(20 << 10) } },
    { name: 'cache-plateau', script: 'cache-plateau.js', leaks: null },
    { name: 'churn', script: 'churn.js', leaks: null },
];

function runScenario(s, index) {
    return new Promise((resolve) => setTimeout(resolve, index * 6000)).then(() => new Promise((resolve) => {
        const memlog = path.join(outDir, s.name + '-memlog.csv');
        // The target's own log runs longer than the recording: it must outlive it.
        const target = spawn(process.execPath, [path.join(leakeval, s.script), memlog, '1000', String(seconds + 30)],
            { env: { ...process.env, ...(s.env || {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
        target.stdout.once('data', () => {
            const summary = path.join(outDir, s.name + '.json');
            const recorder = spawn(binary, ['record', '--pid', String(target.pid), '--csv', path.join(outDir, s.name + '.csv'),
                '--summary', summary, '--duration', String(seconds), '--interval', '500', '--leak-suspects', 'always'],
            { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            recorder.stderr.on('data', (d) => { stderr += d; });
            recorder.on('exit', (code) => {
                target.kill();
                const result = { name: s.name, leaks: s.leaks || '(none)', exit: code };
                try {
                    const leak = JSON.parse(fs.readFileSync(summary, 'utf8')).leak;
                    const first = leak.suspects[0];
                    result.verdict = leak.state;
                    result.first = first ? `${first.function} ${path.basename(first.url)}:${first.line}` : '(none)';
                    result.firstIsLeak = s.leaks ? !!first && first.function === s.leaks : null;
                    const mine = s.leaks ? leak.suspects.find((x) => x.function === s.leaks) : first;
                    result.share = mine ? +mine.share.toFixed(3) : 0;
                    result.mbPerMin = mine ? +(mine.bytesPerMin / (1 << 20)).toFixed(2) : 0;
                    result.truthMbPerMin = s.env && s.env.LEAK_BYTES_PER_SEC ? +(Number(s.env.LEAK_BYTES_PER_SEC) * 60 / (1 << 20)).toFixed(2) : 0;
                    result.suspects = leak.suspects.length;
                } catch (e) {
                    result.error = String(e.message || e) + ' ' + stderr.slice(-300);
                }
                fs.writeFileSync(path.join(outDir, s.name + '.stderr'), stderr);
                resolve(result);
            });
        });
    }));
}

(async () => {
    const chosen = scenarios.filter((s) => !only || only.includes(s.name));
    // Side by side (a 2-core machine holds them), started 6 s apart: attaches
    // by SIGUSR1 share port 9229 for a moment each.
    const results = await Promise.all(chosen.map(runScenario));
    console.table(results);
    fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2));
})();
