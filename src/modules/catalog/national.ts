// The national catalogue's JSON shape (Cơ sở dữ liệu quốc gia về TTHC, DOMAIN.md §5): export of a
// version and import of documents written by the national catalogue or by another node.
//
// The national shape has no place for some of what motcua keeps (the e-form, a step's share of the
// time, a component's accepted file types); those travel in fields the national catalogue ignores
// (BIEUMAU, SOGIO, DINHDANG…) so an export imported again gives back the same procedure. A document
// without them still imports, with the defaults stated below, as a draft an administrator completes.
import { Value } from "../../platform/typebox.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import {
  type Channel,
  HOURS_PER_WORKING_DAY,
  PROCEDURE_CODE_PATTERN,
  type ProcedureContent,
  ProcedureContent as ContentSchema,
  type Step,
  type StepRole,
  timeInHours,
} from "./model.ts";

const CHANNEL_NAMES: Record<Channel, string> = { counter: "Trực tiếp", online: "Trực tuyến", post: "Dịch vụ bưu chính" };
const UNIT_NAMES = { working_days: "Ngày làm việc", days: "Ngày", hours: "Giờ" } as const;
const LEVEL_NAMES = { ministry: "Cấp Bộ", province: "Cấp Tỉnh", commune: "Cấp Xã" } as const;
const AUDIENCE_NAMES = { citizen: "Công dân Việt Nam", business: "Doanh nghiệp" } as const;
const ONLINE_NAMES = { full: "Toàn trình", partial: "Một phần" } as const;
const FEE_KIND_NAMES = { fee: "Lệ phí", charge: "Phí" } as const;
const ROLE_NAMES = { receiver: "Tiếp nhận", specialist: "Chuyên viên", leader: "Lãnh đạo" } as const satisfies Record<StepRole, string>;

/** The file types a component accepts when a document does not say. */
const DEFAULT_FILE_TYPES = ["application/pdf", "image/jpeg", "image/png"];

export type NationalProcedure = Record<string, unknown>;

