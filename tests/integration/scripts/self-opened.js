// Opens its own inspector on a random port, as an app calling
// inspector.open() does (or one left behind by a debugger that died): no
// --inspect flag on the command line tells where it is.
require('node:inspector').open(0, '127.0.0.1');
setInterval(() => {}, 1000);
process.stdout.write(`ready ${process.pid}\n`);
