// The route schemas' validators and serializers, compiled on a route's first request rather than all at once
// when the app is built: Fastify's own compilers (Ajv, fast-json-stringify), same options, same results.
//
// Building the app compiled ~120 validators and ~60 serializers whose nullable and enumerated fields
// fast-json-stringify checks with Ajv: about half a second of a process's start, which every test file paid
// though it calls a handful of routes. Used only with `lazySchemas` (the tests): a node compiles every schema when
// it is built, so one that does not compile stops it at start, and `http.test.ts` builds the app that way.
import type { FastifyServerOptions } from "fastify";
import { AjvCompiler } from "@fastify/ajv-compiler";
import { SerializerSelector } from "@fastify/fast-json-stringify-compiler";

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
/** What both of Fastify's compiler builders are: (shared schemas, options) → (a route's schema part) → function. */
type Builder = (externalSchemas: unknown, options: unknown) => (route: unknown) => (data: unknown) => unknown;

/** A validator that compiles its schema when first called; it reports its errors as Ajv's does (`errors`). */
function lazyValidator<F extends (data: unknown) => unknown>(compile: () => F): F {
  let compiled: F | null = null;
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const result = compiled(data);
    (validate as { errors?: unknown }).errors = (compiled as { errors?: unknown }).errors;
    return result;
  }) as F;
  return validate;
}

/** Fastify's compilers, each route's schema compiled on its first use. */
export function lazyCompilers(): CompilersFactory {
  const ajv = AjvCompiler() as unknown as Builder;
  const fjs = SerializerSelector() as unknown as Builder;
  const lazy: Record<"buildValidator" | "buildSerializer", Builder> = {
    buildValidator: (externalSchemas, options) => {
      const compile = ajv(externalSchemas, options);
      return (route) => lazyValidator(() => compile(route));
    },
    buildSerializer: (externalSchemas, options) => {
      const compile = fjs(externalSchemas, options);
      return (route) => {
        let serialize: ((data: unknown) => unknown) | null = null;
        return (data) => (serialize ??= compile(route))(data);
      };
    },
  };
  return lazy as unknown as CompilersFactory;
}
