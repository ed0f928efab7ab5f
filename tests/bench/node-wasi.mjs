// node-wasi.mjs: runs a WASI preview1 module under node's built-in WASI, for the benchmark runner.
// Usage: node --no-warnings node-wasi.mjs [--mount HOST:GUEST]... MODULE [ARGS...]
// Exit status: the module's, or 134 after a trap (its message on stderr, as `node-wasi: trap: ...`).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, exit, stderr } from 'node:process';

const preopens = {};
let i = 2;
for (; i < argv.length && argv[i] === '--mount'; i += 2) {
  const spec = argv[i + 1] ?? '';
  const colon = spec.lastIndexOf(':');
  if (colon <= 0) {
    stderr.write(`node-wasi: --mount needs HOST:GUEST, got '${spec}'\n`);
    exit(64);
  }
  preopens[spec.slice(colon + 1)] = spec.slice(0, colon);
}
if (i >= argv.length) {
  stderr.write('usage: node-wasi.mjs [--mount HOST:GUEST]... MODULE [ARGS...]\n');
  exit(64);
}
const path = argv[i];
const wasi = new WASI({ version: 'preview1', args: argv.slice(i), env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
try {
  exit(wasi.start(instance) ?? 0);
} catch (e) {
  // A trap exits as wasi-tofu's does (134), so the differential fuzzer can compare outcomes.
  if (!(e instanceof WebAssembly.RuntimeError)) throw e;
  stderr.write(`node-wasi: trap: ${e.message}\n`, () => exit(134));
}
