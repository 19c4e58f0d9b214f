// Phones first (issue 15, items 1 and 8): every page of the portal and the office — signed out, as a citizen, and as
// the officers of a dossier in each main state — fits a 360 × 740 phone with no sideways scroll, axe finds nothing
// there, touch targets are at least 44 px, and the menu is collapsed behind a button that opens without JavaScript;
// at 1,280 px nothing scrolls sideways either. The main pages are photographed at both widths into
// MOTCUA_SCREENSHOTS_DIR (test-output/screenshots by default), so a reviewer can look without running anything.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import { holidaysSeed } from "../../src/modules/calendar/index.ts";
import { adminUnitsSeed } from "../../src/modules/directory/seeds.ts";
import {
  actorOf,
  apiAs,
  buildProvincialProcedure,
  buildTwoSignaturesProcedure,
  type DossierSetting,
  dossierSetting,
  fileDossier,
  publishProcedures,
  type Stage,
  STAGES,
} from "../../src/modules/dossiers/testing.ts";
import { formBrowser, signInThroughPages, type TestAccount } from "../../src/modules/identity/testing.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import { insertLookup } from "../../src/modules/registries/repo.ts";
import type { ProcedureContent } from "../../src/modules/catalog/index.ts";
import type { App } from "../../src/platform/http/types.ts";
import { type TestEnv, testContext } from "../helpers/app.ts";
import { axeProblems, launchChromium, openPage } from "../helpers/browser.ts";
import { freePort } from "../helpers/net.ts";

/** Where the screenshots go: CI sets it (.ci/run); test-output/ is ignored by git. */
const SCREENSHOTS = path.resolve(process.env.MOTCUA_SCREENSHOTS_DIR || "test-output/screenshots");
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
/** WCAG 2.5.5 (target size, enhanced): 44 × 44 CSS pixels. */
const TARGET = 44;

type Who = "visitor" | "citizen" | "receiver" | "specialist" | "leader" | "chairman" | "supervisor" | "admin";

interface Visit {
  who: Who;
  path: string;
  /** The file name of its screenshots (`NAME-360.png`, `NAME-1280.png`) when it is a main page. */
  shot?: string;
  status?: number;
}

