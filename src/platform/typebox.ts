// TypeBox, the program's only way to it: its CommonJS build, required. Imported as ESM, TypeBox is ~250 files,
// and under tsx on Node 20 each goes through the module hooks' thread (a resolve and a load, each a round trip):
// ~300 ms of CPU at every start of a test file or a node, three times what requiring the same code costs. One
// copy for the whole program besides: the kinds registered in its TypeRegistry (platform/http/schema.ts) are those
// Value and the compiler check. ESLint refuses a value imported from "@sinclair/typebox" anywhere else (types
// only: they are erased).
import { createRequire } from "node:module";
import type * as TypeBox from "@sinclair/typebox";
import type * as TypeBoxCompiler from "@sinclair/typebox/compiler";
import type * as TypeBoxValue from "@sinclair/typebox/value";

const require = createRequire(import.meta.url);
const typebox = require("@sinclair/typebox") as typeof TypeBox;

export const { Kind, Type, TypeRegistry } = typebox;
export const { Value } = require("@sinclair/typebox/value") as typeof TypeBoxValue;
export const { TypeCompiler } = require("@sinclair/typebox/compiler") as typeof TypeBoxCompiler;
export type { Static, StringOptions, TSchema } from "@sinclair/typebox";
