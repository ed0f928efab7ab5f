// yowasp-share.mjs: writes the data tree of a YoWASP npm package (its `filesystem` export: file
// contents as strings, big files as URLs of files in the package) to a folder, so that the
// package's WASI module can run under any WASI engine with that folder mounted.
// Usage: node yowasp-share.mjs PACKAGE_DIR/gen/resources-NAME.js OUT_DIR
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argv, exit, stderr } from 'node:process';

if (argv.length !== 4) {
  stderr.write('usage: node yowasp-share.mjs RESOURCES.js OUT_DIR\n');
  exit(64);
}
const { filesystem } = await import(pathToFileURL(resolve(argv[2])).href);

async function write(tree, dir) {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    if (name.includes('/') || name === '..' || name === '.') throw new Error(`bad name '${name}'`);
    const path = join(dir, name);
    if (typeof value === 'string') await writeFile(path, value);
    else if (value instanceof URL) await copyFile(value, path);
    else if (value instanceof Uint8Array) await writeFile(path, value);
    else await write(value, path);
  }
}
await write(filesystem, argv[3]);
