// The document exchange benchmark's setting (bench/exchange.ts), inside each node's server process:
// - `/bench/exchange/setup`: this node's agencies (a root of a code given, units under it), their keys from the
//   node's development CA when signed, and a clerk of the first unit with an API token (the sending side);
// - `/bench/exchange/connect`: the other node as the peer of its root, and its agencies' certificates trusted;
// - `/bench/exchange/hold` and `/bench/exchange/release`: this node's job worker stopped (the outbox's deliveries
//   wait, queued) and started again: documents composed while it is held are delivered from the release;
// - `/bench/exchange/compose`: documents sent through the exchange service by the setup's clerk (its number, its
//   sender's copy, its outbox message and job: what the API does after storing the upload, without the HTTP);
// - `/bench/exchange/progress`: what the sender has seen so far (documents sent, delivered with their 01).
// `unsignedExchange` is the same wire (codec, HTTP, inbox, answers) with no signing: the baseline of the ratio.
import type { Context } from "../../src/context.ts";
import { type Actor, systemActor } from "../../src/platform/auth/actor.ts";
import type { Config } from "../../src/platform/config/index.ts";
import { execRows, sql } from "../../src/platform/db/index.ts";
import { PUBLIC } from "../../src/platform/http/access.ts";
import type { App } from "../../src/platform/http/types.ts";
import { Type } from "../../src/platform/typebox.ts";
import { buildAgency } from "../../src/modules/directory/testing.ts";
import { buildOfficer } from "../../src/modules/identity/testing.ts";
import type { InboxDecoder, RemoteTransport } from "../../src/modules/exchange/model.ts";
import type { AgencyKeysService } from "../../src/modules/exchange/signing/service.ts";
import { edxmlDecoder, httpTransport, type WireDeps } from "../../src/modules/exchange/wire.ts";

const cli = { type: "cli", name: "bench" } as const;

/** The context once it is open (the wire is given to `openContext`, before the context exists). */
export const late: { ctx: Context | null } = { ctx: null };

/**
 * The exchange's wire without signatures: outgoing edXML sent as built, incoming taken as from its sender. Everything
 * else — the codec, the HTTP delivery, the inbox route, storing, numbering, the 01 — is the module's own.
 */
export function unsignedExchange(config: Config) {
  const keys = {
    signOutgoing: async (xml: string) => xml,
    verifyIncoming: async (_xml: string, agencyCode: string) => ({
      ok: true as const,
      signature: { agencyCode, certificatePem: "", subject: "", fingerprint: "", notBefore: new Date(0), notAfter: new Date(0) },
    }),
  } as unknown as AgencyKeysService;
  const deps: WireDeps = {
    keys,
    get directory() {
      return late.ctx!.directory;
    },
    get clock() {
      return late.ctx!.clock;
    },
    timeoutMs: config.exchange.timeoutMs,
    hubCode: null,
  };
  // Made on first use: the context (its directory and clock) exists by then.
  let wire: { transport: RemoteTransport; decoder: InboxDecoder } | null = null;
  const made = () => (wire ??= { transport: httpTransport(deps), decoder: edxmlDecoder(deps) });
  const transport: RemoteTransport = { deliver: (...args) => made().transport.deliver(...args), deliverMany: (...args) => made().transport.deliverMany!(...args), batches: (peer) => made().transport.batches!(peer) };
  const decoder: InboxDecoder = {
    decode: (...args) => made().decoder.decode(...args),
    answer: (...args) => made().decoder.answer(...args),
    refuse: (...args) => made().decoder.refuse!(...args),
  };
  return { transport, decoder };
}

/** The job worker of the bench server, stopped and started again by `/bench/exchange/hold` and `/release`. */
export interface WorkerSwitch {
  hold(): Promise<void>;
  release(): Promise<void>;
}

