// `motcua registry-sim` as a remote registry: a child process of this test, asked over HTTP only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readAdminUnits } from "../../directory/index.ts";
import { checkCccd, checkTaxCode, readDemoAccounts } from "../../identity/index.ts";
import { SIM_CLIENT, type SimProcess, startSimProcess } from "../testing.ts";
import { FAMILY_NAMES } from "./names.ts";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers read field by field

const PURPOSE = { "x-purpose": encodeURIComponent("Điền sẵn tờ khai"), "x-legal-basis": encodeURIComponent("Nghị định 69/2024/NĐ-CP"), "x-dossier-id": "d-1" };

async function tokenOf(sim: SimProcess, id: string = SIM_CLIENT.id, secret: string = SIM_CLIENT.secret): Promise<Response> {
  return fetch(`${sim.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
}

async function ask(sim: SimProcess, token: string, path: string, headers: Record<string, string> = PURPOSE): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("registry-sim over HTTP", () => {
  let sim: SimProcess;
  let twin: SimProcess;
  let other: SimProcess;
  let token: string;
  const units = readAdminUnits();
  const communes = new Map(units.communes.map((c) => [c.code, c]));

  before(async () => {
    [sim, twin, other] = await Promise.all([
      startSimProcess({ seed: 7, citizens: 4000, businesses: 300 }),
      startSimProcess({ seed: 7, citizens: 4000, businesses: 300 }),
      startSimProcess({ seed: 8, citizens: 4000, businesses: 300 }),
    ]);
    token = ((await (await tokenOf(sim)).json()) as Json).access_token as string;
  });
  after(() => Promise.all([sim?.stop(), twin?.stop(), other?.stop()]));

  it("makes the same people and businesses from the same seed, others from another", async () => {
    const ids = await sim.ids("citizens", 0, 50);
    assert.deepEqual(await twin.ids("citizens", 0, 50), ids);
    assert.notDeepEqual(await other.ids("citizens", 0, 50), ids);
    assert.equal(new Set(ids).size, 50);
    const twinToken = ((await (await tokenOf(twin)).json()) as Json).access_token as string;
    for (const cccd of ids.slice(0, 8)) assert.deepEqual((await ask(sim, token, `/population/citizens/${cccd}`)).body, (await ask(twin, twinToken, `/population/citizens/${cccd}`)).body);
    assert.deepEqual(await twin.ids("businesses", 0, 30), await sim.ids("businesses", 0, 30));
  });

  it("gives every citizen a valid CCCD matching birth date and sex, a Vietnamese name and real 2025 communes", async () => {
    const ids = await sim.ids("citizens", 1000, 120);
    const families = new Set(FAMILY_NAMES.map(([name]) => name));
    for (const cccd of ids) {
      const { status, body } = await ask(sim, token, `/population/citizens/${cccd}`);
      assert.equal(status, 200);
      assert.equal(body.soDinhDanh, cccd);
      const sex = body.gioiTinh === "Nam" ? "male" : "female";
      assert.ok(checkCccd(cccd, { now: new Date(), birthDate: body.ngaySinh, sex }).ok, `${cccd} ${body.ngaySinh} ${sex}`);
      const words = (body.hoVaTen as string).split(" ");
      assert.ok(words.length === 3 && families.has(words[0]!), body.hoVaTen);
      assert.equal(body.hoVaTen, (body.hoVaTen as string).normalize("NFC"));
      for (const place of [body.noiThuongTru, body.noiOHienTai]) {
        const commune = communes.get(place.maXa);
        assert.ok(commune, place.maXa);
        assert.equal(commune.provinceCode, place.maTinh);
        assert.equal(commune.name, place.tenXa);
      }
      assert.ok(["Chưa kết hôn", "Đã kết hôn", "Góa"].includes(body.tinhTrangHonNhan));
      assert.ok((body.hoGiaDinh.thanhVien as Json[]).some((m) => m.soDinhDanh === cccd));
    }
  });

  it("keeps households together: a married couple, children with the father's family name, births and a marriage on record", async () => {
    const [headId] = await sim.ids("citizens", 400, 1);
    const head = (await ask(sim, token, `/population/citizens/${headId}`)).body;
    assert.equal(head.hoGiaDinh.quanHeVoiChuHo, "Chủ hộ");
    const members = head.hoGiaDinh.thanhVien as Json[];
    assert.equal(members.length, 4);
    const spouse = members.find((m) => m.quanHeVoiChuHo === "Vợ" || m.quanHeVoiChuHo === "Chồng")!;
    assert.ok(spouse);
    const events = (await ask(sim, token, `/civil-status/events?soDinhDanh=${headId}`)).body.suKien as Json[];
    const marriage = events.find((e) => e.loai === "Kết hôn")!;
    assert.deepEqual(new Set((marriage.nguoiLienQuan as Json[]).map((p) => p.soDinhDanh)), new Set([headId, spouse.soDinhDanh]));
    const children = members.filter((m) => m.quanHeVoiChuHo === "Con");
    assert.equal(events.filter((e) => e.loai === "Khai sinh").length, children.length);
    const father = (marriage.nguoiLienQuan as Json[]).find((p) => p.vaiTro === "Chồng")!;
    for (const child of children) assert.equal((child.hoVaTen as string).split(" ")[0], (father.hoVaTen as string).split(" ")[0]);
  });

  it("registers businesses with valid tax codes, VSIC codes and a simulated citizen as legal representative", async () => {
    for (const taxCode of await sim.ids("businesses", 0, 60)) {
      assert.ok(checkTaxCode(taxCode).ok, taxCode);
      const { status, body } = await ask(sim, token, `/business/enterprises/${taxCode}`);
      assert.equal(status, 200);
      assert.ok(communes.has(body.diaChi.maXa));
      assert.ok((body.nganhNghe as Json[]).every((n) => /^\d{4}$/.test(n.ma)));
      const rep = await ask(sim, token, `/population/citizens/${body.nguoiDaiDien.soDinhDanh}`);
      assert.equal(rep.status, 200);
      assert.equal(rep.body.hoVaTen, body.nguoiDaiDien.hoVaTen);
    }
  });

  it("knows the demo accounts' citizen and business", async () => {
    for (const account of readDemoAccounts().accounts.filter((a) => a.kind === "citizen" || a.kind === "business")) {
      const path = account.kind === "citizen" ? `/population/citizens/${account.username}` : `/business/enterprises/${account.username}`;
      const { status, body } = await ask(sim, token, path);
      assert.equal(status, 200, path);
      assert.equal(account.kind === "citizen" ? body.hoVaTen : body.tenDoanhNghiep, account.fullName);
    }
  });

  it("answers 404 for a well-formed number it does not know", async () => {
    const [cccd] = await sim.ids("citizens", 0, 1);
    const unknown = `${cccd!.slice(0, 6)}${String((Number(cccd!.slice(6)) + 1) % 1_000_000).padStart(6, "0")}`;
    assert.equal((await ask(sim, token, `/population/citizens/${unknown}`)).status, 404);
  });

  it("refuses without a token, with a wrong client, and without the purpose, legal basis and dossier", async () => {
    const [cccd] = await sim.ids("citizens", 0, 1);
    assert.equal((await ask(sim, "not-a-token", `/population/citizens/${cccd}`)).status, 401);
    assert.equal((await tokenOf(sim, SIM_CLIENT.id, "wrong")).status, 401);
    const { "x-purpose": _, ...noPurpose } = PURPOSE;
    const refused = await ask(sim, token, `/population/citizens/${cccd}`, noPurpose);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, "missing_purpose");
  });
});
