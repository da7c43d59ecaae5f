/**
 * Compiles src/ to dist/ with esbuild. `--if-changed` (what `npm start` runs first) skips the
 * build when dist/ was built from exactly the sources there are now: a hash of every source's
 * path and content (and of this script and esbuild's version) is kept in dist/. Runs on Node's
 * own type stripping, not tsx: a start with nothing to build costs milliseconds.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

const hash = sourcesHash();
const built = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash && fs.existsSync(path.join(dist, 'main.js'));
if (process.argv.includes('--if-changed') && built) process.exit(0);

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
