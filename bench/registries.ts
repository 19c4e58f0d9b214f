// The registries (issue 18, item 8), against `motcua registry-sim` run as a process of its own (as the product
// runs it) and the server on PostgreSQL (`--db=pglite` or `both` for the embedded database too):
//   (a) prefilled filings against plain filings: a signed-in citizen files procedure 1.800098 (the demo
//       catalogue's criminal-record form, whose name, sex, birth date, nationality, CCCD and residence map to the
//       population registry). Plain: the draft with every field typed, then filing it. Prefilled: the draft with
//       the fields the registry does not hold, the citizen's consent on the draft's page
//       (`POST /ho-so-cua-toi/{id}/lay-tu-csdl`: a look-up through the gateway, recorded, the fields written and
//       marked), then filing it. Figures: filings/s and the p99 of a whole filing; the ratio prefilled/plain.
//       Driven by autocannon, each connection walking the steps of one filing after another.
//   (b) look-ups through the gateway (`GET /api/registries/citizens/{cccd}` by an officer: limits, connector,
//       token, breaker, answer checked, the look-up and its audit entry written) against the simulator called
//       directly with the same token and purpose headers (`GET /population/citizens/{cccd}`), over 1,000 of its
//       citizens. Driven by wrk (C: the load generator costs the 2-core machine little); look-ups/s, p99, ratio.
//
// The look-up limits are raised by configuration for the run (they would refuse the load, from one address and
// one officer): MOTCUA_REGISTRY_OFFICER_PER_MINUTE, MOTCUA_REGISTRY_CLIENT_PER_MINUTE and the connector's quota
// MOTCUA_REGISTRY_PER_MINUTE (see LIMITS below).
//
// `npm run bench:registries [-- --db=postgres --duration=10 --connections=50 --rounds=1]`
import { randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { spawnRegistrySim } from "../src/modules/registries/sim/child.ts";
import { PURPOSE_HEADERS } from "../src/modules/registries/gateway/connector.ts";
import { REGISTRY_PROCEDURE_CODE, SUBMIT_AGENCIES } from "./lib/dossier-dataset.ts";
import { type DbKind, type Figure, measureWrk, medianFigure, parseArgs, report, type Server, startServer } from "./lib/harness.ts";

const CITIZEN = "001199000001";
const OFFICER = "tiepnhan";
const CLIENT = { id: "bench", secret: "bench-registry-sim-secret" };
const CSRF = "benchbenchbenchbenchbenchbench00"; // the pages' double-submit token: any 32 URL-safe characters
/** The look-up limits, raised so the benchmark's one address and one officer are not refused (defaults 120, 30, 600). */
export const LIMITS = {
  MOTCUA_REGISTRY_CLIENT_PER_MINUTE: "10000000",
  MOTCUA_REGISTRY_OFFICER_PER_MINUTE: "10000000",
  MOTCUA_REGISTRY_PER_MINUTE: "1000000",
};
const SAMPLE = 1000;
const load1 = () => os.loadavg()[0]!.toFixed(2);

/** What the citizen types that no registry holds. */
const OWN_FIELDS = { noiSinh: "Bắc Ninh", soDienThoai: "0912345678", loaiPhieu: "Phiếu lý lịch tư pháp số 1", mucDichSuDung: "Bổ sung hồ sơ xin việc", soLuongPhieu: 1 };

export async function benchRegistries(argv: string[]): Promise<void> {
  const { dbs: parsed, duration, connections, pgUrl } = parseArgs(argv);
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  // PostgreSQL unless asked otherwise (parseArgs' default is both).
  const dbs: DbKind[] = get("db") ? parsed : ["postgres"];
  const rounds = Number(get("rounds") ?? 1);
  const only = get("only")?.split(",");
  const wanted = (part: "filings" | "lookups") => !only || only.includes(part);

  // The simulator as the product starts it: `motcua registry-sim`, a process of its own, over HTTP.
  const sim = spawnRegistrySim(["--port", "0", "--clients", `${CLIENT.id}:${CLIENT.secret}`]);
  try {
    const simUrl = await sim.ready;
    for (const db of dbs) {
      const server = await startServer("motcua", db, pgUrl, {
        MOTCUA_REGISTRY_URL: simUrl,
        MOTCUA_REGISTRY_CLIENT_ID: CLIENT.id,
        MOTCUA_REGISTRY_CLIENT_SECRET: CLIENT.secret,
        ...LIMITS,
      });
      try {
        await one(db, server, simUrl);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await sim.stop();
  }

  async function one(db: DbKind, server: Server, simUrl: string): Promise<void> {
    const setup = await fetch(`${server.url}/bench/dossiers/setup`, { method: "POST" });
    if (!setup.ok) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
    const { tokens } = (await setup.json()) as { tokens: Record<string, string> };

    if (wanted("filings")) await filings(db, server, tokens[CITIZEN]!);
    if (wanted("lookups")) await lookups(db, server, simUrl, tokens[OFFICER]!);
  }

  async function filings(db: DbKind, server: Server, token: string): Promise<void> {
    const auth = { authorization: `Bearer ${token}` };
    // A first prefill through the page, checked: the bench measures filings that are really prefilled.
    const draft = await fetch(`${server.url}/api/dossiers`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ procedureCode: REGISTRY_PROCEDURE_CODE, agencyCode: SUBMIT_AGENCIES[0], formData: OWN_FIELDS, requestId: randomUUID() }),
    });
    if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${await draft.text()}`);
    const { id } = (await draft.json()) as { id: string };
    const consent = await fetch(`${server.url}/ho-so-cua-toi/${id}/lay-tu-csdl`, {
      method: "POST",
      redirect: "manual",
      headers: { ...auth, cookie: `motcua_csrf=${CSRF}`, "content-type": "application/x-www-form-urlencoded" },
      body: `_csrf=${CSRF}&registry=population`,
    });
    if (consent.status !== 303 || !consent.headers.get("location")?.endsWith("?da=csdl")) throw new Error(`prefill: ${consent.status} ${consent.headers.get("location")} ${(await consent.text()).slice(0, 300)}`);
    const filed = await fetch(`${server.url}/api/dossiers/${id}/submit`, { method: "POST", headers: auth });
    const body = (await filed.json()) as { status: string; registryFields: Record<string, unknown>; formData: Record<string, unknown> };
    if (filed.status !== 200 || Object.keys(body.registryFields).length < 5) throw new Error(`submit after prefill: ${filed.status} ${JSON.stringify(body).slice(0, 400)}`);
    const typed = { ...OWN_FIELDS, ...Object.fromEntries(Object.keys(body.registryFields).map((k) => [k, body.formData[k]])) };

    const plainRuns: FilingFigure[] = [];
    const prefilledRuns: FilingFigure[] = [];
    for (let r = 0; r < rounds; r++) {
      plainRuns.push(await fileMany(server, token, typed, false));
      prefilledRuns.push(await fileMany(server, token, OWN_FIELDS, true));
    }
    const plain = medianFigure(plainRuns) as FilingFigure;
    const prefilled = medianFigure(prefilledRuns) as FilingFigure;
    const median = rounds > 1 ? `, median of ${rounds}` : "";
    reportFilings(`plain filings on ${db} (draft + file${median})`, plain);
    reportFilings(`prefilled filings on ${db} (draft + consent + file${median})`, prefilled, plain);
    console.log(`  load average ${load1()}; steps answered as expected: plain ${plain.complete}/${plain.started} filings, prefilled ${prefilled.complete}/${prefilled.started}`);
  }

  async function lookups(db: DbKind, server: Server, simUrl: string, officerToken: string): Promise<void> {
    const list = (await (await fetch(`${simUrl}/admin/citizens?offset=0&limit=${SAMPLE}`)).json()) as { items: string[] };
    const tokenAnswer = await fetch(`${simUrl}/oauth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    const { access_token: simToken } = (await tokenAnswer.json()) as { access_token: string };
    const purpose = { purpose: "Tiếp nhận hồ sơ (đo tải)", legalBasis: "Nghị định 47/2020/NĐ-CP", dossierId: "bench" };
    const query = new URLSearchParams(purpose).toString();
    const directRuns: Figure[] = [];
    const gatewayRuns: Figure[] = [];
    for (let r = 0; r < rounds; r++) {
      directRuns.push(
        await measureWrk({
          url: `${simUrl}/population/citizens/${list.items[0]}`,
          paths: list.items.map((c) => `/population/citizens/${c}`),
          headers: {
            authorization: `Bearer ${simToken}`,
            [PURPOSE_HEADERS.purpose]: encodeURIComponent(purpose.purpose),
            [PURPOSE_HEADERS.legalBasis]: encodeURIComponent(purpose.legalBasis),
            [PURPOSE_HEADERS.dossierId]: purpose.dossierId,
          },
          connections,
          duration,
        }),
      );
      gatewayRuns.push(
        await measureWrk({
          url: `${server.url}/api/registries/citizens/${list.items[0]}?${query}`,
          paths: list.items.map((c) => `/api/registries/citizens/${c}?${query}`),
          headers: { authorization: `Bearer ${officerToken}` },
          connections,
          duration,
        }),
      );
    }
    const direct = medianFigure(directRuns);
    const gateway = medianFigure(gatewayRuns);
    const median = rounds > 1 ? `, median of ${rounds}` : "";
    report(`registry-sim called directly (wrk${median})`, direct);
    report(`look-ups through the gateway on ${db} (wrk${median})`, gateway, { name: "direct", fig: direct });
    console.log(`  load average ${load1()}; every look-up answered 200: direct ${direct.non2xx + direct.errors === 0 ? "yes" : "NO"}, gateway ${gateway.non2xx + gateway.errors === 0 ? "yes" : "NO"}`);
  }

  interface FilingFigure extends Figure {
    /** Filings begun and filings whose every step answered as expected. */
    started: number;
    complete: number;
  }

  /**
   * Filings for `duration` seconds at `connections` connections (after a 2-second warm-up), each connection
   * walking one filing's steps after another: the draft (201), the consent (303 to `?da=csdl`) when prefilled, the
   * filing (200). A filing's latency runs from its draft's request to its filing's answer.
   */
  async function fileMany(server: Server, token: string, formData: Record<string, unknown>, prefill: boolean): Promise<FilingFigure> {
    interface Ctx {
      id?: string | undefined;
      t0?: number;
      ok?: boolean;
    }
    const auth = { authorization: `Bearer ${token}` };
    let picked = 0;
    let measuring = false;
    const latencies: number[] = [];
    let started = 0;
    let complete = 0;
    const steps: autocannon.Request[] = [
      {
        method: "POST",
        path: "/api/dossiers",
        headers: { ...auth, "content-type": "application/json" },
        setupRequest: (req, context) => {
          const c = context as Ctx;
          c.id = undefined;
          c.ok = true;
          c.t0 = performance.now();
          if (measuring) started++;
          const body = { procedureCode: REGISTRY_PROCEDURE_CODE, agencyCode: SUBMIT_AGENCIES[picked++ % SUBMIT_AGENCIES.length], formData, requestId: randomUUID() };
          return { ...req, body: JSON.stringify(body) };
        },
        onResponse: (status, body, context) => {
          const c = context as Ctx;
          if (status === 201) c.id = (JSON.parse(body) as { id: string }).id;
          else c.ok = false;
        },
      },
      ...(prefill
        ? [
            {
              method: "POST" as const,
              headers: { ...auth, cookie: `motcua_csrf=${CSRF}`, "content-type": "application/x-www-form-urlencoded" },
              body: `_csrf=${CSRF}&registry=population`,
              // No draft, no consent: the pipeline starts again (autocannon counts a reset).
              setupRequest: (req: autocannon.Request, context: object) => ((context as Ctx).id ? { ...req, path: `/ho-so-cua-toi/${(context as Ctx).id}/lay-tu-csdl` } : (null as unknown as autocannon.Request)),
              onResponse: (status: number, _body: string, context: object, headers: Record<string, string | string[] | undefined> | undefined) => {
                if (status !== 303 || !String(headers?.location ?? "").endsWith("?da=csdl")) (context as Ctx).ok = false;
              },
            },
          ]
        : []),
      {
        method: "POST",
        headers: auth,
        setupRequest: (req, context) => ((context as Ctx).id ? { ...req, path: `/api/dossiers/${(context as Ctx).id}/submit` } : (null as unknown as autocannon.Request)),
        onResponse: (status, _body, context) => {
          const c = context as Ctx;
          if (!measuring) return;
          if (status === 200 && c.ok) {
            complete++;
            latencies.push(performance.now() - c.t0!);
          }
        },
      },
    ];
    const run = (seconds: number) => autocannon({ url: server.url, connections, duration: seconds, requests: steps });
    await run(2);
    measuring = true;
    const r = await run(duration);
    measuring = false;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      rps: complete / duration,
      p50: at(0.5),
      p99: at(0.99),
      errors: r.errors + r.timeouts,
      // autocannon counts the consent's 303 among these: the statuses and `complete` say what went wrong.
      non2xx: r.non2xx,
      requests: r.requests.total,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, (v as { count: number }).count])),
      started,
      complete,
    };
  }

  function reportFilings(name: string, fig: FilingFigure, baseline?: FilingFigure): void {
    const ratio = baseline ? ` ratio=${(fig.rps / baseline.rps).toFixed(3)} (vs plain)` : "";
    console.log(`${name.padEnd(60)} ${fig.rps.toFixed(0).padStart(6)} filings/s  p50=${fig.p50.toFixed(1)}ms  p99=${fig.p99.toFixed(1)}ms${ratio}  statuses ${JSON.stringify(fig.statusCodes)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRegistries(process.argv.slice(2));
