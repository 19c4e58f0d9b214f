// A readable difference between two versions of a procedure: what an administrator reviews before
// publishing. Lists of keyed items (components, fees, steps…) are matched by key, not by position, so
// inserting a step shows one added step rather than every later step changed.
import { isDeepStrictEqual } from "node:util";
import type { ProcedureContent } from "./model.ts";
import type { Change } from "./schema.ts";

export const SECTIONS: Record<keyof ProcedureContent, string> = {
  code: "Mã thủ tục",
  illustrative: "Mã minh họa",
  name: "Tên thủ tục",
  description: "Mô tả",
  field: "Lĩnh vực",
  levels: "Cấp thực hiện",
  agencies: "Cơ quan thực hiện",
  audience: "Đối tượng thực hiện",
  onlineLevel: "Mức độ dịch vụ công trực tuyến",
  assuranceLevel: "Mức độ định danh điện tử yêu cầu",
  components: "Thành phần hồ sơ",
  form: "Tờ khai (biểu mẫu điện tử)",
  fees: "Phí, lệ phí",
  processingTimes: "Thời hạn giải quyết",
  results: "Kết quả thực hiện",
  conditions: "Yêu cầu, điều kiện",
  legalBasis: "Căn cứ pháp lý",
  steps: "Trình tự thực hiện",
};

export const FIELD_WORDS: Record<string, string> = {
  replacedByEForm: "thay bằng tờ khai điện tử khi nộp trực tuyến",
  shownOnly: "chỉ xuất trình",
  name: "tên",
  required: "bắt buộc",
  counts: "số lượng bản",
  fileTypes: "định dạng tệp",
  template: "mẫu đơn, tờ khai",
  note: "ghi chú",
  kind: "loại",
  amount: "mức thu / thời hạn",
  channel: "kênh",
  exemptions: "miễn, giảm",
  unit: "đơn vị tính",
  role: "vai trò",
  department: "phòng ban",
  agency: "cơ quan liên thông",
  hours: "thời gian (giờ làm việc)",
  leaderSigns: "lãnh đạo ký",
  title: "trích yếu",
  issuedOn: "ngày ban hành",
  effectiveFrom: "ngày có hiệu lực",
  effectiveTo: "ngày hết hiệu lực",
  electronic: "kết quả điện tử",
  schema: "JSON Schema",
  ui: "nhãn và thứ tự trường",
};

type Keyed = Record<string, unknown>;
const KEYS: Partial<Record<keyof ProcedureContent, (item: Keyed) => string>> = {
  components: (c) => String(c.key),
  fees: (f) => String(f.key),
  steps: (s) => String(s.key),
  processingTimes: (t) => String(t.channel),
  legalBasis: (l) => String(l.number),
  results: (r) => String(r.name),
};

/** The changes that turn version `a` into version `b`. */
export function diffVersions(a: ProcedureContent, b: ProcedureContent): Change[] {
  const changes: Change[] = [];
  for (const name of Object.keys(SECTIONS) as Array<keyof ProcedureContent>) {
    const before = a[name];
    const after = b[name];
    if (isDeepStrictEqual(before, after)) continue;
    const section = SECTIONS[name];
    const keyOf = KEYS[name];
    if (keyOf && Array.isArray(before) && Array.isArray(after)) {
      keyedChanges(changes, `/${name}`, section, before as Keyed[], after as Keyed[], keyOf);
    } else if (name === "form") {
      formChanges(changes, a.form, b.form);
    } else {
      changes.push({ path: `/${name}`, section, kind: change(before, after), before: before ?? null, after: after ?? null });
    }
  }
  return changes;
}

function change(before: unknown, after: unknown): Change["kind"] {
  if (before === undefined || before === null) return "added";
  if (after === undefined || after === null) return "removed";
  return "changed";
}

function keyedChanges(out: Change[], base: string, section: string, before: Keyed[], after: Keyed[], keyOf: (i: Keyed) => string) {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const label = (item: Keyed) => `${section} «${String(item.name ?? item.number ?? keyOf(item))}»`;
  after.forEach((item, index) => {
    const key = keyOf(item);
    const prev = old.get(key);
    old.delete(key);
    if (!prev) {
      out.push({ path: `${base}/${index}`, section: label(item), kind: "added", before: null, after: item });
      return;
    }
    for (const field of new Set([...Object.keys(prev), ...Object.keys(item)])) {
      if (isDeepStrictEqual(prev[field], item[field])) continue;
      out.push({
        path: `${base}/${index}/${field}`,
        section: `${label(item)} — ${FIELD_WORDS[field] ?? field}`,
        kind: change(prev[field], item[field]),
        before: prev[field] ?? null,
        after: item[field] ?? null,
      });
    }
  });
  for (const item of old.values()) out.push({ path: base, section: label(item), kind: "removed", before: item, after: null });
  // An order change alone is a change too (steps run in order).
  const order = (list: Keyed[]) => list.map(keyOf).filter((k) => before.some((i) => keyOf(i) === k) && after.some((i) => keyOf(i) === k));
  if (!isDeepStrictEqual(order(before), order(after))) {
    out.push({ path: base, section: `${section} — thứ tự`, kind: "changed", before: before.map(keyOf), after: after.map(keyOf) });
  }
}

function formChanges(out: Change[], a: ProcedureContent["form"], b: ProcedureContent["form"]) {
  const section = SECTIONS.form;
  const props = (f: ProcedureContent["form"]) => (f.schema.properties ?? {}) as Record<string, unknown>;
  const [pa, pb] = [props(a), props(b)];
  for (const name of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    const label = b.ui.fields[name]?.label ?? a.ui.fields[name]?.label ?? name;
    const before = { schema: pa[name] ?? null, ui: a.ui.fields[name] ?? null };
    const after = { schema: pb[name] ?? null, ui: b.ui.fields[name] ?? null };
    if (isDeepStrictEqual(before, after)) continue;
    const kind = pa[name] === undefined ? "added" : pb[name] === undefined ? "removed" : "changed";
    out.push({ path: `/form/schema/properties/${name}`, section: `${section} — trường «${label}»`, kind, before, after });
  }
  const rest = (f: ProcedureContent["form"]) => ({ ...f.schema, properties: undefined });
  if (!isDeepStrictEqual(rest(a), rest(b))) {
    out.push({ path: "/form/schema", section: `${section} — ràng buộc chung (bắt buộc…)`, kind: "changed", before: rest(a), after: rest(b) });
  }
  if (!isDeepStrictEqual(a.ui.order, b.ui.order)) {
    out.push({ path: "/form/ui/order", section: `${section} — thứ tự trường`, kind: "changed", before: a.ui.order, after: b.ui.order });
  }
}
