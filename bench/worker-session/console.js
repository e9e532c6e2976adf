'use strict';
// What does an in-process session attached to the worker threads (NodeWorker)
// cost a process that logs a lot? One run: a thread (main or a worker) calls
// console.log (stdout to /dev/null) in 10 ms slices for some seconds while
//   none        no session
//   persistent  one session with NodeWorker.enable for the whole run (what
//               NodeScope's probe keeps while the process has workers)
//   periodic    a short session every second: enable, Runtime.getHeapUsage
//               in each worker, disconnect (what NodeScope does NOT do: see leak.js)
// Usage: node console.js MODE WHERE [ms]   (WHERE: main | worker)
// Prints "MODE WHERE calls/s" on stderr. run.sh runs the matrix.
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const inspector = require('node:inspector');

function logLoop(ms, done) {
  let n = 0;
  const end = Date.now() + ms;
  (function slice() {
    const sliceEnd = Date.now() + 10;
    while (Date.now() < sliceEnd) {
      console.log('request handled', n, { path: '/x', status: 200 });
      n++;
    }
    if (Date.now() < end) setImmediate(slice);
    else done(n);
  })();
}

if (!isMainThread) {
  parentPort.once('message', () => logLoop(workerData.ms, (n) => parentPort.postMessage(n)));
  if (!workerData.log) parentPort.removeAllListeners('message');
  setInterval(() => {}, 1000);
  return;
}

const [mode, where, msText] = process.argv.slice(2);
const ms = Number(msText || 3000);
const worker = new Worker(__filename, { workerData: { log: where === 'worker', ms } });

function pollOnce() {
  const session = new inspector.Session();
  const ids = [];
  let pending = 0;
  session.on('inspectorNotification', (event) => {
    if (event.method === 'NodeWorker.attachedToWorker') ids.push(event.params.sessionId);
    if (event.method === 'NodeWorker.receivedMessageFromWorker' && --pending === 0) session.disconnect();
  });
  session.connect();
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, () => {
    pending = ids.length;
    for (const sessionId of ids)
      session.post('NodeWorker.sendMessageToWorker',
        { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }) });
  });
}

worker.once('online', () => setTimeout(() => {
  if (mode === 'persistent') {
    const session = new inspector.Session();
    session.connect();
    session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  }
  if (mode === 'periodic') setInterval(pollOnce, 1000).unref();
  const finish = (n) => {
    process.stderr.write(`${mode} ${where} ${Math.round(n / (ms / 1000))}\n`);
    process.exit(0);
  };
  if (where === 'worker') {
    worker.once('message', finish);
    worker.postMessage('go');
  } else {
    logLoop(ms, finish);
  }
}, 200));
