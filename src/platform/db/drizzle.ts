// Drizzle, the program's only way to its values: its CommonJS build, required. Imported as ESM, Drizzle is ~110
// files (pg-core alone 72), and under tsx on Node 20 each goes through the module hooks' thread (a resolve and a
// load, each a round trip) at every start of a test file or a node; required, the same code costs a third less
// CPU. One copy for the whole program besides (its errors are checked with instanceof). PGlite comes the same way
// (platform/db/index.ts): Drizzle's PGlite driver requires it. ESLint refuses a value imported from "drizzle-orm"
// anywhere else (types only: they are erased).
import { createRequire } from "node:module";
import type * as Orm from "drizzle-orm";
import type * as OrmErrors from "drizzle-orm/errors";
import type * as NodePostgres from "drizzle-orm/node-postgres";
import type * as PgCore from "drizzle-orm/pg-core";
import type * as Pglite from "drizzle-orm/pglite";
import type * as OrmVersion from "drizzle-orm/version";

const require = createRequire(import.meta.url);

export const { and, asc, between, count, desc, eq, getTableColumns, getTableName, gt, gte, ilike, inArray, isNotNull, isNull, like, lt, lte, max, or, sql } =
  require("drizzle-orm") as typeof Orm;
export const { alias, bigint, boolean, check, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } =
  require("drizzle-orm/pg-core") as typeof PgCore;
export const { DrizzleQueryError } = require("drizzle-orm/errors") as typeof OrmErrors;
export const { npmVersion } = require("drizzle-orm/version") as typeof OrmVersion;
export const { drizzle: drizzlePglite } = require("drizzle-orm/pglite") as typeof Pglite;
export const { drizzle: drizzlePg } = require("drizzle-orm/node-postgres") as typeof NodePostgres;
