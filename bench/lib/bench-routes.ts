// Routes that exist only in the benchmark server: a representative small write, with or without
// its audit entry, so the cost of auditing is measured on the same write path.
import { Type } from "@sinclair/typebox";
import type { Context } from "../../src/context.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { execRows, sql } from "../../src/platform/db/index.ts";
import type { App } from "../../src/platform/http/types.ts";

export async function registerBenchRoutes(app: App, ctx: Context): Promise<void> {
  await ctx.database.db.execute(sql`
    CREATE TABLE IF NOT EXISTS bench_writes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      agency text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  app.post(
    "/bench/write",
    {
      schema: {
        hide: true,
        querystring: Type.Object({ audit: Type.Optional(Type.Boolean()) }),
        body: Type.Object({ agency: Type.String(), note: Type.String() }),
      },
    },
    async (request, reply) => {
      await ctx.database.transaction(async (tx) => {
        const rows = await execRows<{ id: number }>(
          tx,
          sql`INSERT INTO bench_writes (agency, payload) VALUES (${request.body.agency}, ${JSON.stringify(request.body)}::jsonb) RETURNING id`,
        );
        if (request.query.audit) {
          await ctx.audit.record(tx, {
            actor: systemActor("bench"),
            action: "bench.write",
            subject: { type: "bench_write", id: String(rows[0]?.id) },
            requestId: request.id,
            change: request.body,
          });
        }
      });
      return reply.status(201).send({ ok: true });
    },
  );
}
