// json_schema.mjs: checks a JSON file against a schema written in docs (the block after a line
// `<!-- schema: NAME -->`), so the documented schema is the one the tests hold the CLI to.
// The subset of JSON Schema the docs use: type (one or a list), properties, required,
// additionalProperties (false or a schema), items, enum, pattern, minimum, $defs and "#/$defs/X".
// usage: node json_schema.mjs DOC.md NAME FILE.json   (exit 0 valid; 1 with one line per error)
import { readFileSync } from 'node:fs';

const [doc, name, file] = process.argv.slice(2);
const text = readFileSync(doc, 'utf8');
const m = text.match(new RegExp(`<!-- schema: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``));
if (!m) {
	console.error(`${doc}: no schema ${name}`);
	process.exit(2);
}
const root = JSON.parse(m[1]);
const errors = [];

function typeOf(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (Number.isInteger(v)) return 'integer';
	return typeof v;
}

function fits(t, v) {
	const got = typeOf(v);
	return t === got || (t === 'number' && got === 'integer');
}

function check(s, v, at) {
	if (s.$ref) s = root.$defs[s.$ref.replace('#/$defs/', '')];
	const types = s.type === undefined ? null : [].concat(s.type);
	if (types && !types.some((t) => fits(t, v))) {
		errors.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(v)}`);
		return;
	}
	if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not one of ${s.enum}`);
	if (s.pattern && typeof v === 'string' && !new RegExp(s.pattern).test(v))
		errors.push(`${at}: '${v}' does not match ${s.pattern}`);
	if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum)
		errors.push(`${at}: ${v} below ${s.minimum}`);
	if (typeOf(v) === 'array' && s.items) v.forEach((x, i) => check(s.items, x, `${at}[${i}]`));
	if (typeOf(v) !== 'object') return;
	for (const k of s.required || []) if (!(k in v)) errors.push(`${at}: no '${k}'`);
	for (const [k, x] of Object.entries(v)) {
		if (s.properties && k in s.properties) check(s.properties[k], x, `${at}.${k}`);
		else if (s.additionalProperties === false) errors.push(`${at}: unexpected '${k}'`);
		else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, x, `${at}.${k}`);
	}
}

check(root, JSON.parse(readFileSync(file, 'utf8')), '$');
for (const e of errors) console.log(`${file}: ${e}`);
process.exit(errors.length ? 1 : 0);
