// NodeScope demo: a small HTTP service that drives traffic at itself, so
// there is something to watch without touching any code.
//
//   node demo-app.js [--leak] [--rate N]
//
// Every request waits on a simulated database call timed with
// console.time('DB Call'), renders JSON (heap churn: a sawtooth between
// collections), and fills a bounded cache that warms up and then plateaus.
// With --leak, each request also retains ~2 KB forever: the leak-trend
// alarm should catch it while the sawtooth alone never alarms.
'use strict';
const http = require('node:http');

const args = process.argv.slice(2);
const leak = args.includes('--leak');
const rateIndex = args.indexOf('--rate');
const requestsPerSecond = rateIndex >= 0 ? Number(args[rateIndex + 1]) : 50;

const cache = new Map();
const CACHE_LIMIT = 20000;
const leaked = [];
let served = 0;

function fakeDatabaseCall(id) {
  return new Promise((resolve) => {
    const latency = 5 + Math.random() * 30 + (id % 50 === 0 ? 120 : 0); // an occasional slow query
    setTimeout(() => resolve({ id, rows: Array.from({ length: 20 }, (_, i) => ({ i, v: Math.random() })) }), latency);
  });
}

const server = http.createServer(async (req, res) => {
  const id = ++served;
  console.time('DB Call');
  const result = await fakeDatabaseCall(id);
  console.timeEnd('DB Call');

  console.time('render');
  const body = JSON.stringify({ id, url: req.url, result, padding: 'x'.repeat(2048) });
  console.timeEnd('render');
  if (cache.size < CACHE_LIMIT) cache.set(id, body.slice(0, 512));
  if (leak) leaked.push({ id, body: body.slice(0, 2048) });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`demo-app: pid ${process.pid}, listening on 127.0.0.1:${port}, ${requestsPerSecond} req/s${leak ? ', leaking' : ''}`);
  // One request at a time: console.time labels are process-wide, so
  // overlapping requests would clash on 'DB Call'.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const next = () => {
    const started = Date.now();
    http.get({ host: '127.0.0.1', port, path: `/item/${served}`, agent }, (res) => {
      res.resume();
      res.on('end', () => setTimeout(next, Math.max(0, 1000 / requestsPerSecond - (Date.now() - started))));
    }).on('error', () => setTimeout(next, 1000));
  };
  next();
  setInterval(() => {
    console.time('report');
    const mem = process.memoryUsage();
    console.log(`demo-app: ${served} requests, cache ${cache.size}, heapUsed ${(mem.heapUsed / 1048576).toFixed(1)} MB`);
    console.timeEnd('report');
  }, 10000);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
