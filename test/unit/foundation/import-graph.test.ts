import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The house drawn from the imports (STYLE.md): modules depend on each other without cycles, and
 * the shared engines in src/core know nothing of modules or of GraphQL.
 */
const src = path.resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every file of src/ with the src/ files it imports (static, side-effect and dynamic imports). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.relative(src, path.resolve(path.dirname(file), name)).replace(/\.js$/, '.ts'));
    graph.set(path.relative(src, file), targets);
  }
  return graph;
}

const moduleOf = (file: string) => /^modules\/([^/]+)\//.exec(file)?.[1] ?? null;

/** Module-level edges: a -> b when a file of module a imports a file of module b. */
function moduleEdges(graph: Map<string, string[]>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const target of targets) {
      const to = moduleOf(target);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

/** One path per cycle found by a depth-first search, e.g. ['jobs', 'workflows', 'jobs']. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, trail: string[]) => {
    if (trail.includes(node)) {
      found.push([...trail.slice(trail.indexOf(node)), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) visit(node, []);
  return found;
}

describe('import graph', () => {
  const graph = importGraph();

  it('reads the real tree (a guard against a test that checks nothing)', () => {
    expect(graph.get('modules/jobs/job.graphql.ts')).toContain('modules/workflows/workflow.graphql.ts');
    expect(moduleEdges(graph).get('jobs')?.has('workflows')).toBe(true);
    expect(
      cycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['a'])],
        ]),
      ),
    ).toEqual([['a', 'b', 'a']]);
  });

  it('has no import cycle between modules', () => {
    expect(cycles(moduleEdges(graph))).toEqual([]);
  });

  it('keeps src/core free of imports from src/modules and src/graphql', () => {
    const upward = [...graph]
      .filter(([file]) => file.startsWith('core/'))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith('modules/') || t.startsWith('graphql/')).map((t) => `${file} -> ${t}`));
    expect(upward).toEqual([]);
  });
});