const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** A version in the national catalogue's shape. */
export function toNational(c: ProcedureContent): NationalProcedure {
  const feesFor = (channel: Channel) =>
    c.fees
      .filter((f) => f.channel === null || f.channel === channel)
      .map((f) => ({
        MAPHILEPHI: f.key,
        LOAIPHILEPHI: FEE_KIND_NAMES[f.kind],
        TENPHILEPHI: f.name,
        SOTIEN: f.amount,
        DONVI: "Đồng",
        RIENGKENH: f.channel !== null,
        MIENGIAM: f.exemptions.map((e) => ({ MOTA: e.description, ...(e.legalBasis ? { CANCU: e.legalBasis } : {}) })),
      }));
  return {
    MATTHC: c.code,
    TENTTHC: c.name,
    ...(c.description ? { MOTA: c.description } : {}),
    LINHVUCTHUCHIEN: [{ MALINHVUC: c.field.code, TENLINHVUC: c.field.name }],
    CAPTHUCHIEN: c.levels.map((l) => LEVEL_NAMES[l]),
    DOITUONGTHUCHIEN: c.audience.map((a) => AUDIENCE_NAMES[a]),
    MUCDODVC: ONLINE_NAMES[c.onlineLevel],
    MUCDODINHDANH: c.assuranceLevel,
    COQUANTHUCHIEN: c.agencies.map((code) => ({ MACOQUAN: code })),
    CACHTHUCTHUCHIEN: c.processingTimes.map((t) => ({
      KENH: CHANNEL_NAMES[t.channel],
      THOIGIAN: [
        {
          // The national catalogue's units (UNIT_NAMES) have no "trong ngày": a same-day time is one working
          // day there, and TRONGNGAY (motcua's own, ignored like SOGIO) brings it back on import; so does
          // TUNGAYLAMVIECTIEPTHEO for a time counted from the next working day after the cut-off.
          THOIGIANGIAIQUYET: t.unit === "same_day" ? 1 : t.amount,
          DONVITINH: UNIT_NAMES[t.unit === "same_day" ? "working_days" : t.unit],
          ...(t.unit === "same_day" ? { TRONGNGAY: true } : {}),
          ...(t.countFromNextDayAfterCutoff ? { TUNGAYLAMVIECTIEPTHEO: true } : {}),
          ...(t.note ? { MOTA: t.note } : {}),
          PHILEPHI: feesFor(t.channel),
        },
      ],
    })),
    THANHPHANHOSO: [
      {
        TRUONGHOP: "",
        GIAYTO: c.components.map((p) => ({
          MAGIAYTO: p.key,
          TENGIAYTO: p.name,
          BATBUOC: p.required,
          SOBANCHINH: p.counts.original,
          SOBANSAOCHUNGTHUC: p.counts.certifiedCopy,
          SOBANSAO: p.counts.copy,
          DINHDANG: p.fileTypes,
          ...(p.template ? { MAUDON: p.template } : {}),
          ...(p.note ? { GHICHU: p.note } : {}),
        })),
      },
    ],
    TRINHTUTHUCHIEN: [
      {
        TRUONGHOP: "",
        TRINHTU: c.steps.map((s) => ({
          MABUOC: s.key,
          TENTRINHTU: s.name,
          VAITRO: ROLE_NAMES[s.role],
          PHONGBAN: s.department,
          COQUANLIENTHONG: s.agency,
          SOGIO: s.hours,
          LANHDAOKY: s.leaderSigns,
        })),
      },
    ],
    KETQUATHUCHIEN: c.results.map((r) => ({ TENKETQUA: r.name, KETQUADIENTU: r.electronic })),
    CANCUPHAPLY: c.legalBasis.map((l) => ({
      SOVANBAN: l.number,
      TENVANBAN: l.title,
      ...(l.issuedOn ? { NGAYBANHANH: vnDate(l.issuedOn) } : {}),
      NGAYHIEULUC: vnDate(l.effectiveFrom),
      ...(l.effectiveTo ? { NGAYHETHIEULUC: vnDate(l.effectiveTo) } : {}),
    })),
    YEUCAU: c.conditions.join("\n"),
    BIEUMAU: c.form,
  };
}

