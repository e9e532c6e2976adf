'use strict';
// Why NodeScope keeps one session attached to the workers instead of a short
// session per reading: each attach to a worker and detach again leaks native
// memory in the process. Two workers idle; N readings are taken either with
//   cycle       a new session per reading: connect, NodeWorker.enable,
//               Runtime.getHeapUsage in each worker, disconnect
//   persistent  one session, Runtime.getHeapUsage in each worker per reading
// and the process's rss growth is printed every 5000 readings.
// Usage: node --expose-gc leak.js MODE [readings]
const { Worker, isMainThread } = require('node:worker_threads');
const inspector = require('node:inspector');
if (!isMainThread) {
  setInterval(() => {}, 1000);
  return;
}
const mode = process.argv[2];
const readings = Number(process.argv[3] || 10000);
new Worker(__filename);
new Worker(__filename);
let done = 0;
let rss0 = 0;
let persistent = null;
const ids = [];

function read(session, then) {
  let pending = ids.length;
  const onEvent = (event) => {
    if (event.method === 'NodeWorker.receivedMessageFromWorker' && --pending === 0) {
      session.removeListener('inspectorNotification', onEvent);
      then();
    }
  };
  session.on('inspectorNotification', onEvent);
  for (const sessionId of ids)
    session.post('NodeWorker.sendMessageToWorker', { sessionId, message: '{"id":1,"method":"Runtime.getHeapUsage"}' });
}

function open(then) {
  const session = new inspector.Session();
  ids.length = 0;
  session.on('inspectorNotification', (event) => {
    if (event.method === 'NodeWorker.attachedToWorker') ids.push(event.params.sessionId);
  });
  session.connect();
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, () => then(session));
}

function next() {
  if (done > 0 && done % 5000 === 0) {
    global.gc && global.gc();
    console.log(`${process.version} ${mode} ${done} readings: rss +${((process.memoryUsage().rss - rss0) / 1048576).toFixed(1)} MB`);
  }
  if (done === readings) process.exit(0);
  done += 1;
  if (mode === 'persistent') read(persistent, () => setImmediate(next));
  else open((session) => read(session, () => { session.disconnect(); setImmediate(next); }));
}

setTimeout(() => open((session) => {
  persistent = session;
  read(session, () => {
    if (mode !== 'persistent') session.disconnect();
    global.gc && global.gc();
    rss0 = process.memoryUsage().rss;
    next();
  });
}), 300);
