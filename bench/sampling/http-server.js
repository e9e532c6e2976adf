'use strict';
// Target for nodescope_bench: a small node:http server whose throughput under
// a fixed local load shows what being sampled costs it.
//   node http-server.js [--no-timers] [--log]
// Listens on a random loopback port and says which on stderr ("listening on
// PORT"), because stdout carries one console.timeEnd line per request and the
// benchmark sends it to /dev/null. Each request is wrapped in one
// console.time/timeEnd pair (unless --no-timers) so that the cost NodeScope's
// console-timer capture adds to every console call shows in the figures.
const http = require('node:http');

const timers = !process.argv.includes('--no-timers');
// --log: one console.log line per request as well, as access logs do.
const log = process.argv.includes('--log');
let served = 0;

// A little real work per request (a JSON body), so the figures are not just
// the cost of the HTTP parser.
function handle(req, res) {
    const body = JSON.stringify({ ok: true, served: ++served, path: req.url, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
}

function logged(req, res) {
    handle(req, res);
    console.log('%s %s %d', req.method, req.url, served);
}
const respond = log ? logged : handle;
const server = http.createServer(timers
    ? (req, res) => {
        console.time('request');
        respond(req, res);
        console.timeEnd('request');
    }
    : respond);
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
    process.stderr.write(`listening on ${server.address().port}\n`);
});
// The benchmark ends us with SIGTERM; exit cleanly rather than by the signal.
process.on('SIGTERM', () => process.exit(0));