/** Reads a national document: one procedure, or an array of them. Every problem is named by its JSON pointer. */
export function fromNationalDocument(doc: unknown): { procedures: ProcedureContent[]; problems: FieldProblem[] } {
  const list = Array.isArray(doc) ? doc : [doc];
  const single = !Array.isArray(doc);
  const problems: FieldProblem[] = [];
  const procedures: ProcedureContent[] = [];
  if (list.length === 0) problems.push({ path: "/", message: "Tệp không có thủ tục nào." });
  list.forEach((item, i) => {
    const reader = new Reader(single ? "" : `/${i}`, problems);
    const content = reader.procedure(item);
    if (content) procedures.push(content);
  });
  const codes = new Map<string, number>();
  procedures.forEach((p, i) => {
    if (codes.has(p.code)) problems.push({ path: single ? "/MATTHC" : `/${i}/MATTHC`, message: `Mã thủ tục ${p.code} xuất hiện hai lần.` });
    codes.set(p.code, i);
  });
  return { procedures: problems.length ? [] : procedures, problems };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads one document, recording each problem under `base`. */
class Reader {
  constructor(
    private readonly base: string,
    private readonly problems: FieldProblem[],
  ) {}

  private bad(path: string, message: string): undefined {
    this.problems.push({ path: `${this.base}${path}`, message });
    return undefined;
  }

  private text(o: Obj, key: string, path: string, required = true): string | undefined {
    const v = o[key];
    if (v === undefined || v === null || v === "") return required ? this.bad(`${path}/${key}`, `Thiếu ${key}.`) : undefined;
    if (typeof v !== "string") return this.bad(`${path}/${key}`, `${key} phải là chuỗi ký tự.`);
    return v.trim().normalize("NFC");
  }

  private array(o: Obj, key: string, path: string, required = true): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.bad(`${path}/${key}`, `Thiếu ${key}.`);
      return [];
    }
    if (!Array.isArray(v)) {
      this.bad(`${path}/${key}`, `${key} phải là một danh sách.`);
      return [];
    }
    return v;
  }

  private objects(o: Obj, key: string, path: string, required = true): Array<[Obj, string]> {
    return this.array(o, key, path, required).flatMap((v, i) =>
      isObj(v) ? [[v, `${path}/${key}/${i}`] as [Obj, string]] : (this.bad(`${path}/${key}/${i}`, "Phải là một đối tượng."), []),
    );
  }

  private oneOf<T extends string>(names: Record<T, string>, value: unknown, path: string): T | undefined {
    const found = (Object.keys(names) as T[]).find((k) => names[k].toLowerCase() === String(value).trim().toLowerCase());
    return found ?? this.bad(path, `Giá trị "${String(value)}" không thuộc: ${Object.values(names).join(", ")}.`);
  }

  private number(o: Obj, key: string, path: string): number | undefined {
    const v = o[key];
    const n = typeof v === "string" && v.trim() !== "" ? Number(v.replace(",", ".")) : v;
    if (typeof n !== "number" || !Number.isFinite(n)) return this.bad(`${path}/${key}`, `${key} phải là một số.`);
    return n;
  }

  private date(o: Obj, key: string, path: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined || v === null || v === "") return required ? this.bad(`${path}/${key}`, `Thiếu ${key}.`) : undefined;
    const m = typeof v === "string" ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v.trim()) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim()) : null;
    if (!m) return this.bad(`${path}/${key}`, `${key} phải là ngày dạng dd/MM/yyyy.`);
    const [y, mo, d] = m[1]!.length === 4 ? [m[1]!, m[2]!, m[3]!] : [m[3]!, m[2]!, m[1]!];
    const iso = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
    const t = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) return this.bad(`${path}/${key}`, `${key}: ngày không có thật.`);
    return iso;
  }

  procedure(doc: unknown): ProcedureContent | undefined {
    if (!isObj(doc)) return this.bad("", "Mỗi thủ tục phải là một đối tượng JSON.");
    const before = this.problems.length;
    const code = this.text(doc, "MATTHC", "");
    if (code && !new RegExp(PROCEDURE_CODE_PATTERN).test(code)) this.bad("/MATTHC", `Mã thủ tục ${code} không đúng dạng 1.001234.`);
    const name = this.text(doc, "TENTTHC", "");
    const description = this.text(doc, "MOTA", "", false);

    const fields = this.objects(doc, "LINHVUCTHUCHIEN", "");
    if (fields.length === 0 && Array.isArray(doc.LINHVUCTHUCHIEN)) this.bad("/LINHVUCTHUCHIEN", "Cần một lĩnh vực.");
    const [fieldObj, fieldPath] = fields[0] ?? [{}, "/LINHVUCTHUCHIEN/0"];
    const field = { code: this.text(fieldObj, "MALINHVUC", fieldPath), name: this.text(fieldObj, "TENLINHVUC", fieldPath) };

    const levels = this.array(doc, "CAPTHUCHIEN", "").map((v, i) => this.oneOf(LEVEL_NAMES, v, `/CAPTHUCHIEN/${i}`));
    const audience = this.array(doc, "DOITUONGTHUCHIEN", "").map((v, i) => this.oneOf(AUDIENCE_NAMES, v, `/DOITUONGTHUCHIEN/${i}`));
    // Older documents say nothing of the level: partly online is the cautious reading.
    const onlineLevel = doc.MUCDODVC === undefined ? "partial" : this.oneOf(ONLINE_NAMES, doc.MUCDODVC, "/MUCDODVC");
    const assuranceLevel = doc.MUCDODINHDANH === undefined ? 0 : this.number(doc, "MUCDODINHDANH", "");
    const agencies = this.objects(doc, "COQUANTHUCHIEN", "").map(([o, p]) => this.text(o, "MACOQUAN", p));

    const processingTimes: ProcedureContent["processingTimes"] = [];
    const fees = new Map<string, ProcedureContent["fees"][number] & { seen: Set<Channel> }>();
    for (const [way, wayPath] of this.objects(doc, "CACHTHUCTHUCHIEN", "")) {
      const channel = this.oneOf(CHANNEL_NAMES, way.KENH, `${wayPath}/KENH`);
      const times = this.objects(way, "THOIGIAN", wayPath);
      if (times.length !== 1) this.bad(`${wayPath}/THOIGIAN`, "Mỗi cách thức thực hiện cần đúng một thời hạn giải quyết.");
      for (const [t, tPath] of times.slice(0, 1)) {
        const amount = this.number(t, "THOIGIANGIAIQUYET", tPath);
        if (amount !== undefined && amount <= 0) this.bad(`${tPath}/THOIGIANGIAIQUYET`, "Thời hạn giải quyết phải lớn hơn 0.");
        const named = this.oneOf(UNIT_NAMES, t.DONVITINH, `${tPath}/DONVITINH`);
        const unit = t.TRONGNGAY === true && named === "working_days" ? "same_day" : named;
        const note = this.text(t, "MOTA", tPath, false);
        if (channel && amount !== undefined && unit) {
          processingTimes.push({ channel, amount, unit, ...(t.TUNGAYLAMVIECTIEPTHEO === true ? { countFromNextDayAfterCutoff: true } : {}), ...(note ? { note } : {}) });
        }
        this.objects(t, "PHILEPHI", tPath, false).forEach(([f, fPath], k) => {
          const key = this.text(f, "MAPHILEPHI", fPath, false) ?? `phi-${k + 1}`;
          const kind = this.oneOf(FEE_KIND_NAMES, f.LOAIPHILEPHI ?? "Lệ phí", `${fPath}/LOAIPHILEPHI`);
          const feeName = this.text(f, "TENPHILEPHI", fPath, false) ?? this.text(f, "MOTA", fPath, false) ?? "Lệ phí";
          const amt = this.number(f, "SOTIEN", fPath);
          if (amt !== undefined && !Number.isInteger(amt)) this.bad(`${fPath}/SOTIEN`, "Số tiền là số nguyên đồng.");
          const exemptions = this.objects(f, "MIENGIAM", fPath, false).map(([e, ePath]) => {
            const basis = this.text(e, "CANCU", ePath, false);
            return { description: this.text(e, "MOTA", ePath) ?? "", ...(basis ? { legalBasis: basis } : {}) };
          });
          if (!channel || !kind || amt === undefined) return;
          const known = fees.get(key);
          if (known) known.seen.add(channel);
          else {
            const only = f.RIENGKENH === true ? channel : null;
            fees.set(key, { key, name: feeName, kind, amount: amt, channel: only, exemptions, seen: new Set([channel]) });
          }
        });
      }
    }

    const components = this.objects(doc, "THANHPHANHOSO", "").flatMap(([group, gPath]) =>
      this.objects(group, "GIAYTO", gPath).map(([p, pPath], k) => {
        const count = (key: string) => (p[key] === undefined ? 0 : (this.number(p, key, pPath) ?? 0));
        const template = this.text(p, "MAUDON", pPath, false) ?? this.text(p, "TENMAUDON", pPath, false);
        const note = this.text(p, "GHICHU", pPath, false);
        const types = p.DINHDANG === undefined ? DEFAULT_FILE_TYPES : this.array(p, "DINHDANG", pPath).map(String);
        return {
          key: this.text(p, "MAGIAYTO", pPath, false) ?? `giay-to-${k + 1}`,
          name: this.text(p, "TENGIAYTO", pPath) ?? "",
          required: p.BATBUOC === undefined ? true : p.BATBUOC === true,
          counts: { original: count("SOBANCHINH"), certifiedCopy: count("SOBANSAOCHUNGTHUC"), copy: count("SOBANSAO") },
          fileTypes: types,
          ...(template ? { template } : {}),
          ...(note ? { note } : {}),
        };
      }),
    );

    const total = processingTimes.length ? Math.max(...processingTimes.map(timeInHours)) : HOURS_PER_WORKING_DAY;
    const rawSteps = this.objects(doc, "TRINHTUTHUCHIEN", "").flatMap(([group, gPath]) => this.objects(group, "TRINHTU", gPath));
    const steps: Step[] = rawSteps.map(([s, sPath], k) => {
      const stepName = this.text(s, "TENTRINHTU", sPath) ?? "";
      const signs = s.LANHDAOKY === undefined ? /ký|phê duyệt/i.test(stepName) : s.LANHDAOKY === true;
      const role =
        s.VAITRO === undefined
          ? k === 0 || k === rawSteps.length - 1
            ? "receiver"
            : signs
              ? "leader"
              : "specialist"
          : this.oneOf(ROLE_NAMES, s.VAITRO, `${sPath}/VAITRO`);
      // Without shares the steps split the time evenly; an administrator adjusts them before publishing.
      const hours = s.SOGIO === undefined ? total / rawSteps.length : this.number(s, "SOGIO", sPath);
      return {
        key: this.text(s, "MABUOC", sPath, false) ?? `buoc-${k + 1}`,
        name: stepName,
        role: role ?? "specialist",
        department: typeof s.PHONGBAN === "string" ? s.PHONGBAN : null,
        agency: typeof s.COQUANLIENTHONG === "string" ? s.COQUANLIENTHONG : null,
        hours: hours ?? 0,
        leaderSigns: signs,
      };
    });

    const results = this.objects(doc, "KETQUATHUCHIEN", "").map(([r, rPath]) => ({
      name: this.text(r, "TENKETQUA", rPath) ?? "",
      electronic: r.KETQUADIENTU === true,
    }));
    const legalBasis = this.objects(doc, "CANCUPHAPLY", "").map(([l, lPath]) => {
      const issuedOn = this.date(l, "NGAYBANHANH", lPath, false);
      const effectiveFrom = this.date(l, "NGAYHIEULUC", lPath, issuedOn === undefined) ?? issuedOn ?? "";
      const effectiveTo = this.date(l, "NGAYHETHIEULUC", lPath, false);
      return {
        number: this.text(l, "SOVANBAN", lPath) ?? "",
        title: this.text(l, "TENVANBAN", lPath) ?? "",
        ...(issuedOn ? { issuedOn } : {}),
        effectiveFrom,
        ...(effectiveTo ? { effectiveTo } : {}),
      };
    });
    const conditionsText = this.text(doc, "YEUCAU", "", false) ?? "";
    const conditions = conditionsText
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    const form = doc.BIEUMAU === undefined ? defaultForm() : doc.BIEUMAU;

    if (this.problems.length > before) return undefined;
    const content = {
      code,
      name,
      ...(description ? { description } : {}),
      field,
      levels,
      agencies,
      audience,
      onlineLevel,
      assuranceLevel,
      components,
      form,
      fees: [...fees.values()].map(({ seen: _seen, ...f }) => f),
      processingTimes,
      results,
      conditions,
      legalBasis,
      steps,
    };
    // What the national fields could not say wrong, the model still can (lengths, keys, the e-form's shape).
    const errors = [...Value.Errors(ContentSchema, content)];
    for (const e of errors.slice(0, 50)) this.bad(e.path || "/", `${e.message} (motcua: ${e.path})`);
    return errors.length ? undefined : (content as ProcedureContent);
  }
}

/** The e-form of a procedure imported without one: the request in the applicant's words. */
function defaultForm(): ProcedureContent["form"] {
  return {
    schema: {
      type: "object",
      properties: { noiDungYeuCau: { type: "string", minLength: 1, maxLength: 4000 } },
      required: ["noiDungYeuCau"],
      additionalProperties: false,
    },
    ui: { order: ["noiDungYeuCau"], fields: { noiDungYeuCau: { label: "Nội dung yêu cầu giải quyết", widget: "textarea" } } },
  };
}
