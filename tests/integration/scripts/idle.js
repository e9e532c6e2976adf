// Stays alive doing almost nothing; prints "ready" once its handlers are set.
setInterval(() => {}, 1000);
process.stdout.write(`ready ${process.pid}\n`);
