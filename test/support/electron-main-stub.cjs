// Loaded with `node -r` before a bundle of electron/main/main.ts: answers `require('electron')` with a
// recording stand-in, so the real main-process glue runs under Node (Electron cannot launch here).
// Every call on the stand-in is written to stdout as `[electron] <path>`; app.exit really exits;
// app.whenReady never resolves (nothing after "ready" runs), so a run shows what main.ts does at start.
'use strict';
const Module = require('node:module');

function record(path) {
  process.stdout.write(`[electron] ${path}\n`);
}

const overrides = {
  'electron.app.exit': (code) => {
    record('app.exit');
    process.exit(code ?? 0);
  },
  'electron.app.whenReady': () => {
    record('app.whenReady');
    return new Promise(() => undefined);
  },
  'electron.app.requestSingleInstanceLock': () => {
    record('app.requestSingleInstanceLock');
    return true;
  },
  'electron.app.isPackaged': process.env.STUB_PACKAGED === '1',
};

function fake(path) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (typeof prop === 'symbol') return undefined;
      const next = `${path}.${prop}`;
      if (next in overrides) return overrides[next];
      return fake(next);
    },
    apply() {
      record(path.replace(/^electron\./, ''));
      return fake(`${path}()`);
    },
    construct() {
      record(`new ${path.replace(/^electron\./, '')}`);
      return fake(`new ${path}`);
    },
  });
}

const electron = fake('electron');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron;
  return load.call(this, request, parent, isMain);
};
