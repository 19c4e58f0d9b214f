// The catalogue through its API: drafts, publishing with every problem listed, immutable versions that
// dossiers bind to, who may change what, and the national interchange shape.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildOfficer } from "../identity/testing.ts";
import type { ProcedureContent } from "./model.ts";
import { buildProcedure } from "./testing.ts";

describe("catalogue", () => {
  let env: TestEnv & { app: App };
  // A province with two wards that implement procedures; who acts, by their part: the province's administrator,
  // a ward's administrator, the province's supervisor, a receiving officer and the system administrator.
  let ward: AgencyDto;
  let otherWard: AgencyDto;
  const tokens = new Map<string, string>();
  before(async () => {
    env = await testApp();
    const province = await buildAgency(env.ctx);
    const departments = ["tiep-nhan", "van-hoa-xa-hoi", "van-phong"];
    ward = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    otherWard = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    await env.ctx.identity.createOfficer(systemActor("test"), {
      username: "quantri.phuong",
      fullName: "Quản trị phường",
      agencyCode: ward.code,
      roles: [{ role: "agency_admin" }],
      password: "mat-khau-rat-dai-2026",
    });
    tokens.set("wardAdmin", await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "quantri.phuong", 3600));
    const accounts = {
      provinceAdmin: await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] }),
      supervisor: await buildOfficer(env.ctx, { agency: province, roles: ["supervisor"] }),
      receiver: await buildOfficer(env.ctx, { agency: ward, department: "tiep-nhan", roles: ["receiver"] }),
      admin: await buildOfficer(env.ctx, { agency: province, roles: ["system_admin"] }),
    };
    for (const [who, account] of Object.entries(accounts)) tokens.set(who, await account.token());
  });
  after(() => env.close());

  /** A publishable procedure of the ward. */
  const procedure = (overrides: Partial<ProcedureContent> = {}) => buildProcedure({ agencies: [ward.code], ...overrides });

  const call = (method: "GET" | "POST" | "PUT", url: string, who?: string, payload?: unknown) =>
    env.app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${tokens.get(who)}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function published(p: ProcedureContent): Promise<ProcedureContent> {
    assert.equal((await call("POST", "/api/procedures", "provinceAdmin", p)).statusCode, 201);
    const res = await call("POST", `/api/procedures/${p.code}/publish`, "provinceAdmin");
    assert.equal(res.statusCode, 200, res.body);
    return p;
  }

  it("creates a draft, retries by requestId without a second one, and lists it only once published", async () => {
    const p = procedure({ name: "Đăng ký thử nghiệm tạo mới" });
    const requestId = randomUUID();
    const first = await call("POST", "/api/procedures", "provinceAdmin", { ...p, requestId });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().status, "draft");
    assert.equal(first.json().version, 1);
    const retry = await call("POST", "/api/procedures", "provinceAdmin", { ...p, requestId });
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().version, 1);
    // Another create of the same code without the request id is a conflict.
    const again = await call("POST", "/api/procedures", "provinceAdmin", p);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "catalog.procedure_exists");

    assert.equal((await call("GET", `/api/procedures/${p.code}`)).statusCode, 404);
    assert.equal((await call("GET", `/api/procedures?q=${encodeURIComponent("tạo mới")}`)).json().items.length, 0);
    // The draft is not public.
    assert.equal((await call("GET", `/api/procedures/${p.code}/versions/1`)).statusCode, 404);
    assert.equal((await call("GET", `/api/procedures/${p.code}/versions/1`, "supervisor")).statusCode, 200);

    const pub = await call("POST", `/api/procedures/${p.code}/publish`, "provinceAdmin");
    assert.equal(pub.statusCode, 200, pub.body);
    assert.equal(pub.json().status, "published");
    const got = await call("GET", `/api/procedures/${p.code}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().name, "Đăng ký thử nghiệm tạo mới");
    assert.deepEqual(got.json().steps, p.steps);
    const found = (await call("GET", `/api/procedures?q=${encodeURIComponent("tạo mới")}`)).json();
    assert.deepEqual(found.items.map((i: { code: string }) => i.code), [p.code]);
    assert.deepEqual(found.items[0].fees, [{ name: "Lệ phí", kind: "fee", amount: 10000, channel: null }]);
  });

  it("refuses to publish with every problem listed by its path, and publishes nothing", async () => {
    const good = procedure();
    const p = procedure({
      components: [good.components[0]!, { ...good.components[1]!, key: "to-khai", shownOnly: true, replacedByEForm: true }],
      fees: [{ ...good.fees[0]!, amount: -5 }],
      steps: good.steps.map((s, i) => (i === 1 ? { ...s, hours: 13, department: "khong-co" } : s)),
      form: { ...good.form, schema: { ...good.form.schema, properties: { ...(good.form.schema.properties as object), x: { type: "strin" } } } },
      agencies: [ward.code, "000.00.99.H06"],
    });
    assert.equal((await call("POST", "/api/procedures", "admin", p)).statusCode, 201);
    const validation = await call("GET", `/api/procedures/${p.code}/draft/validation`, "admin");
    assert.equal(validation.statusCode, 200);
    assert.equal(validation.json().valid, false);

    const res = await call("POST", `/api/procedures/${p.code}/publish`, "admin");
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "catalog.not_publishable");
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    for (const path of ["/components/1/key", "/components/1/shownOnly", "/fees/0/amount", "/steps", "/form/schema", "/agencies/1", "/steps/1/department"]) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(", ")}`);
    }
    assert.deepEqual(validation.json().problems.map((f: { path: string }) => f.path).sort(), [...paths].sort());
    assert.equal((await call("GET", `/api/procedures/${p.code}`)).statusCode, 404);
    assert.equal((await call("GET", `/api/procedures/${p.code}/versions`, "admin")).json().items[0].status, "draft");

    // A form whose labels or order do not match its schema is refused too.
    const q = procedure();
    q.form.ui.order = ["hoTen", "hoTen", "khac"];
    q.form.ui.subject = ["hoTen", "tenTre"];
    delete (q.form.ui.fields as Record<string, unknown>).soCccd;
    assert.equal((await call("POST", "/api/procedures", "admin", q)).statusCode, 201);
    const bad = await call("POST", `/api/procedures/${q.code}/publish`, "admin");
    const qpaths = bad.json().error.fields.map((f: { path: string }) => f.path);
    assert.deepEqual(qpaths.sort(), ["/form/ui/fields/soCccd", "/form/ui/order", "/form/ui/order", "/form/ui/order/1", "/form/ui/order/2", "/form/ui/subject/1"].sort());
  });

  it("keeps published versions unchanged: an edit starts the next version, a dossier binds to the one in force", async () => {
    const p = await published(procedure({ name: "Cấp giấy xác nhận thử nghiệm" }));
    const v1At = env.ctx.clock.now();
    const edited = { ...p, name: "Cấp giấy xác nhận thử nghiệm (sửa đổi)", fees: [{ ...p.fees[0]!, amount: 20000 }] };
    const put = await call("PUT", `/api/procedures/${p.code}`, "provinceAdmin", edited);
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().version, 2);
    assert.equal(put.json().status, "draft");
    // Saving again edits the same draft.
    assert.equal((await call("PUT", `/api/procedures/${p.code}`, "provinceAdmin", edited)).json().version, 2);

    // Until version 2 is published, the public and new dossiers see version 1.
    assert.equal((await call("GET", `/api/procedures/${p.code}`)).json().version, 1);
    assert.equal((await env.ctx.catalog.inForce(p.code)).version, 1);

    const diff = await call("GET", `/api/procedures/${p.code}/diff?from=1&to=2`, "provinceAdmin");
    assert.equal(diff.statusCode, 200);
    assert.deepEqual(
      diff.json().changes.map((c: { path: string; before: unknown; after: unknown }) => [c.path, c.before, c.after]),
      [
        ["/name", "Cấp giấy xác nhận thử nghiệm", "Cấp giấy xác nhận thử nghiệm (sửa đổi)"],
        ["/fees/0/amount", 10000, 20000],
      ],
    );
    assert.match(diff.json().changes[1].section, /Phí, lệ phí «Lệ phí» — mức thu/);

    assert.equal((await call("POST", `/api/procedures/${p.code}/publish`, "provinceAdmin")).statusCode, 200);
    assert.equal((await call("GET", `/api/procedures/${p.code}`)).json().version, 2);
    const v1 = (await call("GET", `/api/procedures/${p.code}/versions/1`)).json();
    assert.equal(v1.name, "Cấp giấy xác nhận thử nghiệm");
    assert.equal(v1.fees[0].amount, 10000);
    // A dossier received between the two publications keeps version 1.
    assert.equal((await env.ctx.catalog.inForce(p.code, v1At)).version, 1);
    assert.equal((await env.ctx.catalog.inForce(p.code)).version, 2);
    // Publishing again without a draft is a conflict.
    assert.equal((await call("POST", `/api/procedures/${p.code}/publish`, "provinceAdmin")).json().error.code, "catalog.no_draft");

    // The database itself refuses to change or remove a published version.
    const refusedByTrigger = (err: Error & { cause?: Error }) => /published and cannot be changed/.test(err.cause?.message ?? err.message);
    await assert.rejects(
      env.database.db.execute(sql`UPDATE procedure_versions SET content = '{}'::jsonb WHERE procedure_code = ${p.code} AND version = 1`),
      refusedByTrigger,
    );
    await assert.rejects(env.database.db.execute(sql`DELETE FROM procedure_versions WHERE procedure_code = ${p.code}`), refusedByTrigger);
    assert.deepEqual(
      (await call("GET", `/api/procedures/${p.code}/versions`, "supervisor")).json().items.map((v: { version: number; status: string }) => [v.version, v.status]),
      [
        [1, "published"],
        [2, "published"],
      ],
    );
  });

  it("lets only administrators of every implementing agency change a procedure", async () => {
    // The ward's administrator may create the ward's own procedure…
    const own = procedure();
    assert.equal((await call("POST", "/api/procedures", "wardAdmin", own)).statusCode, 201);
    // …but not one the other commune applies too, nor move its own procedure to another agency.
    const shared = procedure({ agencies: [ward.code, otherWard.code] });
    const refused = await call("POST", "/api/procedures", "wardAdmin", shared);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, "catalog.forbidden");
    const moved = await call("PUT", `/api/procedures/${own.code}`, "wardAdmin", { ...own, agencies: [otherWard.code] });
    assert.equal(moved.statusCode, 403);
    // The province's administrator may publish it; a supervisor may read the draft's history but not write.
    assert.equal((await call("POST", `/api/procedures/${own.code}/publish`, "provinceAdmin")).statusCode, 200);
    assert.equal((await call("GET", `/api/procedures/${own.code}/versions`, "supervisor")).statusCode, 200);
    assert.equal((await call("PUT", `/api/procedures/${own.code}`, "supervisor", own)).statusCode, 403);
    assert.equal((await call("PUT", `/api/procedures/${own.code}`, "receiver", own)).statusCode, 403);
    assert.equal((await call("POST", "/api/procedures", undefined, own)).statusCode, 401);
    // A body whose code is not the path's is refused.
    const mismatch = await call("PUT", `/api/procedures/${own.code}`, "provinceAdmin", { ...own, code: "1.999998" });
    assert.equal(mismatch.statusCode, 400);
    assert.equal(mismatch.json().error.code, "catalog.code_mismatch");
  });

  it("exports the national shape and imports it back to the same procedure", async () => {
    const p = await published(procedure({ name: "Chứng thực thử nghiệm xuất nhập" }));
    const exported = await call("GET", `/api/procedures/${p.code}/export?format=dvcqg`);
    assert.equal(exported.statusCode, 200);
    const doc = exported.json();
    assert.equal(doc.MATTHC, p.code);
    assert.equal(doc.TENTTHC, "Chứng thực thử nghiệm xuất nhập");
    assert.deepEqual(doc.LINHVUCTHUCHIEN, [{ MALINHVUC: "TN", TENLINHVUC: "Thử nghiệm" }]);
    const counter = doc.CACHTHUCTHUCHIEN.find((c: { KENH: string }) => c.KENH === "Trực tiếp");
    assert.equal(counter.THOIGIAN[0].THOIGIANGIAIQUYET, 3);
    assert.equal(counter.THOIGIAN[0].DONVITINH, "Ngày làm việc");
    assert.equal(counter.THOIGIAN[0].PHILEPHI[0].SOTIEN, 10000);
    assert.equal(doc.THANHPHANHOSO[0].GIAYTO[0].TENGIAYTO, "Tờ khai theo mẫu");
    assert.equal(doc.CANCUPHAPLY[0].NGAYHIEULUC, "15/02/2025");
    assert.equal((await call("GET", `/api/procedures/${p.code}/export?format=xml`)).statusCode, 400);

    const imported = await call("POST", "/api/procedures/import", "provinceAdmin", doc);
    assert.equal(imported.statusCode, 200, imported.body);
    assert.deepEqual(imported.json().items, [{ code: p.code, version: 2, created: false }]);
    const draft = (await call("GET", `/api/procedures/${p.code}/draft`, "provinceAdmin")).json();
    const { version: _v, status: _s, createdAt: _c, updatedAt: _u, publishedAt: _p, ...content } = draft;
    assert.deepEqual(content, p);
    assert.deepEqual((await call("GET", `/api/procedures/${p.code}/diff?from=1&to=2`, "provinceAdmin")).json().changes, []);

    // A new code imports as a new procedure.
    const fresh = await call("POST", "/api/procedures/import", "provinceAdmin", [{ ...doc, MATTHC: "1.999001", TENTTHC: "Thủ tục nhập mới" }]);
    assert.deepEqual(fresh.json().items, [{ code: "1.999001", version: 1, created: true }]);
  });

  it("keeps a same-day time and a count from the next working day through publication and the national shape", async () => {
    const good = procedure();
    // A same-day time is stated as 1; only working days may count from the next working day.
    const bad = procedure({
      processingTimes: [
        { channel: "counter", amount: 2, unit: "same_day" },
        { channel: "online", amount: 1, unit: "hours", countFromNextDayAfterCutoff: true },
      ],
    });
    assert.equal((await call("POST", "/api/procedures", "admin", bad)).statusCode, 201);
    const refused = await call("POST", `/api/procedures/${bad.code}/publish`, "admin");
    assert.equal(refused.statusCode, 400);
    const paths = refused.json().error.fields.map((f: { path: string }) => f.path);
    for (const path of ["/processingTimes/0/amount", "/processingTimes/1/countFromNextDayAfterCutoff"]) assert.ok(paths.includes(path), `${path} in ${paths.join(", ")}`);

    // Both times are one working day of office time: the steps share 8 hours.
    const shares = good.steps.map((_, i) => (i === 0 ? 8 - (good.steps.length - 1) : 1));
    const p = await published(
      procedure({
        name: "Chứng thực trong ngày thử nghiệm",
        processingTimes: [
          { channel: "counter", amount: 1, unit: "same_day" },
          { channel: "online", amount: 1, unit: "working_days", countFromNextDayAfterCutoff: true },
        ],
        steps: good.steps.map((step, i) => ({ ...step, hours: shares[i]! })),
      }),
    );
    const doc = (await call("GET", `/api/procedures/${p.code}/export?format=dvcqg`)).json();
    const time = (kenh: string) => doc.CACHTHUCTHUCHIEN.find((c: { KENH: string }) => c.KENH === kenh).THOIGIAN[0];
    assert.deepEqual([time("Trực tiếp").THOIGIANGIAIQUYET, time("Trực tiếp").DONVITINH, time("Trực tiếp").TRONGNGAY], [1, "Ngày làm việc", true]);
    assert.equal(time("Trực tuyến").TUNGAYLAMVIECTIEPTHEO, true);
    const imported = await call("POST", "/api/procedures/import", "provinceAdmin", doc);
    assert.equal(imported.statusCode, 200, imported.body);
    const draft = (await call("GET", `/api/procedures/${p.code}/draft`, "provinceAdmin")).json();
    assert.deepEqual(draft.processingTimes, p.processingTimes);
  });

  it("reports every problem of a malformed import with its path and changes nothing", async () => {
    const p = await published(procedure());
    const doc = (await call("GET", `/api/procedures/${p.code}/export`)).json();
    const broken = [
      { ...doc, TENTTHC: "Đổi tên không được lưu" },
      {
        ...doc,
        MATTHC: "ABC",
        CACHTHUCTHUCHIEN: [{ KENH: "Fax", THOIGIAN: [{ THOIGIANGIAIQUYET: "nhanh", DONVITINH: "Tuần" }] }],
        CANCUPHAPLY: [{ SOVANBAN: "1/2025", TENVANBAN: "X", NGAYHIEULUC: "31/02/2025" }],
        LINHVUCTHUCHIEN: "Hộ tịch",
      },
    ];
    const before = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM procedure_versions`);
    const res = await call("POST", "/api/procedures/import", "provinceAdmin", broken);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "catalog.invalid_import");
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    for (const path of [
      "/1/MATTHC",
      "/1/CACHTHUCTHUCHIEN/0/KENH",
      "/1/CACHTHUCTHUCHIEN/0/THOIGIAN/0/THOIGIANGIAIQUYET",
      "/1/CACHTHUCTHUCHIEN/0/THOIGIAN/0/DONVITINH",
      "/1/CANCUPHAPLY/0/NGAYHIEULUC",
      "/1/LINHVUCTHUCHIEN",
    ]) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(", ")}`);
    }
    assert.ok(!paths.some((p: string) => p.startsWith("/0/")), "the good document has no problem");
    const after = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM procedure_versions`);
    assert.equal(after[0]!.n, before[0]!.n, "nothing was written");
    assert.equal((await call("GET", `/api/procedures/${p.code}/draft`, "provinceAdmin")).statusCode, 404);
    // Not JSON of a procedure at all.
    const junk = await call("POST", "/api/procedures/import", "provinceAdmin", [42]);
    assert.deepEqual(junk.json().error.fields, [{ path: "/0", message: "Mỗi thủ tục phải là một đối tượng JSON." }]);
  });
});
