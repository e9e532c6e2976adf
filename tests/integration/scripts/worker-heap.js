// Worker threads beside a main thread whose heap stays flat:
// - "grower" keeps what it allocates: its heap grows ~10 MB a second up to
//   ~150 MB, then holds; it times each step with console.time('grow');
// - "brief" idles until the line "end-brief" on stdin, then exits.
// Prints "ready PID", "worker NAME THREADID" for each, and "exited brief".
const { Worker, isMainThread, parentPort, threadId, workerData } = require('node:worker_threads');

if (isMainThread) {
  const workers = {};
  for (const name of ['grower', 'brief']) {
    const worker = new Worker(__filename, { name, workerData: name });
    workers[name] = worker;
    worker.on('online', () => process.stdout.write(`worker ${name} ${worker.threadId}\n`));
    worker.on('exit', () => process.stdout.write(`exited ${name}\n`));
  }
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    if (buffered.includes('end-brief')) workers.brief.postMessage('end');
  });
  setInterval(() => {}, 1000); // the main thread only waits
  Promise.all(Object.values(workers).map((w) => new Promise((r) => w.once('online', r)))).then(() =>
    process.stdout.write(`ready ${process.pid}\n`));
} else if (workerData === 'grower') {
  const kept = [];
  setInterval(() => {
    if (kept.length >= 150) return;
    console.time('grow');
    const chunk = [];
    for (let i = 0; i < 12000; i++) chunk.push({ i, text: `item ${i} of thread ${threadId}` });
    kept.push(chunk);
    console.timeEnd('grow');
  }, 100);
} else {
  parentPort.on('message', (message) => {
    if (message === 'end') process.exit(0);
  });
}
