// A Node process whose "existing inspector" misbehaves: it serves the port
// its inspector would use (9229, or argv[3]) itself, the way an app's own
// server on that port, or a broken inspector, looks to a debugger.
//   garbage       /json/list answers with something that is not JSON
//   hang          connections are accepted and never answered
//   drop          connections are closed at once
//   huge-list     /json/list streams ~500 MB
//   huge-message  a proper /json/list and WebSocket handshake, then one
//                 ~200 MB text message
// Prints "ready PID PORT" once listening.
const net = require('node:net');
const crypto = require('node:crypto');

const mode = process.argv[2] || 'garbage';
const port = Number(process.argv[3] || 9229);
const sockets = new Set();

function streamBytes(socket, total, chunk) {
    let sent = 0;
    const pump = () => {
        while (sent < total) {
            sent += chunk.length;
            if (!socket.write(chunk))
                return socket.once('drain', pump);
        }
        socket.end();
    };
    pump();
}

function huge(socket, request) {
    if (request.startsWith('GET /json')) {
        const body = JSON.stringify([{ type: 'node', webSocketDebuggerUrl: `ws://127.0.0.1:${port}/bad` }]);
        socket.end(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        return;
    }
    const key = /Sec-WebSocket-Key: *(\S+)/i.exec(request);
    if (!key)
        return socket.destroy();
    const accept = crypto.createHash('sha1').update(key[1] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
        + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
    // One unmasked text frame with a 64-bit length, then its payload.
    const size = 200 * 1024 * 1024;
    const header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(size), 2);
    socket.write(header);
    streamBytes(socket, size, Buffer.alloc(1024 * 1024, 0x61));
}

const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (mode === 'drop')
        return socket.destroy();
    if (mode === 'hang')
        return;
    let request = '';
    socket.on('data', (data) => {
        if (request.includes('\r\n\r\n'))
            return;
        request += data.toString('latin1');
        if (!request.includes('\r\n\r\n'))
            return;
        if (mode === 'garbage')
            socket.end('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n\x1b[2J<html>not an inspector');
        else if (mode === 'huge-list') {
            socket.write('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[');
            streamBytes(socket, 500 * 1024 * 1024, Buffer.alloc(1024 * 1024, 0x20));
        } else if (mode === 'huge-message')
            huge(socket, request);
    });
});
server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`ready ${process.pid} ${server.address().port}\n`);
});
setInterval(() => {}, 1000);
