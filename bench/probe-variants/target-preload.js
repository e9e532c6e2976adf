'use strict';
// Preloaded (node -r) into bench/sampling/http-server.js: sets up, inside the
// server, one way of taking readings, chosen by NSX_MODE, so that
// compare.sh can weigh each against an identical server that has none.
//   request  NodeScope's probe (core/probe/probe.js) answering the driver's
//            sample request every 10 ms (how readings were taken before
//            fast sampling streamed)
//   stream   the same probe, asked once to stream: a reading every 10 ms on
//            its own unref'd timer, sent ten to a batch
//   timer    the reading's work (heap statistics, loop utilisation, JSON)
//            on an unref'd 10 ms timer, sent nowhere
//   empty    an empty unref'd 10 ms timer
//   none     nothing (the control)
// NSX_SOCKET is the driver's Unix socket (request and stream).
const fs = require('node:fs');
const mode = process.env.NSX_MODE || 'none';
const socketPath = process.env.NSX_SOCKET;

function later(fn) {
  setTimeout(fn, 300).unref(); // after the server is listening
}

if (mode === 'request' || mode === 'stream') {
  const probeSource = fs.readFileSync(`${__dirname}/../../core/probe/probe.js`, 'utf8');
  // eslint-disable-next-line no-eval
  later(() => (0, eval)(probeSource)(socketPath, 'bench', require));
} else if (mode === 'timer' || mode === 'empty') {
  later(() => {
    const v8 = require('node:v8');
    const { performance } = require('node:perf_hooks');
    let lastElu = performance.eventLoopUtilization();
    globalThis.nodescopeBenchLast = '';
    const work = () => {
      const heap = v8.getHeapStatistics();
      const elu = performance.eventLoopUtilization();
      const utilization = performance.eventLoopUtilization(elu, lastElu).utilization;
      lastElu = elu;
      globalThis.nodescopeBenchLast = JSON.stringify({ t: Date.now(),
        mem: [null, heap.total_heap_size, heap.used_heap_size, heap.external_memory, 0], elu: utilization });
    };
    setInterval(mode === 'timer' ? work : () => {}, 10).unref();
  });
}
