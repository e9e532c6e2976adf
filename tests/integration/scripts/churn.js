// Allocates a few MB of short-lived objects every 50 ms and keeps none: a
// healthy GC sawtooth that must never be called a leak.
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => {
  let garbage = [];
  for (let i = 0; i < 20000; i++) garbage.push({ i, s: 'y'.repeat(64) });
  garbage = null;
}, 50);
