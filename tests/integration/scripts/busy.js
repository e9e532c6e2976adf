// Burns CPU in short slices forever so CPU and heap figures move.
process.stdout.write(`ready ${process.pid}\n`);
let junk = [];
setInterval(() => {
  const end = Date.now() + 20;
  while (Date.now() < end) junk.push({ v: Math.random() });
  if (junk.length > 100000) junk = [];
}, 40);
