/**
 * `npm run bench [-- suite ...]`: runs benchmark suites (bench/suites/<name>.ts) and writes each
 * one's markdown into its own section of BENCHMARKS.md, leaving other sections as they were.
 * Each suite gets a fresh database on a disposable embedded PostgreSQL (or DATABASE_URL's server).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type BenchContext } from './support/context.js';

// benchmarks measure throughput: the per-caller rate limit stays off in the servers they start
process.env.RATE_LIMIT_PER_MINUTE ??= '0';

const dir = path.join(import.meta.dirname, 'suites');
const all = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = wanted.length ? all.filter((s) => wanted.includes(s)) : all;
const file = path.join(import.meta.dirname, '..', 'BENCHMARKS.md');

function writeSection(name: string, markdown: string) {
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; each section by its suite in `bench/suites/`.\n';
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const machine = `_${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}_`;
  const section = `${start}\n${markdown.trim()}\n\n${machine}\n${end}`;
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  const next = i >= 0 && j > i ? current.slice(0, i) + section + current.slice(j + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
  // the tables as the project's formatter lays them out: `npm run lint` checks BENCHMARKS.md too
  execFileSync(path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'biome'), ['format', '--write', file], { stdio: 'ignore' });
}

for (const name of suites) {
  console.log(`bench: ${name}`);
  const { default: suite } = (await import(path.join(dir, `${name}.ts`))) as { default: (ctx: BenchContext) => Promise<string> };
  const ctx = await createBenchDatabase(name);
  try {
    writeSection(name, await suite(ctx));
  } finally {
    await ctx.close();
  }
}
console.log(`bench: wrote ${path.relative(process.cwd(), file)}`);
