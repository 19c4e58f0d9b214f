// A value made on its first use, once: a library a process may never need, loaded when it first does.
//   const jose = lazy(() => import("jose"));   …   const { jwtVerify } = await jose();
// Under tsx on Node 20 every ES module of a library costs a resolve and a load through the module hooks' thread, at
// every start of a test file or a node; a library only some requests use is loaded by the first of them instead.
// Memoised, and not a bare `await import()` at each use: on Node 20 each such call asks the hooks thread again.

/** `make()` on the first call, its result on every call. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}
