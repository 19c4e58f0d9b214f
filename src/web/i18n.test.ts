// One text system: `tr` for text written where it is shown, tables of keys for the kit's and the modules'
// text, registered by the app so the kit's translator knows them all.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Fastify from "fastify";
import { PUBLIC } from "../platform/http/access.ts";
import type { App } from "../platform/http/types.ts";
import { catalogueOf, defineMessages, kitMessages, tr, translator } from "./i18n.ts";
import { pageRequest } from "./render.ts";
import { registerMessages } from "./routes.tsx";

/** A module's table, as a module declares it. */
const probeMessages = defineMessages({
  vi: { "probe.greeting": "Xin chào {name}", "probe.count": "{count} hồ sơ" },
  en: { "probe.greeting": "Hello {name}", "probe.count": "{count} dossiers" },
});

describe("the pages' text", () => {
  it("says `tr` text in the page's language", () => {
    assert.equal(tr({ lang: "vi" }, "Hồ sơ", "Dossier"), "Hồ sơ");
    assert.equal(tr({ lang: "en" }, "Hồ sơ", "Dossier"), "Dossier");
  });

  it("gives a module's pages a translator of its own keys, with the parameters filled in", () => {
    assert.equal(probeMessages.of({ lang: "vi" })("probe.greeting", { name: "Mai" }), "Xin chào Mai");
    assert.equal(probeMessages.of({ lang: "en" })("probe.count", { count: 3 }), "3 dossiers");
    // A parameter not given stays as written, visibly.
    assert.equal(probeMessages.of({ lang: "en" })("probe.greeting"), "Hello {name}");
  });

  it("lets the kit's page.t say every registered table's keys, and only those", async () => {
    const app = Fastify() as unknown as App;
    registerMessages(app, [probeMessages]);
    app.get("/", { config: { access: PUBLIC } }, async (request) => {
      const { t } = pageRequest(request);
      return { module: t("probe.greeting" as never, { name: "Mai" }), kit: t("notFound.home") };
    });
    const res = await app.inject({ url: "/?lang=vi" });
    assert.deepEqual(res.json(), { module: "Xin chào Mai", kit: "Về trang chủ" });
    // Without the table, the key shows as itself rather than failing the page.
    assert.equal(translator("vi")("probe.greeting" as never), "probe.greeting");
    await app.close();
  });

  it("refuses a key two tables define, and a table that lacks a key in one language", () => {
    const again = defineMessages({ vi: { "probe.count": "Số hồ sơ" }, en: { "probe.count": "Dossiers" } });
    assert.throws(() => catalogueOf([probeMessages, again]), /the key "probe\.count" is defined twice/);
    assert.throws(() => catalogueOf([kitMessages]), /the key "site\.name" is defined twice/);
    assert.throws(() => catalogueOf([{ vi: { "probe.only": "Chỉ tiếng Việt" }, en: {} }]), /"probe\.only" is not in both languages/);
  });
});
