// Holds a stable heap and reports its own heapUsed every 50 ms, so a test can
// compare what NodeScope samples with what the process sees itself.
const retained = [];
for (let i = 0; i < 2000; i++) retained.push({ i, text: 'x'.repeat(100) });
globalThis.retained = retained;
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => {
  process.stdout.write(`heapUsed ${Date.now()} ${process.memoryUsage().heapUsed}\n`);
}, 50);
