'use strict';
// Fallback load generator for nodescope_bench when wrk is not installed: a
// fixed number of keep-alive connections, each sending the next GET as soon as
// the previous response ends (a closed loop, like wrk). Runs in its own
// process so it never shares an event loop with the target.
//   node load.js URL CONNECTIONS SECONDS
// Prints one line: "Requests/sec: N" (the same words wrk uses) and the count.
const http = require('node:http');

const [url, connections = '10', seconds = '10'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const deadline = Date.now() + Number(seconds) * 1000;
let completed = 0;
let errors = 0;
const started = process.hrtime.bigint();

function loop() {
    if (Date.now() >= deadline)
        return Promise.resolve();
    return new Promise((resolve) => {
        const req = http.get(url, { agent }, (res) => {
            res.resume();
            res.on('end', () => { ++completed; resolve(); });
        });
        req.on('error', () => { ++errors; resolve(); });
    }).then(loop);
}

Promise.all(Array.from({ length: Number(connections) }, loop)).then(() => {
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`Requests/sec: ${(completed / elapsed).toFixed(2)}\nrequests ${completed} errors ${errors}\n`);
    agent.destroy();
});
