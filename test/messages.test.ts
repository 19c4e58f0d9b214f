// Every text table the app registers (the web kit's and each module's `messages`): each key in Vietnamese and
// English, both filled, with the same `{parameters}`, and no key defined by two tables.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { MODULES } from "../src/modules.ts";
import { messagesOf } from "../src/platform/compose.ts";
import { catalogueOf } from "../src/web/i18n.ts";

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the registered text tables", () => {
  // What src/app.ts registers: the kit's table first, then the modules', in the modules' order.
  const { tables } = catalogueOf(messagesOf(MODULES));

  it("include the kit's and the modules' tables, no key defined twice", () => {
    assert.ok(tables.length >= 2, `${tables.length} tables`);
    const calendar = MODULES.find((m) => m.name === "calendar")!.spec.messages;
    assert.ok(calendar && tables.includes(calendar), "the calendar's text is registered");
  });

  it("have every key in both languages, filled, with the same parameters", () => {
    for (const table of tables) {
      assert.deepEqual(Object.keys(table.en).sort(), Object.keys(table.vi).sort());
      for (const key of Object.keys(table.vi)) {
        const vi = table.vi[key]!;
        const en = table.en[key]!;
        assert.ok(vi.trim() && en.trim(), key);
        assert.equal(vi, vi.normalize("NFC"), `${key}: Vietnamese as people type it (NFC)`);
        assert.deepEqual(params(vi), params(en), key);
      }
    }
  });

  it("call the second factor one name everywhere people read it: xác thực hai bước (issue 15, item 6)", () => {
    // The pages, the error messages and the mails are written in the sources (tables, defineError, tr()).
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");
    const offenders = (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .filter((f) => /hai lớp|two-factor|2FA/i.test(fs.readFileSync(path.join(root, f), "utf8")));
    assert.deepEqual(offenders, []);
    for (const table of tables) for (const text of Object.values(table.vi)) assert.doesNotMatch(text, /hai lớp/);
  });
});
