import DataLoader from 'dataloader';
import { requireWorkspace, type ServiceContext } from './context.js';

/** A request's DataLoaders, made on first use; one set per request, so nothing is cached across callers. */
export class RequestLoaders {
  readonly #loaders = new Map<string, unknown>();

  /** The loader stored under `key`, made by `make` the first time. */
  get<V, K = string>(key: string, make: () => DataLoader<K, V, string>): DataLoader<K, V, string> {
    let loader = this.#loaders.get(key) as DataLoader<K, V, string> | undefined;
    if (!loader) {
      loader = make();
      this.#loaders.set(key, loader);
    }
    return loader;
  }
}

export type LoaderContext = ServiceContext & { loaders?: RequestLoaders };

/** Loads the values of `keys` (in their order) within one workspace. */
export type Batch<V> = (keys: readonly string[], workspaceId: string) => Promise<readonly V[]>;

/**
 * The request's DataLoader `name` (within `group`, e.g. a collection id) for the caller's
 * workspace: keys of one tick load together in one batch. Without request loaders (services,
 * jobs) each call gets a loader of its own.
 */
export function loaderFor<V>(ctx: LoaderContext, name: string, batch: Batch<V>, options: { group?: string; cache?: boolean } = {}): DataLoader<string, V> {
  const { workspaceId } = requireWorkspace(ctx);
  const make = () => new DataLoader<string, V>((keys) => batch(keys, workspaceId), { cache: options.cache ?? true });
  return ctx.loaders ? ctx.loaders.get(`${name}:${workspaceId}:${options.group ?? ''}`, make) : make();
}

/** Rows of `keys`, in key order, with null for each key no row has. */
export function inKeyOrder<R extends { id: string }>(keys: readonly string[], rows: readonly R[]): (R | null)[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => byId.get(k) ?? null);
}
