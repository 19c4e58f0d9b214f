// A new online dossier's e-form starts from the signed-in account (name, CCCD, date of birth, sex, email) and the
// form's defaults (issue 15, item 6); the account holds no address, so none is filled.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { prefilledFormData } from "./prefill.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, publishProcedures, type DossierSetting } from "./testing.ts";

/** A form of the demo catalogue, by its procedure's code. */
const demoForm = (code: string): ProcedureContent["form"] =>
  (JSON.parse(fs.readFileSync(new URL("../../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === code)!.form;
/** The birth registration (1.001193): its e-form names the person asking and the child apart. */
const birthForm = () => demoForm("1.001193");

describe("the e-form pre-filled from the account", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let procedure: ProcedureContent;
  before(async () => {
    env = await testApp();
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { form: birthForm() }));
  });
  after(() => env.close());

  it("fills the applicant's own name and CCCD and the form's default nationality, never the child's or a parent's fields", async () => {
    const api = apiAs(env.app);
    const res = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    const formData = (res.json() as { formData: Record<string, unknown> }).formData;
    assert.equal(formData.hoTenNguoiYeuCau, "Nguyễn Thị Mai");
    assert.equal(formData.soDinhDanhNguoiYeuCau, s.cast.citizen.username);
    assert.equal(formData.quocTich, "Việt Nam", "a real default, no longer a placeholder");
    for (const key of ["hoTenNguoiDuocKhaiSinh", "ngaySinh", "hoTenMe", "hoTenCha", "noiCuTru"]) assert.equal(formData[key], undefined, key);
  });

  it("fills the requester's own date of birth, sex and address where the form's hints say the field is theirs (the criminal record certificate)", async () => {
    const record = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { form: demoForm("1.900201") }));
    const before = await env.ctx.identity.findByUsername(s.cast.citizen.username);
    await env.ctx.identity.changeAddress(before!, "  Số 12 phố Hàng Bạc,  phường Hoàn Kiếm, thành phố Hà Nội ");
    const res = await apiAs(env.app)(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: record.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    const formData = (res.json() as { formData: Record<string, unknown> }).formData;
    const account = await env.ctx.identity.findByUsername(s.cast.citizen.username);
    assert.ok(account?.birthDate);
    assert.deepEqual([formData.hoTen, formData.soDinhDanh, formData.ngaySinh, formData.gioiTinh], [account.fullName, account.username, account.birthDate, account.sex === "male" ? "Nam" : "Nữ"]);
    assert.equal(formData.noiThuongTru, "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội", "the address the account page keeps, tidied");
    // A sex outside the field's options, or a fact the account lacks, leaves the field empty.
    const form: ProcedureContent["form"] = {
      schema: { type: "object", properties: { gioiTinh: { type: "string", enum: ["male", "female"] }, ngaySinh: { type: "string", format: "date" } } },
      ui: { order: ["gioiTinh", "ngaySinh"], fields: { gioiTinh: { label: "Giới tính", prefill: "sex" }, ngaySinh: { label: "Ngày sinh", prefill: "birthDate" } } },
    };
    assert.deepEqual(prefilledFormData(form, { kind: "citizen", fullName: "Nguyễn Thị Mai", idNumber: "001199000001", email: null, birthDate: null, sex: "female", address: null }), {});
  });

  it("keeps what the applicant sent, and fills nothing for an officer at the counter", async () => {
    const api = apiAs(env.app);
    const typed = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: { hoTenNguoiYeuCau: "Nguyễn Văn Khác" }, requestId: randomUUID() });
    assert.deepEqual((typed.json() as { formData: unknown }).formData, { hoTenNguoiYeuCau: "Nguyễn Văn Khác" });
    const applicant = { type: "citizen", name: "Lê Văn Quầy", idNumber: s.cast.citizen.username };
    const counter = await api(s.cast.receiver, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: {}, applicant, requestId: randomUUID() });
    assert.equal(counter.statusCode, 201, counter.body);
    assert.deepEqual((counter.json() as { formData: unknown }).formData, {});
  });

  it("fills a business's tax code, not a citizen's fields", () => {
    const form: ProcedureContent["form"] = {
      schema: { type: "object", properties: { maSoDoanhNghiep: { type: "string" }, hoTenNguoiYeuCau: { type: "string" }, email: { type: "string", format: "email" } } },
      ui: { order: ["maSoDoanhNghiep", "hoTenNguoiYeuCau", "email"], fields: {} },
    };
    assert.deepEqual(prefilledFormData(form, { kind: "business", fullName: "Công ty TNHH Ví dụ", idNumber: "0100233488", email: "lienhe@example.vn", birthDate: null, sex: null, address: null }), {
      maSoDoanhNghiep: "0100233488",
      email: "lienhe@example.vn",
    });
  });

  it("fills nothing into fields named like an object's own properties", () => {
    const form: ProcedureContent["form"] = {
      schema: { type: "object", properties: { constructor: { type: "string" }, toString: { type: "string" }, valueOf: { type: "string" } } },
      ui: { order: ["constructor", "toString", "valueOf"], fields: {} },
    };
    assert.deepEqual(prefilledFormData(form, { kind: "citizen", fullName: "Nguyễn Thị Mai", idNumber: "001199000001", email: null, birthDate: "1990-01-01", sex: "female", address: null }), {});
  });
});
