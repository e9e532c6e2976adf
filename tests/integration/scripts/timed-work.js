// Times known work with console.time/timeEnd, as an app would: a 50 ms sleep
// under 'sleep50' (with a timeLog split halfway), and a label containing ": ".
// Prints a line per timeEnd (with its wall time) so a test can count what it
// should see. The sleep is synchronous and never ends early, unlike a timer.
process.stdout.write(`ready ${process.pid}\n`);
const cell = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms) {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) Atomics.wait(cell, 0, 0, left);
}
let seq = 0;
function round() {
  console.time('sleep50');
  console.time('GET /api: users');
  sleep(25);
  console.timeLog('sleep50', 'halfway');
  sleep(25);
  console.timeEnd('sleep50');
  console.timeEnd('GET /api: users');
  process.stdout.write(`timeEnd ${++seq} ${Date.now()}\n`);
  setTimeout(round, 100);
}
round();
