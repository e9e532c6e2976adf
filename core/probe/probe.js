// NodeScope's probe: the only code NodeScope runs inside a watched process.
//
// Installed by one Runtime.evaluate through the inspector (which NodeScope
// then closes, so the process stops paying for an open inspector), it
// connects back to NodeScope over a private Unix socket and answers on it:
// a sample (process.memoryUsage(), event-loop utilisation and delay, garbage
// collections, active resources) when asked, or a stream of them while
// NodeScope samples fast, CDP messages relayed to an in-process inspector
// session while a feature that needs one is on, and
// the heaps of the process's worker threads while it has any.
//
// Promises to the process it lives in:
// - it never keeps the process alive: its socket is unref'd and it arms no
//   timer but, while NodeScope samples faster than ~50 ms, one unref'd
//   interval that takes the readings; the loop-delay histogram's timer is
//   Node's and unref'd;
// - it never changes the process's behaviour: every callback is guarded, no
//   exception escapes into the app, no global is touched but one registry
//   entry (Symbol.for('nodescope.probes')) that is removed with it;
// - it removes itself, everything it installed, when the socket closes for
//   any reason: NodeScope detached, exited or was killed -9.
//
// A function expression (no trailing semicolon), called as
// (socketPath, token, requireFn): requireFn is the command-line API's
// `require` (Node < 20.16 has no process.getBuiltinModule).
(function nodescopeProbe(socketPath, token, requireFn) {
  'use strict';
  const load = (name) =>
    typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(name) : requireFn(name);
  const net = load('net');
  const perf = load('perf_hooks');
  const v8 = load('v8');
  let inspector = null;
  try {
    inspector = load('inspector');
  } catch (e) {
    inspector = null; // a Node built without the inspector: no relay, samples still work
  }

  const registryKey = Symbol.for('nodescope.probes');
  const registry = globalThis[registryKey] || new Map();
  globalThis[registryKey] = registry;

  const features = {
    eventLoopDelay: typeof perf.monitorEventLoopDelay === 'function',
    eventLoopUtilization:
      !!perf.performance && typeof perf.performance.eventLoopUtilization === 'function',
    // Collections come from a PerformanceObserver on 'gc' that only adds
    // them up. Not v8.GCProfiler: one restarted per reading keeps ~100 KB of
    // native memory per collection it saw until a full collection frees its
    // wrapper, which a heap-stable app may not run for hours (a churning
    // script's rss rose 79 -> 221 MB in a minute). The observer's entries are
    // ordinary garbage instead: in the same script ~30 KB/s reached the old
    // generation and went at its next full collection; rss stayed flat.
    gc:
      typeof perf.PerformanceObserver === 'function' &&
      (perf.PerformanceObserver.supportedEntryTypes || []).includes('gc'),
    activeResources: typeof process.getActiveResourcesInfo === 'function',
    inspectorSession: !!inspector && typeof inspector.Session === 'function',
  };
  // Worker heaps come through an in-process session's NodeWorker domain.
  features.workers = features.inspectorSession;

  const delayResolutionMs = 10;
  let stopped = false;
  let histogram = null;
  let gcObserver = null;
  // Collections since the last reading, by kind.
  let gcTally = null;
  // In-process inspector sessions by name: 'main' carries console capture
  // and forced collections (its events go to NodeScope), others (a CPU
  // profile) live apart so that ending one feature never ends another.
  const sessions = new Map();
  let lastElu = null;
  // Collection kinds (V8's GCType, as perf_hooks reports them) to the slots
  // NodeScope reads: minor, major, incremental marking, weak callbacks.
  const gcKinds = {
    [perf.constants.NODE_PERFORMANCE_GC_MINOR]: 0, // Scavenge
    2: 0, // MinorMarkSweep (V8's young-generation mark-sweep, off by default), no constant
    [perf.constants.NODE_PERFORMANCE_GC_MAJOR]: 1,
    [perf.constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 2,
    [perf.constants.NODE_PERFORMANCE_GC_WEAKCB]: 3,
  };
  // Counting active resources walks every handle: at most once a second.
  let resourcesAt = 0;
  let resources = null;
  // The inspector the probe opened on request, and the port setting to put back.
  let openedInspector = false;
  let debugPortBefore = 0;
  // The heap snapshot being streamed, if any.
  let snapshot = null;
  // The session attached to the worker threads, while the process has any:
  // { session, workers: Map(sessionId -> worker), nextId, console }.
  let workerWatch = null;

  const socket = net.createConnection(socketPath);
  socket.unref();
  socket.setEncoding('utf8');

  function send(message) {
    if (stopped) return;
    try {
      socket.write(JSON.stringify(message) + '\n');
    } catch (e) {
      stop();
    }
  }

  function enableRuntimeFigures() {
    if (features.eventLoopDelay) {
      try {
        histogram = perf.monitorEventLoopDelay({ resolution: delayResolutionMs });
        histogram.enable();
      } catch (e) {
        histogram = null;
        features.eventLoopDelay = false;
      }
    }
    if (features.eventLoopUtilization) lastElu = perf.performance.eventLoopUtilization();
    if (features.gc) {
      try {
        gcTally = newGcTally();
        gcObserver = new perf.PerformanceObserver(tallyCollections);
        gcObserver.observe({ entryTypes: ['gc'] });
      } catch (e) {
        gcObserver = null;
        gcTally = null;
        features.gc = false;
      }
    }
  }

  function newGcTally() {
    return { count: [0, 0, 0, 0], pauseMs: [0, 0, 0, 0], major: [] };
  }

  // Runs in the app's process after its collections: adds up, keeps no entry.
  function tallyCollections(list) {
    try {
      if (stopped || !gcTally) return;
      const timeOrigin = perf.performance.timeOrigin;
      for (const entry of list.getEntries()) {
        const kind = entry.detail ? entry.detail.kind : entry.kind; // .kind before Node 16
        const slot = gcKinds[kind];
        if (slot === undefined) continue;
        gcTally.count[slot] += 1;
        gcTally.pauseMs[slot] += entry.duration;
        if (slot === 1 && gcTally.major.length < 32)
          gcTally.major.push([Math.round(timeOrigin + entry.startTime), entry.duration]);
      }
    } catch (e) {
      // never into the app
    }
  }

  function countResources(now) {
    if (!features.activeResources) return null;
    if (resources && now - resourcesAt < 1000) return resources;
    const byType = {};
    let total = 0;
    for (const type of process.getActiveResourcesInfo()) {
      byType[type] = (byType[type] || 0) + 1;
      total += 1;
    }
    // Our own socket is one of them; the app's figure is what it has itself.
    if (byType.PipeWrap > 0) {
      byType.PipeWrap -= 1;
      total -= 1;
      if (byType.PipeWrap === 0) delete byType.PipeWrap;
    }
    resources = { total, byType };
    resourcesAt = now;
    return resources;
  }

  // What a reading costs a loaded process decides how often each figure is
  // read (measured in a server taking ~10 000 requests/s on one core):
  // v8.getHeapStatistics() ~11 µs, while process.memoryUsage() ~170 µs,
  // almost all of it rss (the kernel sums every thread's times for
  // /proc/self/stat). rss comes from NodeScope's own /proc reading, so every
  // sample reads the heap alone; arrayBuffers, which only memoryUsage()
  // gives, is read at most every `slowFiguresMs` and repeated in between. The
  // loop-delay percentiles (~17 µs, and meaningless over one 10 ms tick) are
  // read as often and cover the whole span since their last reading; rows in
  // between have none.
  const slowFiguresMs = 200;
  let slowReadAt = 0;
  let arrayBuffers = null;

  function reading(now) {
    const slow = now - slowReadAt >= slowFiguresMs;
    const heap = v8.getHeapStatistics();
    if (slow || arrayBuffers === null) arrayBuffers = process.memoryUsage().arrayBuffers;
    const figures = {
      t: now,
      mem: [null, heap.total_heap_size, heap.used_heap_size, heap.external_memory, arrayBuffers],
    };
    if (lastElu) {
      const elu = perf.performance.eventLoopUtilization();
      figures.elu = perf.performance.eventLoopUtilization(elu, lastElu).utilization;
      lastElu = elu;
    }
    if (gcTally) {
      figures.gc = gcTally;
      if (!figures.gc.major.length) delete figures.gc.major;
      gcTally = newGcTally();
    }
    if (slow) {
      slowReadAt = now;
      if (histogram) {
        // The histogram records the time between its timer's ticks (ns), so
        // an idle loop reads as the resolution: the delay is what lies beyond.
        if (histogram.max > 0) {
          const delay = (ns) => Math.max(0, ns / 1e6 - delayResolutionMs);
          figures.delay = [delay(histogram.percentile(50)), delay(histogram.percentile(99)), delay(histogram.max)];
        }
        histogram.reset();
      }
    }
    const res = countResources(now);
    if (res) figures.res = res;
    return figures;
  }

  function sample(id) {
    const reply = reading(Date.now());
    reply.id = id;
    send(reply);
  }

  // Fast sampling (NodeScope asks for it below ~50 ms). A request and its
  // reply per reading interrupt a busy process a hundred times a second,
  // and it pays for each interruption far more than for the reading itself
  // (docs/performance.md, "Why fast sampling streams"): here the readings
  // are taken on one unref'd timer of the probe's own and sent a batch at a
  // time, one write every `batchMs`.
  let stream = null; // { timer, batch, sentAt, batchMs }

  function takeStreamed() {
    try {
      if (stopped || !stream) return;
      const now = Date.now();
      stream.batch.push(reading(now));
      if (now - stream.sentAt >= stream.batchMs) flushStream(now);
    } catch (e) {
      // never into the app
    }
  }

  function flushStream(now) {
    if (stream.batch.length) send({ readings: stream.batch });
    stream.batch = [];
    stream.sentAt = now;
  }

  // The batch in hand goes out first, so a stop's reply follows every reading.
  function endStream() {
    if (!stream) return;
    clearInterval(stream.timer);
    flushStream(Date.now());
    stream = null;
  }

  function streamReadings(message) {
    endStream();
    const everyMs = Number(message.everyMs);
    if (everyMs >= 1) {
      stream = { timer: null, batch: [], sentAt: Date.now(), batchMs: Math.max(Number(message.batchMs) || 0, everyMs) };
      stream.timer = setInterval(takeStreamed, everyMs);
      stream.timer.unref(); // never keeps the process alive
    }
    send({ id: message.id, streaming: stream !== null });
  }

  // CDP relayed to an in-process session: no port, no "Debugger listening"
  // line. Console events are filtered here to what the timer parser reads.
  // How Node words a timer's duration: "12.3ms", "1.5 s", "1:02.345 (m:ss.mmm)".
  const timerText = /: (\d[\d.]*\s?(ms|s|min|h)|\d+:\d+(:\d+)?\.\d+( \([^)]*\))?)$/;

  function relay(message) {
    if (!features.inspectorSession) {
      send({ id: message.id, error: 'this Node has no inspector module' });
      return;
    }
    const name = typeof message.session === 'string' ? message.session : 'main';
    let session = sessions.get(name);
    if (!session) {
      session = new inspector.Session();
      session.connect();
      sessions.set(name, session);
      if (name === 'main') session.on('inspectorNotification', forwardEvent);
    }
    try {
      session.post(message.method, message.params || {}, (error, result) => {
        if (error) send({ id: message.id, error: String(error.message || error) });
        else send({ id: message.id, result: result || {} });
      });
    } catch (e) {
      send({ id: message.id, error: String(e.message || e) });
    }
  }

  function forwardEvent(event, worker) {
    try {
      if (event.method === 'Runtime.consoleAPICalled') {
        const type = event.params && event.params.type;
        if (type !== 'timeEnd' && type !== 'timeLog' && type !== 'log' && type !== 'warning') return;
        const first = event.params.args && event.params.args[0];
        const text = first && typeof first.value === 'string' ? first.value : '';
        // A console.timeLog is V8's "label: 12.3ms" plus Node's "%s: %s" echo.
        if (type === 'log' && text !== '%s: %s' && !timerText.test(text)) return;
        if (type === 'warning' && !text.startsWith('Timer ')) return;
      }
      if (worker) send({ event: event.method, params: event.params, worker: [worker.threadId, worker.title] });
      else send({ event: event.method, params: event.params });
    } catch (e) {
      // never into the app's console call
    }
  }

  function closeSession(name) {
    const session = sessions.get(name);
    if (!session) return;
    sessions.delete(name);
    try {
      session.disconnect();
    } catch (e) {
      // already gone
    }
  }

  // Worker threads. A session with NodeWorker enabled is attached to every
  // worker thread of the process (the main thread's direct ones), and each
  // worker answers Runtime.getHeapUsage by interrupt, busy or not. While
  // that session is open, Node routes console calls of the main thread and
  // of the workers through the inspector (a cost to a process that logs a
  // lot), so it is opened only when NodeScope asks to look (it saw a new
  // thread in /proc) and closed as soon as no worker is left.
  //
  // Why not a short session per reading: attaching to a worker and
  // detaching again leaks ~8 KB of native memory in the process each time
  // (Node 18 to 24), which a reading a second would turn into a leak.
  function workerOf(title, workerId) {
    // "[worker 2] name": the thread id is in the title (workerId is an
    // inspector counter before Node 24, not the thread id).
    const match = /^\[worker (\d+)\]\s*(.*)$/.exec(String(title || ''));
    return match
      ? { threadId: Number(match[1]), title: match[2] }
      : { threadId: Number(workerId) || 0, title: String(title || '') };
  }

  function onWorkerEvent(event) {
    try {
      const watch = workerWatch;
      if (!watch) return;
      const params = event.params || {};
      if (event.method === 'NodeWorker.attachedToWorker') {
        const info = params.workerInfo || {};
        const worker = workerOf(info.title, info.workerId);
        worker.used = null;
        worker.total = null;
        worker.t = 0;
        worker.asked = false;
        watch.workers.set(params.sessionId, worker);
        if (watch.console) captureWorkerConsole(watch, params.sessionId, true);
      } else if (event.method === 'NodeWorker.detachedFromWorker') {
        watch.workers.delete(params.sessionId);
      } else if (event.method === 'NodeWorker.receivedMessageFromWorker') {
        const worker = watch.workers.get(params.sessionId);
        if (!worker) return;
        const message = JSON.parse(params.message);
        if (message.method === 'Runtime.consoleAPICalled') {
          forwardEvent(message, worker);
        } else if (message.id === worker.heapId) {
          worker.asked = false;
          const usage = message.result || {};
          if (typeof usage.usedSize === 'number') {
            worker.used = usage.usedSize;
            worker.total = usage.totalSize;
            worker.t = Date.now();
          }
        }
      }
    } catch (e) {
      // never into the app
    }
  }

  // The worker's answer can arrive while this post is still on the stack:
  // whatever waits for it is set up before.
  function postToWorker(watch, sessionId, method, params, id) {
    watch.session.post('NodeWorker.sendMessageToWorker', {
      sessionId,
      message: JSON.stringify({ id: id === undefined ? watch.nextId++ : id, method, params: params || {} }),
    }, () => {});
  }

  // The worker's console timers, tagged with the worker, like the main
  // thread's: Runtime enabled in the worker (its console calls are then
  // serialised to us too), without stack traces.
  function captureWorkerConsole(watch, sessionId, on) {
    try {
      if (on) {
        postToWorker(watch, sessionId, 'Runtime.enable');
        postToWorker(watch, sessionId, 'Runtime.setMaxCallStackSizeToCapture', { size: 0 });
      } else {
        postToWorker(watch, sessionId, 'Runtime.disable');
      }
    } catch (e) {
      // the worker is going
    }
  }

  function closeWorkerWatch() {
    const watch = workerWatch;
    workerWatch = null;
    if (!watch) return;
    try {
      watch.session.disconnect(); // detaches from every worker
    } catch (e) {
      // already gone
    }
  }

  // One reading: the workers' latest heap figures (each answered since the
  // last reading; a worker that has not answered yet comes without), then
  // asks each for fresh ones. Never waits for a worker: a thread blocked in
  // Atomics.wait would hold the reply.
  function readWorkers(message) {
    if (!features.workers) {
      send({ id: message.id, error: 'this Node has no inspector module' });
      return;
    }
    if (message.close === true) {
      closeWorkerWatch();
      send({ id: message.id, watching: false, workers: [] });
      return;
    }
    const wantConsole = message.console === true;
    if (!workerWatch) {
      if (message.look !== true) {
        send({ id: message.id, watching: false, workers: [] });
        return;
      }
      const session = new inspector.Session();
      session.connect();
      workerWatch = { session, workers: new Map(), nextId: 1, console: wantConsole };
      session.on('inspectorNotification', onWorkerEvent);
      // Every worker already running is announced before the reply.
      session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, (error) => {
        if (error) {
          closeWorkerWatch();
          send({ id: message.id, error: String(error.message || error) });
          return;
        }
        answerWorkers(message.id);
      });
      return;
    }
    if (workerWatch.console !== wantConsole) {
      workerWatch.console = wantConsole;
      for (const sessionId of workerWatch.workers.keys()) captureWorkerConsole(workerWatch, sessionId, wantConsole);
    }
    answerWorkers(message.id);
  }

  function answerWorkers(id) {
    const watch = workerWatch;
    const list = [];
    for (const [sessionId, worker] of watch.workers) {
      list.push([worker.threadId, worker.title, worker.used, worker.total, worker.t]);
      if (!worker.asked) {
        try {
          worker.heapId = watch.nextId++;
          worker.asked = true;
          postToWorker(watch, sessionId, 'Runtime.getHeapUsage', {}, worker.heapId);
        } catch (e) {
          // the worker is going: its detach follows
        }
      }
    }
    // No worker left: the session goes, and with it its cost.
    if (watch.workers.size === 0) closeWorkerWatch();
    send({ id, watching: workerWatch !== null, workers: list });
  }

  // An inspector for NodeScope to connect to (a stack needs a session on
  // another thread: Debugger.pause on our own thread would pause us). A
  // request that reaches a loop that was blocked past `until` is refused: the
  // NodeScope that asked has gone another way and would never close it.
  function openInspector(id, until) {
    try {
      if (!inspector) {
        send({ id, error: 'this Node has no inspector module' });
        return;
      }
      if (typeof until === 'number' && Date.now() > until) {
        send({ id, error: 'asked too long ago' });
        return;
      }
      if (inspector.url()) {
        send({ id, url: inspector.url(), openedByProbe: false });
        return;
      }
      debugPortBefore = process.debugPort;
      inspector.open(0, '127.0.0.1');
      openedInspector = true;
      send({ id, url: inspector.url(), openedByProbe: true });
    } catch (e) {
      send({ id, error: String(e.message || e) });
    }
  }

  function closeInspector(id) {
    try {
      if (inspector && inspector.url()) inspector.close();
      // inspector.open(0) left the random port as the process's own
      // setting: a later SIGUSR1 would open there. Put the original back.
      if (openedInspector) process.debugPort = debugPortBefore;
      openedInspector = false;
      if (id !== undefined) send({ id, closed: true });
    } catch (e) {
      if (id !== undefined) send({ id, error: String(e.message || e) });
    }
  }

  // A heap snapshot, streamed: v8.getHeapSnapshot() builds and serialises it
  // with the main thread frozen, then hands it over as a stream that is sent
  // a chunk at a time, paused whenever the socket's buffer is full (NodeScope
  // writes each chunk to disk before it reads the next). Not through the
  // inspector session: there every chunk would be parsed and re-serialised
  // in JavaScript inside the freeze, which froze a 75 MB heap for ~40 s and
  // grew the process by ten times its heap.
  function heapSnapshot(id) {
    if (snapshot) {
      send({ id, error: 'a heap snapshot is already under way' });
      return;
    }
    try {
      snapshot = v8.getHeapSnapshot();
    } catch (e) {
      send({ id, error: String(e.message || e) });
      return;
    }
    const stream = snapshot;
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      if (stopped) return;
      let flushed = true;
      try {
        flushed = socket.write(JSON.stringify({ event: 'NodeScope.heapSnapshotChunk', params: { chunk } }) + '\n');
      } catch (e) {
        stop();
        return;
      }
      if (!flushed) {
        stream.pause();
        socket.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => {
      snapshot = null;
      send({ id, done: true });
    });
    stream.on('error', (e) => {
      snapshot = null;
      send({ id, error: String((e && e.message) || e) });
    });
  }

  function handle(message) {
    switch (message.op) {
      case 'sample':
        sample(message.id);
        break;
      case 'stream':
        streamReadings(message);
        break;
      case 'heapSpaces':
        // Each V8 heap space's size and use: new, old, code, large objects...
        send({ id: message.id, spaces: v8.getHeapSpaceStatistics() });
        break;
      case 'cdp':
        relay(message);
        break;
      case 'heapSnapshot':
        heapSnapshot(message.id);
        break;
      case 'workers':
        readWorkers(message);
        break;
      case 'closeSession':
        closeSession(typeof message.session === 'string' ? message.session : 'main');
        send({ id: message.id, closed: true });
        break;
      case 'openInspector':
        openInspector(message.id, message.until);
        break;
      case 'closeInspector':
        closeInspector(message.id);
        break;
      case 'stop':
        stop();
        break;
      default:
        send({ id: message.id, error: 'unknown op' });
    }
  }

  let buffered = '';
  socket.on('data', (chunk) => {
    try {
      buffered += chunk;
      if (buffered.length > 1 << 20) return stop(); // NodeScope never sends that much
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line) handle(JSON.parse(line));
      }
    } catch (e) {
      stop();
    }
  });
  socket.on('connect', () => {
    try {
      enableRuntimeFigures();
      let heapLimit = 0;
      try {
        heapLimit = v8.getHeapStatistics().heap_size_limit;
      } catch (e) {
        heapLimit = 0;
      }
      send({ hello: 1, token, pid: process.pid, node: process.version, heapLimit, features });
    } catch (e) {
      stop();
    }
  });
  socket.on('error', () => stop());
  socket.on('close', () => stop());

  function stop() {
    if (stopped) return;
    stopped = true;
    if (stream) clearInterval(stream.timer);
    stream = null;
    try {
      if (histogram) histogram.disable();
    } catch (e) {}
    try {
      if (gcObserver) gcObserver.disconnect();
    } catch (e) {}
    for (const name of [...sessions.keys()]) closeSession(name);
    closeWorkerWatch();
    try {
      if (snapshot) snapshot.destroy();
    } catch (e) {}
    snapshot = null;
    if (openedInspector) closeInspector();
    try {
      socket.destroy();
    } catch (e) {}
    registry.delete(token);
    if (registry.size === 0) delete globalThis[registryKey];
    histogram = null;
    gcObserver = null;
    gcTally = null;
  }

  registry.set(token, stop);
  return { installed: true, pid: process.pid, version: process.version };
})