export function registerExchangeBenchRoutes(app: App, ctx: Context, worker: WorkerSwitch | null): void {
  late.ctx = ctx;
  // The clerk of the sending side (setup with `clerk: true`), who composes the documents of `/bench/exchange/compose`.
  let clerkActor: Actor | null = null;
  app.post(
    "/bench/exchange/setup",
    {
      config: { access: PUBLIC },
      schema: { hide: true, body: Type.Object({ root: Type.String(), agencies: Type.Integer({ minimum: 1, maximum: 50 }), signed: Type.Boolean(), clerk: Type.Boolean() }) },
    },
    async (request) => {
      const { root, agencies, signed, clerk } = request.body;
      await ctx.directory.createAgency(systemActor("bench"), { code: root, name: `Ủy ban nhân dân thử tải ${root}`, kind: "people_committee", provinceCode: "24", departments: [{ code: "van-phong", name: "Văn phòng" }] });
      const units = [];
      for (let i = 0; i < agencies; i++) {
        const unit = await buildAgency(ctx, { parent: root, name: `Sở thử tải ${i + 1} (${root})`, kind: "specialised_agency" });
        const certificatePem = signed ? (await ctx.exchangeKeys.generate(cli, { agencyCode: unit.code })).certificatePem : null;
        units.push({ code: unit.code, certificatePem });
      }
      const account = clerk ? await buildOfficer(ctx, { agency: units[0]!.code, roles: ["receiver"], fullName: "Văn Thư Thử Tải", email: null }) : null;
      const token = account ? await account.token() : null;
      if (account) clerkActor = ctx.identity.actorFor(account.user, { loa: 0 });
      return { root, units, token, caPem: (await ctx.exchangeKeys.developmentCa()).certificatePem };
    },
  );
  app.post(
    "/bench/exchange/connect",
    {
      config: { access: PUBLIC },
      schema: {
        hide: true,
        body: Type.Object({
          root: Type.String(),
          url: Type.String(),
          certificatePem: Type.String(),
          trust: Type.Array(Type.Object({ code: Type.String(), certificatePem: Type.String() })),
        }),
      },
    },
    async (request) => {
      const { root, url, certificatePem, trust } = request.body;
      for (const t of trust) await ctx.exchangeKeys.trust(cli, { agencyCode: t.code, certificatePem: t.certificatePem });
      await ctx.exchange.setPeer(cli, { agencyCode: root, name: `Nút ${root}`, nodeUrl: url, certificate: certificatePem });
      return { ok: true };
    },
  );
  app.post("/bench/exchange/hold", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    if (!worker) throw new Error("this bench server runs no job worker (MOTCUA_BENCH_WORKER=1)");
    await worker.hold();
    return { ok: true };
  });
  app.post("/bench/exchange/release", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    if (!worker) throw new Error("this bench server runs no job worker (MOTCUA_BENCH_WORKER=1)");
    await worker.release();
    return { ok: true };
  });
  // `n` documents to the agencies of `to` in turn, `parallel` sends at a time, with one file (its bytes stored once,
  // as the API stores an upload): each send is the service's own (numbered, the sender's copy, queued per recipient).
  app.post(
    "/bench/exchange/compose",
    {
      config: { access: PUBLIC },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        hide: true,
        body: Type.Object({
          n: Type.Integer({ minimum: 1, maximum: 100_000 }),
          to: Type.Array(Type.String(), { minItems: 1 }),
          parallel: Type.Integer({ minimum: 1, maximum: 64 }),
          fileBase64: Type.String(),
        }),
      },
    },
    async (request) => {
      const { n, to, parallel, fileBase64 } = request.body;
      if (!clerkActor) throw new Error("no clerk: set this node up with clerk: true first");
      const actor = clerkActor;
      const file = await ctx.exchange.storeFile(Buffer.from(fileBase64, "base64"), "cong-van.pdf");
      const started = Date.now();
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < n; i = next++) {
          await ctx.exchange.send(actor, {
            to: [to[i % to.length]!],
            subject: `Về việc thử tải trục liên thông văn bản ${i}`,
            notation: "BENCH-VP",
            signer: { fullName: "Nguyễn Văn Ký", position: "Giám đốc" },
            files: [file],
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
      return { composed: n, ms: Date.now() - started };
    },
  );
  // Documents sent from the outbox rows after `after` (the id of the last row before a round): how many, how many
  // are delivered with the recipient's 01 on the sender's timeline, how many gave up; the delivered ones' time
  // from sending (the send's transaction) to delivered (the 01 recorded), p50 and p99.
  app.get(
    "/bench/exchange/progress",
    { config: { access: PUBLIC }, schema: { hide: true, querystring: Type.Object({ after: Type.Integer({ minimum: 0 }) }) } },
    async (request) => {
      const [row] = await execRows<{ last: number; sent: number; delivered: number; seen01: number; undelivered: number; p50: number | null; p99: number | null }>(
        ctx.database.db,
        sql`SELECT coalesce(max(o.id), ${request.query.after})::int AS last,
                   count(*)::int AS sent,
                   count(*) FILTER (WHERE o.state = 'delivered')::int AS delivered,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM exchange_statuses s WHERE s.copy_id = o.copy_id AND s.party = o.to_agency AND s.code = '01'))::int AS seen01,
                   count(*) FILTER (WHERE o.state = 'undelivered')::int AS undelivered,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.delivered_at - o.created_at) * 1000) AS p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM o.delivered_at - o.created_at) * 1000) AS p99
              FROM exchange_outbox o WHERE o.id > ${request.query.after} AND o.kind = 'document'`,
      );
      // This process's CPU time so far (ms): per document, a figure the other load on a shared machine changes less.
      const cpu = process.cpuUsage();
      return { ...row, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
  );
  app.get("/bench/exchange/cpu", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    const cpu = process.cpuUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000 };
  });
}
