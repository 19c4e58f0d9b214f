// The public lookup's throttle: per client address, the client's own behind the load balancers the operator
// names (MOTCUA_TRUSTED_PROXIES), and no one else can choose the address it is counted under. Each test spends
// the minutes of addresses of its own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";

const LIMIT = 3;

describe("public lookup throttle", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await testApp({ config: { lookupsPerMinute: LIMIT, trustedProxies: ["10.0.0.0/8"] } });
  });
  after(() => env.close());

  let n = 0;
  /** A lookup of a code nobody has (a 404 counts as much as a hit) from `remoteAddress`. */
  const lookup = (remoteAddress: string, forwardedFor?: string) =>
    env.app.inject({
      method: "GET",
      url: `/api/lookup/000.00.01.H06-261201-${String(++n).padStart(4, "0")}?key=AAAAAAAA`,
      remoteAddress,
      headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    });
  const statuses = async (times: number, from: () => ReturnType<typeof lookup>) => {
    const seen: number[] = [];
    for (let i = 0; i < times; i++) seen.push((await from()).statusCode);
    return seen;
  };

  it("allows an address its lookups a minute, then answers 429 with when to come back", async () => {
    assert.deepEqual(await statuses(LIMIT, () => lookup("203.0.113.5")), [404, 404, 404]);
    const refused = await lookup("203.0.113.5");
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, "dossier.lookup_throttled");
    assert.ok(Number(refused.headers["retry-after"]) > 0, "Retry-After says when");
  });

  it("counts each client behind a trusted proxy on its own, not the proxy's one address", async () => {
    assert.deepEqual(await statuses(LIMIT, () => lookup("10.1.2.3", "198.51.100.7")), [404, 404, 404]);
    assert.equal((await lookup("10.1.2.3", "198.51.100.7")).statusCode, 429);
    // Another citizen through the same balancer has a minute of their own.
    assert.deepEqual(await statuses(LIMIT, () => lookup("10.1.2.3", "198.51.100.8")), [404, 404, 404]);
  });

  it("lets exactly the limit through when an address's lookups arrive at once", async () => {
    const answers = await Promise.all(Array.from({ length: LIMIT + 3 }, () => lookup("203.0.113.77")));
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [...Array(LIMIT).fill(404), 429, 429, 429]);
  });

  it("ignores X-Forwarded-For from anyone but a trusted proxy", async () => {
    // A client spends its minute through the balancer, and a direct caller spends its own.
    assert.deepEqual(await statuses(LIMIT, () => lookup("10.1.2.3", "198.51.100.17")), [404, 404, 404]);
    assert.deepEqual(await statuses(LIMIT, () => lookup("203.0.113.15")), [404, 404, 404]);
    // A direct caller naming the spent client is still counted as itself, and one who is spent cannot start
    // afresh by naming another.
    assert.equal((await lookup("203.0.113.9", "198.51.100.17")).statusCode, 404);
    assert.equal((await lookup("203.0.113.15", "192.0.2.44")).statusCode, 429);
  });
});
