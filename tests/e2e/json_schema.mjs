// json_schema.mjs: checks JSON files against a JSON Schema, so the documented schemas are the
// ones the tests hold the CLI to. The schema is a file (docs/schemas/NAME.schema.json) or the
// block after a line `<!-- schema: NAME -->` in a doc. The subset of JSON Schema they use: type
// (one or a list), const, enum, pattern, minimum, properties, required, additionalProperties
// (false or a schema), items, $defs and "#/$defs/X".
// usage: node json_schema.mjs SCHEMA.json FILE.json...   (a schema file)
//        node json_schema.mjs DOC.md NAME FILE.json      (a schema in a doc)
// Exit 0 when every FILE fits; 1 with one line per mismatch (FILE: PATH: problem); 2 no schema.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let root, files;
if (args[0].endsWith('.md')) {
	const [doc, name, ...rest] = args;
	const text = readFileSync(doc, 'utf8');
	const m = text.match(new RegExp(`<!-- schema: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``));
	if (!m) {
		console.error(`${doc}: no schema ${name}`);
		process.exit(2);
	}
	root = JSON.parse(m[1]);
	files = rest;
} else {
	root = JSON.parse(readFileSync(args[0], 'utf8'));
	files = args.slice(1);
}

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

// Every mismatch of v against schema s, at path at, appended to errors.
function check(s, v, at, errors) {
	if (s.$ref) s = root.$defs[s.$ref.replace('#/$defs/', '')];
	const types = s.type === undefined ? null : [].concat(s.type);
	if (types && !types.some((t) => fits(t, v))) {
		errors.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(v)}`);
		return;
	}
	if ('const' in s && v !== s.const) errors.push(`${at}: ${JSON.stringify(v)}, not ${JSON.stringify(s.const)}`);
	if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not one of ${s.enum}`);
	if (s.pattern && typeof v === 'string' && !new RegExp(s.pattern).test(v))
		errors.push(`${at}: '${v}' does not match ${s.pattern}`);
	if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum)
		errors.push(`${at}: ${v} below ${s.minimum}`);
	if (typeOf(v) === 'array' && s.items) v.forEach((x, i) => check(s.items, x, `${at}[${i}]`, errors));
	if (typeOf(v) !== 'object') return;
	for (const k of s.required || []) if (!(k in v)) errors.push(`${at}: no '${k}'`);
	for (const [k, x] of Object.entries(v)) {
		if (s.properties && k in s.properties) check(s.properties[k], x, `${at}.${k}`, errors);
		else if (s.additionalProperties === false) errors.push(`${at}: unexpected '${k}'`);
		else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, x, `${at}.${k}`, errors);
	}
}

let bad = 0;
for (const file of files) {
	const errors = [];
	check(root, JSON.parse(readFileSync(file, 'utf8')), '$', errors);
	for (const e of errors) console.log(`${file}: ${e}`);
	bad += errors.length;
}
process.exit(bad ? 1 : 0);
