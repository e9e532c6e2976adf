// Opens a loopback connection every 100 ms and never closes it: the active
// resources (two TCP handles a connection) rise, a handle leak's signature.
const net = require('node:net');
const kept = [];
const server = net.createServer((socket) => kept.push(socket));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  setInterval(() => kept.push(net.connect(port, '127.0.0.1')), 100);
  process.stdout.write(`ready ${process.pid}\n`);
});
