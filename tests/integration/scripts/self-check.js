// Reports, from inside the process, what a watcher could have left in it:
// every 100 ms a line "state {json}" with its own inspector port setting
// (process.debugPort), whether an inspector is open (inspector.url()), the
// NodeScope probe registry, its active resources and how many SIGUSR1 its
// own handler saw. Options:
//   --own-sigusr1      handle SIGUSR1 itself (replacing Node's handler)
//   --spin-at=MS --spin-ms=MS   busy-spin in synchronous code once
//   --exit-after=MS    stop reporting and let the loop drain at MS
//   --worker           run a worker thread ("beater") that messages every
//                      100 ms; the state counts its messages (workerBeats)
const inspector = require('node:inspector');
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v === undefined ? true : Number(v)];
}));
let usr1 = 0;
let workerBeats = 0;
if (args.worker) {
  const { Worker } = require('node:worker_threads');
  const beater = new Worker(
    "setInterval(() => require('node:worker_threads').parentPort.postMessage(1), 100);",
    { eval: true, name: 'beater' });
  beater.on('message', () => { workerBeats += 1; });
}
if (args['own-sigusr1']) process.on('SIGUSR1', () => { usr1 += 1; });
function state() {
  const registry = globalThis[Symbol.for('nodescope.probes')];
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
  return { t: Date.now(), debugPort: process.debugPort, inspectorOpen: !!inspector.url(),
    probes: registry ? registry.size : 0, resources, usr1, workerBeats };
}
const reporter = setInterval(() => process.stdout.write(`state ${JSON.stringify(state())}\n`), 100);
if (args['spin-at']) {
  setTimeout(() => {
    process.stdout.write(`spinning ${Date.now()}\n`);
    const end = Date.now() + args['spin-ms'];
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    process.stdout.write(`spun ${Date.now()}\n`);
  }, args['spin-at']);
}
if (args['exit-after']) {
  setTimeout(() => {
    clearInterval(reporter);
    process.stdout.write(`done ${Date.now()}\n`);
  }, args['exit-after']);
}
process.stdout.write(`ready ${process.pid}\n`);
