// A value made on its first use, once: a library a process may never need, loaded when it first does.
//   const jose = lazy(() => import("jose"));   …   const { jwtVerify } = await jose();
// Under tsx on Node 20 every ES module of a library costs a resolve and a load through the module hooks' thread, at
// every start of a test file or a node; a library only some requests use is loaded by the first of them instead.
// Memoised, and not a bare `await import()` at each use: on Node 20 each such call asks the hooks thread again.
import { createRequire } from "node:module";

/** `make()` on the first call, its result on every call. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

const require = createRequire(import.meta.url);

/**
 * A CommonJS library required on its first use, synchronously: for a library whose callers are synchronous (an
 * X.509 or XML parser) and that most processes never call. `prepare` runs once on it when it is loaded.
 *   const x509 = lazyRequire<typeof X509>("@peculiar/x509");   …   new (x509().X509Certificate)(pem)
 * Required, not imported: its CommonJS build is one file where the ESM build of some libraries is many.
 */
export function lazyRequire<T>(id: string, prepare?: (library: T) => void): () => T {
  return lazy(() => {
    const library = require(id) as T;
    prepare?.(library);
    return library;
  });
}