/** The controls a finger aims at (buttons, fields, the menu, header and tab links) that are smaller than 44 px. */
function smallTargets(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    const selector = [
      "button",
      "select",
      "summary",
      "input:not([type=hidden]):not([type=radio]):not([type=checkbox])",
      "label:has(> input[type=radio])",
      "label:has(> input[type=checkbox])",
      ".button",
      ".site-header a",
      ".tabs a",
      ".pager a",
    ].join(",");
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown (a closed menu, a hidden field)
      if (el.closest(".skip-link") || el.classList.contains("skip-link")) continue;
      if (box.height < min - 0.5 || box.width < min - 0.5) {
        out.push(`${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return out;
  }, min);
}

describe("phones first: every page at 360 px and at 1,280 px", () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let s: DossierSetting;
  const visits: Visit[] = [];
  /** Each signed-in party's cookies, from a sign-in through the pages. */
  const cookies = new Map<Who, Map<string, string>>();
  const contexts: BrowserContext[] = [];

  before(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = await testContext({ config: { publicUrl: base } });
    await runSeeds(env.database, [holidaysSeed(), adminUnitsSeed()], { demo: true });
    s = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu lý lịch tư pháp" }));
    const at = new Map<Stage, string>();
    let lookup = "";
    for (const stage of STAGES) {
      const d = await fileDossier(env.ctx, s, procedure, { stage });
      at.set(stage, d.id);
      if (stage === "returned") lookup = `/tra-cuu?ma=${encodeURIComponent(d.code!)}&khoa=${encodeURIComponent(d.lookupKey!)}`;
    }
    app = await buildApp(env.ctx);
    await app.listen({ port, host: "127.0.0.1" });
    // A decision that goes up to the province's chairman (two signatures): at the chairman's step, every action
    // a leader may take is on the page.
    const two = await publishProcedures(env.ctx, buildTwoSignaturesProcedure(s.place));
    const decision = (await fileDossier(env.ctx, s, two, { stage: "received" })).id;
    const api = apiAs(app);
    for (const [who, action] of [[s.cast.specialist, "forward"], [s.cast.leader, "forward"], [s.cast.leader, "approve"]] as const) {
      const res = await api(who, "POST", `/api/dossiers/${decision}/actions/${action}`, {});
      assert.equal(res.statusCode, 200, res.body);
    }

    // Personal-data rights (registries): a request and a breach on the pages.
    assert.equal((await api(s.cast.citizen, "POST", "/api/me/data-requests", { kind: "correct", detail: "Sai địa chỉ thường trú trên tài khoản", agencyCode: s.place.centre })).statusCode, 201);
    const breach = { discoveredAt: new Date().toISOString(), description: "Danh sách người nộp hồ sơ gửi nhầm địa chỉ thư", subjects: "Người nộp hồ sơ tháng 11" };
    assert.equal((await api(s.cast.supervisor, "POST", "/api/data-breaches", breach)).statusCode, 201);

    const accounts: Record<Exclude<Who, "visitor">, TestAccount> = {
      citizen: s.cast.citizen,
      receiver: s.cast.receiver,
      specialist: s.cast.specialist,
      leader: s.cast.leader,
      chairman: s.cast.chairman,
      supervisor: s.cast.supervisor,
      admin: s.cast.admin,
    };
    for (const [who, account] of Object.entries(accounts) as Array<[Who, TestAccount]>) {
      const b = await formBrowser(app);
      await signInThroughPages(env.ctx, b, account.username, account.password);
      cookies.set(who, b.cookies);
    }

    // Once-only (issue 18): a procedure whose form reads the population registry, a citizen's draft with fields
    // filled from it (the consent box, the marks), a counter draft with the officer's verification form, and
    // look-ups of the citizen's data for "Ai đã xem dữ liệu của tôi".
    const record = (JSON.parse(fs.readFileSync(new URL("../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === "1.900201")!;
    const onceOnly = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp Phiếu lý lịch tư pháp (điền sẵn)", form: record.form, components: record.components }));
    const citizenActor = actorOf(env.ctx, s.cast.citizen);
    const prefilled = (await env.ctx.dossiers.create(citizenActor, { procedureCode: onceOnly.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() })).dossier.id;
    await env.ctx.dossiers.applyRegistryPrefill(citizenActor, prefilled, {
      marks: { hoTen: { source: "population", field: "fullName", value: "Nguyễn Thị Mai", authoritative: true }, noiThuongTru: { source: "population", field: "permanentResidence", value: "Số 1 phố Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh", authoritative: true } },
      registries: [],
    });
    const counterDraft = (
      await env.ctx.dossiers.create(actorOf(env.ctx, s.cast.receiver), {
        procedureCode: onceOnly.code,
        agencyCode: s.place.centre,
        applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: s.cast.citizen.username },
        formData: { hoTen: "Nguyễn Thị Mai" },
        requestId: randomUUID(),
      })
    ).dossier.id;
    for (const [i, purpose] of ["Đối chiếu thông tin người nộp khi tiếp nhận hồ sơ cấp Phiếu lý lịch tư pháp", "Điền sẵn tờ khai hồ sơ theo đồng ý của người nộp"].entries()) {
      await insertLookup(env.database.db, {
        at: new Date(Date.now() - i * 3_600_000),
        actor: `user:${i ? s.cast.citizen.id : s.cast.receiver.id}`,
        actorName: i ? "Nguyễn Thị Mai" : "Trần Văn Tiếp",
        agencyCode: i ? null : s.place.centre,
        registry: "population",
        subjectType: "citizen",
        subjectId: s.cast.citizen.username,
        fields: ["cccd", "fullName", "birthDate", "sex", "nationality", "permanentResidence", "currentResidence", "maritalStatus", "household"],
        purpose,
        legalBasis: "Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước",
        dossierId: counterDraft,
        outcome: "ok",
        requestId: null,
      });
    }

    const dossier = (stage: Stage) => at.get(stage)!;
    const provinceCode = (await env.ctx.directory.agency(s.place.province)).provinceCode!;
    visits.push(
      { who: "visitor", path: "/", shot: "portal-home" },
      { who: "visitor", path: "/office", shot: "office-home-signed-out" },
      { who: "visitor", path: "/ngay-nghi?year=2026", shot: "days-off" },
      { who: "visitor", path: "/thu-tuc", shot: "catalogue-search" },
      { who: "visitor", path: "/thu-tuc?q=ly+lich+tu+phap" },
      { who: "visitor", path: "/thu-tuc?q=qwzx" },
      { who: "visitor", path: `/thu-tuc/${procedure.code}`, shot: "procedure" },
      { who: "visitor", path: "/tra-cuu" },
      { who: "visitor", path: lookup, shot: "lookup-result" },
      { who: "visitor", path: "/dang-nhap", shot: "sign-in" },
      { who: "visitor", path: "/dang-ky", shot: "register" },
      { who: "visitor", path: "/dang-ky/doanh-nghiep" },
      { who: "visitor", path: "/quen-mat-khau" },
      { who: "visitor", path: "/khong-co-trang-nay", status: 404 },
      { who: "citizen", path: "/" },
      { who: "citizen", path: "/ho-so-cua-toi", shot: "my-dossiers" },
      { who: "citizen", path: `/nop-ho-so/${procedure.code}`, shot: "filing-start" },
      { who: "citizen", path: `/ho-so-cua-toi/${dossier("draft")}`, shot: "my-dossier-draft" },
      { who: "citizen", path: `/ho-so-cua-toi/${dossier("filed")}` },
      { who: "citizen", path: `/ho-so-cua-toi/${dossier("received")}` },
      { who: "citizen", path: `/ho-so-cua-toi/${dossier("returned")}`, shot: "my-dossier-returned" },
      { who: "citizen", path: "/kho-du-lieu", shot: "data-store" },
      { who: "citizen", path: `/ho-so-cua-toi/${prefilled}`, shot: "my-dossier-registry-prefill" },
      { who: "citizen", path: "/ai-da-xem-du-lieu-cua-toi", shot: "data-tracker" },
      { who: "receiver", path: `/office/ho-so/${counterDraft}`, shot: "office-dossier-registry-verify" },
      { who: "citizen", path: "/tai-khoan", shot: "account" },
      { who: "citizen", path: "/quyen-du-lieu", shot: "data-rights" },
      { who: "receiver", path: "/office", shot: "office-home" },
      ...(["new", "processing", "supplement", "due_soon", "overdue", "finished", "returned"] as const).map((q) => ({
        who: "receiver" as const,
        path: `/office/ho-so?hang-doi=${q}`,
        ...(q === "new" ? { shot: "office-queue" } : {}),
      })),
      { who: "receiver", path: `/office/ho-so/${dossier("filed")}`, shot: "office-dossier-filed" },
      { who: "receiver", path: `/office/ho-so/${dossier("approved")}`, shot: "office-dossier-at-return" },
      { who: "receiver", path: `/office/ho-so/${dossier("finished")}` },
      { who: "receiver", path: `/office/ho-so/${dossier("returned")}`, shot: "office-dossier-returned" },
      { who: "receiver", path: "/office/tiep-nhan/moi", shot: "counter-intake" },
      { who: "receiver", path: `/office/tiep-nhan/moi?thu-tuc=${procedure.code}` },
      { who: "receiver", path: "/tai-khoan" },
      { who: "specialist", path: `/office/ho-so/${dossier("received")}`, shot: "office-dossier-examined" },
      { who: "leader", path: `/office/ho-so/${dossier("forwarded")}`, shot: "office-dossier-to-sign" },
      { who: "chairman", path: `/office/ho-so/${decision}`, shot: "office-dossier-chairman" },
      { who: "supervisor", path: "/office/ho-so?hang-doi=processing" },
      { who: "supervisor", path: `/office/ho-so/${dossier("forwarded")}` },
      { who: "supervisor", path: "/office/bao-ve-du-lieu", shot: "data-protection" },
      { who: "supervisor", path: "/office/tra-cuu-bat-thuong" },
      { who: "leader", path: "/office/chi-so", shot: "kpi-dashboard" },
      { who: "leader", path: "/office/chi-so/ho-so/received?ky=2026", shot: "kpi-dossiers-behind" },
      { who: "supervisor", path: `/office/chi-so?tinh=${provinceCode}`, shot: "kpi-province" },
      { who: "visitor", path: `/chi-so/${provinceCode}`, shot: "kpi-scorecard" },
      { who: "admin", path: "/quan-tri/thu-tuc", shot: "catalogue-admin" },
      { who: "admin", path: `/quan-tri/thu-tuc/${procedure.code}`, shot: "procedure-draft" },
      { who: "admin", path: `/quan-tri/thu-tuc/${procedure.code}/so-sanh?from=1&to=1` },
      { who: "admin", path: "/quan-tri/tai-khoan", shot: "accounts-admin" },
      { who: "admin", path: "/quan-tri/tai-khoan/moi" },
      { who: "admin", path: `/quan-tri/tai-khoan/${s.cast.specialist.id}` },
    );
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
    await env?.close();
  });

  /** A browser context of `who` (their session's cookies) on a screen of `viewport`. */
  const contextOf = async (who: Who, viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<BrowserContext> => {
    const phone = viewport.width < 600;
    const context = await browser.newContext({ locale: "vi-VN", viewport, isMobile: phone, hasTouch: phone, javaScriptEnabled });
    contexts.push(context);
    const jar = cookies.get(who);
    if (jar) {
      // The provider's session, then the portal's and the office's own, through their sign-in (no form: signed in).
      await context.addCookies([...jar].map(([name, value]) => ({ name, value, url: base })));
      const page = await context.newPage();
      for (const [signIn, home] of [["/auth/dang-nhap?next=%2F", `${base}/`], ["/office/auth/dang-nhap?next=%2Foffice", `${base}/office`]] as const) {
        await page.goto(`${base}${signIn}`);
        await page.waitForURL(home);
      }
      await page.close();
    }
    return context;
  };

  /** The document's width, the layout viewport's, and the innermost elements that reach past `width` (what to fix). */
  const widthOf = (page: Page, width: number) =>
    page.evaluate((width) => {
      const past = Array.from(document.body.querySelectorAll<HTMLElement>("*")).filter((el) => el.getBoundingClientRect().right > width + 0.5);
      const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        culprits: innermost.slice(0, 3).map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).replace(/ /g, ".")}` : ""} (${Math.round(el.getBoundingClientRect().right)})`),
      };
    }, width);

  for (const viewport of [PHONE, DESKTOP]) {
    it(`no page scrolls sideways at ${viewport.width} px${viewport === PHONE ? "; axe finds nothing, targets are 44 px, the menu is collapsed" : ""}`, async () => {
      const problems: string[] = [];
      const seen = new Set<Who>();
      for (const who of [...new Set(visits.map((v) => v.who))]) {
        const context = await contextOf(who, viewport);
        for (const visit of visits.filter((v) => v.who === who)) {
          const { page, errors } = await openPage(context);
          const res = await page.goto(`${base}${visit.path}`);
          const where = `${who} ${visit.path}`;
          assert.equal(res?.status(), visit.status ?? 200, where);
          await page.waitForLoadState("load");
          if (who !== "visitor") {
            assert.ok(!new URL(page.url()).pathname.startsWith("/dang-nhap"), `${where}: sent to sign in`);
            assert.equal(await page.locator(".viewer__sign-in").count(), 0, `${where}: signed in`);
          }
          // A phone's browser widens its layout viewport to a page wider than the screen: both are measured.
          const { scrollWidth, innerWidth, culprits } = await widthOf(page, viewport.width);
          if (Math.max(scrollWidth, innerWidth) > viewport.width) {
            problems.push(`${where}: ${Math.max(scrollWidth, innerWidth)} px wide on a ${viewport.width} px screen (${culprits.join(", ")})`);
          }
          if (viewport === PHONE) {
            for (const p of await axeProblems(page, { all: true })) problems.push(`${where}: axe ${p}`);
            for (const p of await smallTargets(page, TARGET)) problems.push(`${where}: small target ${p}`);
            // The menu: its button shows, its links do not until it is opened.
            if (!seen.has(who)) {
              seen.add(who);
              assert.ok(await page.locator(".site-nav summary").isVisible(), `${where}: the menu button shows`);
              assert.equal(await page.locator(".site-nav li a").first().isVisible(), false, `${where}: the menu is collapsed`);
              const header = await page.locator(".site-header").boundingBox();
              if (!header || header.height > 200) problems.push(`${where}: the header takes ${header?.height} px of 740`);
            }
          } else {
            assert.equal(await page.locator(".site-nav summary").isVisible(), false, `${where}: no menu button on a wide screen`);
            assert.ok(await page.locator(".site-nav li a").first().isVisible(), `${where}: the menu's links show on a wide screen`);
          }
          if (visit.shot) await page.screenshot({ path: path.join(SCREENSHOTS, `${visit.shot}-${viewport.width}.png`), fullPage: true });
          // A page that answers 404 is logged by the browser as a resource that failed; nothing else may be.
          assert.deepEqual(visit.status === 404 ? errors.filter((e) => !/status of 404/.test(e)) : errors, [], where);
          await page.close();
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it("the menu opens and leads on without JavaScript, from a button with a name and a visible focus", async () => {
    for (const who of ["visitor", "receiver"] as const) {
      const context = await contextOf(who, PHONE, false);
      const { page, errors } = await openPage(context);
      const home = who === "visitor" ? "/" : "/office";
      await page.goto(`${base}${home}`);
      const toggle = page.locator(".site-nav summary");
      assert.equal((await toggle.innerText()).trim(), "Menu");
      const link = page.locator(".site-nav").getByRole("link", { name: who === "visitor" ? "Thủ tục hành chính" : "Hồ sơ cần xử lý" });
      assert.equal(await link.isVisible(), false, "collapsed at first");
      // Reached by the keyboard: the skip link, the brand, the header's tools, then the menu's button.
      await toggle.focus();
      const focus = await toggle.evaluate((el) => {
        const style = getComputedStyle(el);
        return { outline: style.outlineStyle, width: style.outlineWidth, active: document.activeElement === el };
      });
      assert.deepEqual(focus, { outline: "solid", width: "3px", active: true });
      await page.keyboard.press("Enter");
      assert.ok(await link.isVisible(), "opened by the keyboard");
      await page.keyboard.press("Enter");
      assert.equal(await link.isVisible(), false, "closed again");
      await toggle.click();
      assert.ok(await link.isVisible(), "opened by a tap");
      await Promise.all([page.waitForURL(who === "visitor" ? `${base}/thu-tuc` : /\/office\/ho-so/), link.click()]);
      assert.deepEqual(errors, []);
    }
  });
});
