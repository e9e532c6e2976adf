// Works (allocating) for the given milliseconds, then lets the event loop
// drain and exits normally. Prints the wall time at which its work ended.
const workMs = Number(process.argv[2] || 1500);
process.stdout.write(`ready ${process.pid}\n`);
const started = Date.now();
let keep = [];
const timer = setInterval(() => {
  keep.push(new Array(1000).fill(Math.random()));
  if (keep.length > 200) keep = [];
  if (Date.now() - started >= workMs) {
    clearInterval(timer);
    process.stdout.write(`done ${Date.now()}\n`);
  }
}, 10);
