// Schema shapes every module's routes use, written so that Fastify's serializer (fast-json-stringify) writes them
// without Ajv: a field that may be null is `nullable` (OpenAPI 3.0's keyword, which Ajv and fast-json-stringify both
// read), a choice of strings is an `enum`. As `anyOf` they made fast-json-stringify build an Ajv instance per
// serializer and run it on every value it wrote (issue 12, item 10; issue 13, item 11).
//
// Both are TypeBox kinds of their own, registered here, so TypeBox's `Value` checks them as Ajv does.
import { Kind, type Static, type TSchema, Type, TypeRegistry, Value } from "../typebox.ts";

const LITERALS = "MotcuaLiterals";
const NULLABLE = "MotcuaNullable";
/** The schema a nullable one allows besides null (a symbol: it stays out of the JSON Schema written). */
const INNER = Symbol("motcua.nullable.inner");

TypeRegistry.Set<{ enum: unknown[] }>(LITERALS, (schema, value) => typeof value === "string" && schema.enum.includes(value));
TypeRegistry.Set<{ [INNER]: TSchema }>(NULLABLE, (schema, value) => value === null || Value.Check(schema[INNER], value));

/** A string that is one of `values`, typed as their union. */
export const Literals = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ [Kind]: LITERALS, type: "string", enum: [...values], ...(description ? { description } : {}) });

/** `t` or null. An `enum` gets `null` among its values, as OpenAPI 3.0.3 asks. */
export function Nullable<T extends TSchema>(t: T, options: { description?: string } = {}) {
  const schema: Record<string | symbol, unknown> = { ...(t as Record<string | symbol, unknown>), ...options, nullable: true, [Kind]: NULLABLE, [INNER]: t };
  if (Array.isArray(t.enum)) schema.enum = [...(t.enum as unknown[]), null];
  return Type.Unsafe<Static<T> | null>(schema);
}
