// Retains about 1 MB a second (arrays of numbers, 100 KB every 100 ms, held
// by closures in a growing list), on top of short-lived garbage: a
// JavaScript leak for the detector.
process.stdout.write(`ready ${process.pid}\n`);
const leaked = [];
let seq = 0;
setInterval(() => {
  const chunk = new Array(12800).fill(++seq);
  leaked.push(() => chunk.length);
  let garbage = [];
  for (let i = 0; i < 2000; i++) garbage.push({ i, s: 'x'.repeat(64) });
  garbage = null;
}, 100);
