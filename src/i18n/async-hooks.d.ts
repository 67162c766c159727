// The one Node API Roost's own code uses (nodejs_compat provides it in workerd): the project has no
// @types/node, so its types are declared here, as much of them as src/i18n uses.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, fn: () => R): R;
    getStore(): T | undefined;
  }
}
