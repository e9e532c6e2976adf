'use strict';
// NodeScope's side of the probe's socket, for compare.sh: listens on PATH,
// and once the probe has said hello either asks for a sample every 10 ms
// (request) or asks it once to stream (stream), reading whatever comes.
//   node driver.js PATH request|stream
// Prints "readings N" when ended with SIGTERM.
const net = require('node:net');
const fs = require('node:fs');
const [socketPath, mode] = process.argv.slice(2);
fs.rmSync(socketPath, { force: true });
let readings = 0;
let nextId = 1;
const server = net.createServer((socket) => {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (message.hello) {
        if (mode === 'stream') socket.write(JSON.stringify({ op: 'stream', id: nextId++, everyMs: 10, batchMs: 100 }) + '\n');
        else setInterval(() => socket.write(JSON.stringify({ op: 'sample', id: nextId++ }) + '\n'), 10);
      } else if (message.readings) {
        readings += message.readings.length;
      } else if (message.mem) {
        readings += 1;
      }
    }
  });
});
server.listen(socketPath);
process.on('SIGTERM', () => {
  process.stdout.write(`readings ${readings}\n`);
  process.exit(0);
});
