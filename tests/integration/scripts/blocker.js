// Blocks its event loop in synchronous code for 1.8 s every 4 s, as a
// request handler that parses a huge JSON or hashes a password synchronously
// would: the stall NodeScope must see and measure.
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => {
  process.stdout.write(`block ${Date.now()}\n`);
  const end = Date.now() + 1800;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  process.stdout.write(`unblock ${Date.now()}\n`);
}, 4000);
