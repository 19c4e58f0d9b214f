// Radio buttons and check boxes sit beside their words, on a phone and on a desktop (issue 15, item 6): the
// 44 px minimum height of inputs once made each radio a tall box its label's words fell below.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import type { App } from "../../src/platform/http/types.ts";
import { launchChromium, openPage } from "../helpers/browser.ts";
import { type TestEnv, testContext } from "../helpers/app.ts";

describe("choices beside their labels", () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;

  before(async () => {
    env = await testContext();
    app = await buildApp(env.ctx);
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await env?.close();
  });

  for (const width of [360, 1280]) {
    it(`the registration's Nam / Nữ at ${width} px: each radio on the first line of its label, left of its word`, async () => {
      const context = await browser.newContext({ locale: "vi-VN", viewport: { width, height: 800 } });
      try {
        const { page, errors } = await openPage(context);
        assert.equal((await page.goto(`${base}/dang-ky`))?.status(), 200);
        const boxes = await page.$$eval('input[type="radio"][name="sex"]', (radios) =>
          radios.map((radio) => {
            const label = radio.closest("label")!;
            const r = radio.getBoundingClientRect();
            const l = label.getBoundingClientRect();
            // Where the label's words begin: a range over its text after the radio.
            const range = document.createRange();
            range.setStartAfter(radio);
            range.setEndAfter(label.lastChild!);
            const t = range.getBoundingClientRect();
            return { radio: { x: r.x, y: r.y, w: r.width, h: r.height }, label: { y: l.y, h: l.height }, text: { x: t.x, y: t.y, h: t.height } };
          }),
        );
        assert.equal(boxes.length, 2);
        for (const b of boxes) {
          assert.ok(b.radio.h <= 24, `a small radio (${b.radio.h} px)`);
          assert.ok(b.radio.x + b.radio.w <= b.text.x, "the radio is left of its word");
          assert.ok(b.radio.y < b.text.y + b.text.h && b.text.y < b.radio.y + b.radio.h, "on the same line as its word");
          assert.ok(b.label.h >= 44, `the label stays a ≥ 44 px target (${b.label.h})`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
