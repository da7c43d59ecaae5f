/**
 * Compiles src/ to dist/ with esbuild. `--if-changed` skips the build when dist/ was built from
 * exactly the sources there are now: a hash of every source's path and content (and of this
 * script and esbuild's version) is kept in dist/. `--start` (what `npm start` runs) then runs
 * dist/main.js in this same process, with Node's compile cache: one Node start, not two. Runs on
 * Node's own type stripping, not tsx: a start with nothing to build costs milliseconds here.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, version } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.sources-hash');

function sourcesHash(): string {
  const hash = createHash('sha256')
    .update(version)
    .update(fs.readFileSync(import.meta.filename));
  const files = fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(src, file)));
  return hash.digest('hex');
}

async function compile(hash: string) {
  console.log('formgraph: compiling src/ to dist/');
  // a source that was removed must not leave its old output behind
  fs.rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints: ['src/**/*.ts'],
    absWorkingDir: root,
    outdir: 'dist',
    outbase: 'src',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
  });
  fs.writeFileSync(stamp, hash);
}

const hash = sourcesHash();
const built = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash && fs.existsSync(path.join(dist, 'main.js'));
if (!(process.argv.includes('--if-changed') && built)) await compile(hash);
if (process.argv.includes('--start')) {
  module.enableCompileCache(path.join(root, 'node_modules/.cache/formgraph-compile'));
  await import(pathToFileURL(path.join(dist, 'main.js')).href);
}
