// journal_tool.mjs: node helpers for the record tests: an independent trace of a module's WASI
// calls under node's own WASI, and views of a journal.
//
//   node journal_tool.mjs trace OUT [--mount HOST:GUEST]... [--env NAME=VALUE]... MODULE ARGS...
//       runs MODULE with node:wasi, every wasi_snapshot_preview1 import wrapped to log its
//       name; writes the names, one per line, to OUT (also after a trap or proc_exit).
//   node journal_tool.mjs calls JOURNAL      the journal's call names, folded and cycle lines
//                                            expanded (their seqs checked)
//   node journal_tool.mjs strip JOURNAL      the journal without its time fields
import { readFileSync, writeFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { argv, exit, stderr, stdout } from 'node:process';

const TIME_FIELDS = ['t', 'start', 'duration_ns'];

// The complete lines of a journal (a last line cut mid-way, after a kill, is left out).
function lines(path) {
  const complete = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  return complete.filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

// A call line stands for its call `count` times; a cycle line for its calls in turn, `count` times
// over (docs/journal.md, "Folding"). The seqs must follow on from line to line.
function calls(path) {
  const out = [];
  for (const o of lines(path)) {
    if (!('call' in o) && !('cycle' in o)) continue;
    const round = 'cycle' in o ? o.cycle.map((c) => c.call) : [o.call];
    if (o.seq !== out.length + 1) throw new Error(`${path}: seq ${o.seq} after ${out.length} calls`);
    for (let k = 0; k < (o.count ?? 1); k++) out.push(...round);
  }
  stdout.write(out.map((c) => c + '\n').join(''));
}

function strip(path) {
  for (const o of lines(path)) {
    for (const f of TIME_FIELDS) delete o[f];
    stdout.write(JSON.stringify(o) + '\n');
  }
}

async function trace(rest) {
  const out = rest[0];
  const preopens = {};
  const env = {};
  let i = 1;
  for (; i < rest.length && rest[i].startsWith('--'); i += 2) {
    const v = rest[i + 1];
    if (rest[i] === '--mount') {
      const spec = v.replace(/:r[ow]$/, ''); // node's preopens are read-write only
      const c = spec.lastIndexOf(':');
      preopens[spec.slice(c + 1)] = spec.slice(0, c);
    } else if (rest[i] === '--env') {
      const e = v.indexOf('=');
      env[v.slice(0, e)] = v.slice(e + 1);
    }
  }
  const log = [];
  const wasi = new WASI({ version: 'preview1', args: rest.slice(i), env, preopens, returnOnExit: true });
  const imports = wasi.getImportObject();
  const table = imports.wasi_snapshot_preview1;
  for (const name of Object.keys(table)) {
    const f = table[name];
    table[name] = (...a) => {
      log.push(name);
      return f(...a);
    };
  }
  let code = 0;
  try {
    const mod = await WebAssembly.compile(readFileSync(rest[i]));
    const inst = await WebAssembly.instantiate(mod, imports);
    code = wasi.start(inst) ?? 0;
  } catch (e) {
    stderr.write(`trace: ${e.message}\n`);
    code = 134;
  }
  writeFileSync(out, log.map((c) => c + '\n').join(''));
  exit(code);
}

const [cmd, ...rest] = argv.slice(2);
if (cmd === 'trace') await trace(rest);
else if (cmd === 'calls') calls(rest[0]);
else if (cmd === 'strip') strip(rest[0]);
else {
  stderr.write('usage: journal_tool.mjs trace|calls|strip ...\n');
  exit(64);
}
