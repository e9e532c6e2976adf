// A process with four worker threads busy allocating and timing their work
// with console.time, beside a main thread that does the same: the kind of
// target whose inspector crashed (SIGSEGV in Node's WsHandler) when both
// ends of an inspector session closed at once. See docs/attach.md.
const { Worker, isMainThread, parentPort, threadId } = require('node:worker_threads');

function burn(ms) {
  const end = Date.now() + ms;
  let kept = [];
  while (Date.now() < end) {
    for (let i = 0; i < 200; i++) kept.push({ i, s: 'v' + i, a: new Array(8).fill(i) });
    if (kept.length > 20000) kept = [];
  }
  return kept.length;
}

if (isMainThread) {
  const workers = [];
  for (let i = 0; i < 4; i++) workers.push(new Worker(__filename));
  let n = 0;
  (function tick() {
    const label = `main-${n++ % 4}`;
    console.time(label);
    burn(3);
    setImmediate(() => {
      console.timeEnd(label);
      if (n % 10 === 0) for (const w of workers) w.postMessage(n);
      setTimeout(tick, 20);
    });
  })();
  process.stdout.write(`ready ${process.pid}\n`);
} else {
  let n = 0;
  parentPort.on('message', () => {});
  (function loop() {
    const label = `w${threadId}-${n++ % 3}`;
    console.time(label);
    burn(4);
    setTimeout(() => {
      console.timeEnd(label);
      setImmediate(loop);
    }, 30);
  })();
}
