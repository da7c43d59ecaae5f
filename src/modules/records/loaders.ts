import DataLoader from 'dataloader';
import type { GraphQLContext } from '../../context.js';

/** A per-request DataLoader, memoised in ctx.loaders under `name` (keys are strings scoped by the caller). */
export function loaderFor<V>(ctx: GraphQLContext, name: string, batch: (keys: readonly string[]) => Promise<(V | null)[]>): DataLoader<string, V | null> {
  let loader = ctx.loaders.get(name) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader(batch);
    ctx.loaders.set(name, loader);
  }
  return loader;
}
