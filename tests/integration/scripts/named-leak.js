// A leak with a name: retainOrders keeps ~1 MB a second of order records in a
// module-level list, while buildReplies makes short-lived garbage only. On a
// line "check" on stdin it reports what a watcher could have left in it:
// "state {json}" with whether V8's sampling heap profiler still runs (asked
// through its own inspector session), whether an inspector is open, and the
// NodeScope probe registry.
'use strict';
const inspector = require('node:inspector');

const orders = [];
let next = 0;
// Timer callbacks, so each runs in its own frame: V8's sampling heap
// profiler names the frames on the stack, and a small function that the
// optimizer inlines into its caller would be reported as that caller.
function retainOrders() {
  for (let i = 0; i < 10; i++) orders.push({ id: next, lines: new Array(1280).fill(next++) }); // ~10 KB each
}

function buildReplies() {
  let total = 0;
  for (let n = 0; n < 10; n++) {
    const parts = [];
    for (let i = 0; i < 100; i++) parts.push({ i, text: 'reply ' + n + ' ' + i });
    total += parts.length;
  }
  return total;
}

setInterval(retainOrders, 100);
setInterval(buildReplies, 100);

process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  if (!text.includes('check')) return;
  const session = new inspector.Session();
  session.connect();
  session.post('HeapProfiler.getSamplingProfile', (error) => {
    session.disconnect();
    const registry = globalThis[Symbol.for('nodescope.probes')];
    const state = { sampling: !error, inspectorOpen: !!inspector.url(), probes: registry ? registry.size : 0 };
    process.stdout.write(`state ${JSON.stringify(state)}\n`);
  });
});
process.stdout.write(`ready ${process.pid}\n`);
