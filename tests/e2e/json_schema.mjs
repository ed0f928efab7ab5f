// json_schema.mjs: checks JSON files against a JSON Schema, for the documented output formats
// (docs/schemas/). The subset the schemas use: type (one or a list), const, enum, pattern,
// minimum, required, properties, additionalProperties (false, or a schema for the other keys),
// items.
//
//   node json_schema.mjs SCHEMA FILE...   exits 0 when every FILE fits, else prints each
//                                         mismatch as FILE: JSON-POINTER: problem and exits 1
import { readFileSync } from 'node:fs';
import { argv, exit, stdout } from 'node:process';

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fits(type, v) {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

// Every mismatch of v against schema s, at pointer at, appended to errs.
function check(s, v, at, errs) {
  const types = s.type === undefined ? null : [].concat(s.type);
  if (types && !types.some((t) => fits(t, v))) {
    errs.push(`${at}: ${typeOf(v)}, not ${types.join(' or ')}`);
    return;
  }
  if ('const' in s && v !== s.const) errs.push(`${at}: ${JSON.stringify(v)}, not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(v)) errs.push(`${at}: ${JSON.stringify(v)} not in ${s.enum.join(', ')}`);
  if (s.pattern && typeof v === 'string' && !new RegExp(s.pattern).test(v)) errs.push(`${at}: '${v}' does not match ${s.pattern}`);
  if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum) errs.push(`${at}: ${v} < ${s.minimum}`);
  if (typeOf(v) === 'object') {
    for (const k of s.required ?? []) if (!(k in v)) errs.push(`${at}: lacks '${k}'`);
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties?.[k];
      if (sub) check(sub, x, `${at}/${k}`, errs);
      else if (s.additionalProperties === false) errs.push(`${at}: unknown key '${k}'`);
      else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, x, `${at}/${k}`, errs);
    }
  }
  if (typeOf(v) === 'array' && s.items) v.forEach((x, i) => check(s.items, x, `${at}/${i}`, errs));
}

const [schemaPath, ...files] = argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
let bad = 0;
for (const f of files) {
  const errs = [];
  check(schema, JSON.parse(readFileSync(f, 'utf8')), '', errs);
  for (const e of errs) stdout.write(`${f}: ${e || '/'}\n`);
  bad += errs.length;
}
exit(bad ? 1 : 0);
