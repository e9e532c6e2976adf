// Spends its time in functions with names a stack or a profile must show.
//   node spinner.js slices          spinSlice() runs 300 ms at a time; the event loop turns between
//                                   slices (setImmediate), so a probe can answer.
//   node spinner.js chunks          spinChunks() does the same through many short calls of
//                                   burnChunk(): V8 on Node 22+ books a long loop it replaced on
//                                   the stack (OSR) to the caller in CPU profiles; short calls it
//                                   books to the function (or, inlined, to spinChunks).
//   node spinner.js stall GO STOP   turns its loop idly until the file GO exists, then spins in
//                                   spinUntilReleased() without turning its loop until STOP exists.
//   node spinner.js forever STOP    spins in spinUntilReleased() at once, until STOP exists.
//   node spinner.js quiet           runs no JavaScript at all until it is killed (a timer an hour away).
const fs = require('fs');
const [mode, first, second] = process.argv.slice(2);

function spinSlice() {
  const end = Date.now() + 300;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  setImmediate(spinSlice);
}

function burnChunk(x) {
  for (let i = 0; i < 20000; i++) x += Math.sqrt(x + 1);
  return x;
}

// Resumed by the microtask queue, not called from Node's processImmediate(): V8 on Node 24
// inlined a callback that setImmediate() ran every time into processImmediate, and a profile
// started after that optimisation booked all the spinning to "(processImmediate)".
async function spinChunks() {
  for (;;) {
    const end = Date.now() + 300;
    let x = 0;
    while (Date.now() < end) x = burnChunk(x);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function spinUntilReleased(stopFile) {
  process.stdout.write(`spinning ${Date.now()}\n`);
  let x = 0;
  // A stat every ~100k iterations: the loop stays synchronous, yet the test can end it.
  for (let i = 0; ; i++) {
    x += Math.sqrt(x + 1);
    if (i % 100000 === 0 && fs.existsSync(stopFile)) break;
  }
  process.stdout.write(`released ${Date.now()}\n`);
}

if (mode === 'slices') {
  process.stdout.write(`ready ${process.pid}\n`);
  setImmediate(spinSlice);
} else if (mode === 'chunks') {
  process.stdout.write(`ready ${process.pid}\n`);
  setImmediate(spinChunks); // called once; it resumes itself after each await
} else if (mode === 'stall') {
  process.stdout.write(`ready ${process.pid}\n`);
  const waitForGo = setInterval(() => {
    if (!fs.existsSync(first)) return;
    clearInterval(waitForGo);
    spinUntilReleased(second);
    setInterval(() => {}, 1000); // stays alive, idle, after the stall
  }, 20);
} else if (mode === 'quiet') {
  setInterval(() => {}, 3600 * 1000);
  process.stdout.write(`ready ${process.pid}\n`);
} else {
  process.stdout.write(`ready ${process.pid}\n`);
  // The handler for SIGUSR1 is installed a moment after start; leave Node that moment.
  setTimeout(() => {
    spinUntilReleased(first);
    setInterval(() => {}, 1000);
  }, 500);
}
