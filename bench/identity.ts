// Identity throughput (issue 3, item 13), in one run:
// - argon2id verifications per second in this process (the raw cost every password sign-in pays);
// - complete sign-ins per second: sign-in page, password, authorization code + PKCE through /oidc,
//   code exchanged at the token endpoint (a fetch-driven flow: several requests per sign-in, so not
//   autocannon), with its ratio to the raw argon2 rate;
// - token validations per second on a protected endpoint (GET /api/me with a bearer token, autocannon),
//   with its ratio to /healthz measured on the same server.
import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { type Figure, measure, medianFigure, parseArgs, report, startServer } from "./lib/harness.ts";

const PASSWORD = "motcua-demo-2026";

/** argon2id verifications per second with motcua's parameters, `concurrency` at a time. */
async function argon2Rate(seconds: number, concurrency: number): Promise<number> {
  const stored = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await verify(stored, PASSWORD);
        done += 1;
      }
    }),
  );
  return done / seconds;
}

class Jar {
  private cookies = new Map<string, string>();
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

/** One complete sign-in of the demo citizen through the pages and the code flow; throws on any surprise. */
async function signInFlow(base: string): Promise<void> {
  const jar = new Jar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers ?? {}), cookie: jar.header() } });
    jar.keep(res);
    return res;
  };
  await (await go(`${base}/dang-nhap`)).arrayBuffer();
  const login = await go(`${base}/dang-nhap`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: jar.get("motcua_csrf") ?? "", username: "001199000001", password: PASSWORD, next: "/" }),
  });
  if (login.status !== 303) throw new Error(`sign-in answered ${login.status}`);
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const redirectUri = `${base}/bench/callback`;
  let url = `${base}/oidc/auth?${new URLSearchParams({ client_id: "bench-rp", response_type: "code", scope: "openid", redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: "S256", nonce: randomBytes(8).toString("hex") })}`;
  for (let i = 0; i < 8 && !url.startsWith(redirectUri); i++) {
    const res = await go(url);
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (!location) throw new Error(`no redirect from ${url}: ${res.status}`);
    url = new URL(location, url).href;
  }
  const code = new URL(url).searchParams.get("code");
  if (!code) throw new Error(`no code in ${url}`);
  const token = await fetch(`${base}/oidc/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: "bench-rp", code_verifier: verifier }),
  });
  const body = (await token.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`token endpoint answered ${token.status}`);
}

async function flowRate(base: string, seconds: number, concurrency: number): Promise<{ rate: number; failures: number }> {
  let done = 0;
  let failures = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        try {
          await signInFlow(base);
          done += 1;
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return { rate: done / seconds, failures };
}

export async function benchIdentity(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  // `--only=tokens` measures the bearer calls alone (`--rounds=3`: medians, healthz and /api/me alternating).
  const onlyTokens = get("only") === "tokens";
  const rounds = Number(get("rounds") ?? 1);
  const flowConcurrency = 8;
  const raw = onlyTokens ? 0 : await argon2Rate(duration, flowConcurrency);
  if (!onlyTokens) console.log(`${"argon2id verify, in process (baseline)".padEnd(44)} ${raw.toFixed(1).padStart(7)} /s  (concurrency ${flowConcurrency})`);
  for (const db of dbs) {
    const server = await startServer("motcua", db, pgUrl, { MOTCUA_BENCH_IDENTITY: "1" });
    if (!onlyTokens) {
      const flows = await flowRate(server.url, duration, flowConcurrency);
      console.log(
        `${`sign-ins (code + PKCE) on ${db}`.padEnd(44)} ${flows.rate.toFixed(1).padStart(7)} /s  ratio=${(flows.rate / raw).toFixed(3)} (vs argon2id verify)${flows.failures ? ` failures=${flows.failures}` : ""}`,
      );
    }
    // The bearer token's account and roles are kept by the node (until a change to it is signalled), so an API
    // client's call costs about what /healthz does, which reads the database once.
    const healths: Figure[] = [];
    const mes: Figure[] = [];
    for (let r = 0; r < rounds; r++) {
      healths.push(await measure({ url: `${server.url}/healthz`, connections, duration }));
      mes.push(await measure({ url: `${server.url}/api/me`, connections, duration, headers: { authorization: `Bearer ${server.token}` } }));
    }
    await server.stop();
    const suffix = rounds > 1 ? `, median of ${rounds}` : "";
    const health = medianFigure(healths);
    report(`healthz on ${db} (baseline${suffix})`, health);
    report(`token validations (GET /api/me) on ${db}${suffix}`, medianFigure(mes), { name: "healthz", fig: health });
    if (rounds > 1) console.log(`  ratio per round: ${mes.map((m, i) => (m.rps / healths[i]!.rps).toFixed(2)).join(", ")}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIdentity(process.argv.slice(2));
