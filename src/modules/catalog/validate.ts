// What publishing checks (issue 4, item 2): the whole procedure, every problem at once, each with its
// JSON pointer into the version document. Drafts may be incomplete; a published version may not.
import { Value } from "../../platform/typebox.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { formProperties, formSchemaProblem } from "./form-schema.ts";
import { type ProcedureContent, ProcedureContent as ContentSchema, REGISTRY_FIELDS, type RegistrySource, timeInHours } from "./model.ts";

/** What the directory knows, as the checks need it. */
export interface DirectoryFacts {
  /** Department codes of each known agency among those asked; unknown agencies are absent. */
  departments: Map<string, Set<string>>;
}

/** Agency codes a procedure names (implementing agencies and inter-agency steps). */
export function agenciesNamed(content: ProcedureContent): string[] {
  return [...new Set([...content.agencies, ...content.steps.flatMap((s) => (s.agency ? [s.agency] : []))])];
}

/** Whether a registry holds the applicants a procedure is for: a person's registries for citizens, the business one for businesses. */
function sourceServes(source: RegistrySource, audience: ProcedureContent["audience"]): boolean {
  return audience.includes(source === "business" ? "business" : "citizen");
}

/**
 * A field filled from a registry (issue 18, once-only): the registry's answer has that field, the field is text
 * (the registry's value is written into it), and the registry holds the procedure's applicants.
 */
function registryHintProblems(content: ProcedureContent, bad: (path: string, message: string) => void): void {
  const properties = (content.form.schema.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const [name, hint] of Object.entries(content.form.ui.fields)) {
    if (!hint.registry) continue;
    const path = `/form/ui/fields/${name}/registry`;
    if (!REGISTRY_FIELDS[hint.registry.source].includes(hint.registry.field)) bad(`${path}/field`, `Cơ sở dữ liệu ${hint.registry.source} không có trường ${hint.registry.field}.`);
    if (properties[name]?.type !== "string") bad(path, `Trường ${name} lấy từ cơ sở dữ liệu phải là chuỗi ký tự.`);
    if (!sourceServes(hint.registry.source, content.audience)) bad(`${path}/source`, `Cơ sở dữ liệu ${hint.registry.source} không có thông tin của đối tượng thực hiện thủ tục.`);
  }
}

/** Every problem that stops `content` from being published; empty when it can be. */
export function publishProblems(content: ProcedureContent, facts: DirectoryFacts): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });

  // The structure first: a document that is not a procedure cannot be checked further.
  const structural = [...Value.Errors(ContentSchema, content)];
  if (structural.length) return structural.slice(0, 100).map((e) => ({ path: e.path || "/", message: e.message }));

  uniqueKeys(content.components, "/components", "thành phần hồ sơ", bad);
  uniqueKeys(content.fees, "/fees", "phí, lệ phí", bad);
  uniqueKeys(content.steps, "/steps", "bước xử lý", bad);

  content.fees.forEach((f, i) => {
    if (f.amount < 0) bad(`/fees/${i}/amount`, "Mức phí, lệ phí không được âm.");
  });
  // A paper only shown in person is never filed, so it cannot be the declaration the e-form stands for online.
  content.components.forEach((c, i) => {
    if (c.shownOnly && c.replacedByEForm) bad(`/components/${i}/shownOnly`, "Giấy tờ chỉ xuất trình không thể đồng thời là tờ khai được thay bằng biểu mẫu điện tử.");
    if (c.replacedByRegistry && !sourceServes(c.replacedByRegistry, content.audience)) {
      bad(`/components/${i}/replacedByRegistry`, `Cơ sở dữ liệu ${c.replacedByRegistry} không có thông tin của đối tượng thực hiện thủ tục.`);
    }
  });

  const channels = new Set<string>();
  content.processingTimes.forEach((t, i) => {
    if (channels.has(t.channel)) bad(`/processingTimes/${i}/channel`, `Thời hạn cho kênh ${t.channel} bị khai hai lần.`);
    channels.add(t.channel);
    if (t.unit === "same_day" && t.amount !== 1) bad(`/processingTimes/${i}/amount`, "Thời hạn trong ngày ghi số lượng là 1.");
    if (t.countFromNextDayAfterCutoff && t.unit !== "working_days") {
      bad(`/processingTimes/${i}/countFromNextDayAfterCutoff`, "Chỉ thời hạn tính bằng ngày làm việc mới tính từ ngày làm việc tiếp theo khi tiếp nhận sau giờ chốt.");
    }
  });
  if (!channels.has("online")) bad("/processingTimes", "Dịch vụ công trực tuyến (toàn trình hoặc một phần) cần thời hạn giải quyết cho kênh trực tuyến.");
  content.fees.forEach((f, i) => {
    if (f.channel && !channels.has(f.channel)) bad(`/fees/${i}/channel`, `Không có kênh ${f.channel} trong thời hạn giải quyết.`);
  });

  // Step shares are working hours of the longest channel's time (model.ts, Step).
  const total = Math.max(...content.processingTimes.map(timeInHours));
  const sum = content.steps.reduce((s, step) => s + step.hours, 0);
  if (Math.abs(sum - total) > 1e-6) {
    bad("/steps", `Tổng thời gian các bước (${fmt(sum)} giờ làm việc) phải bằng thời hạn giải quyết (${fmt(total)} giờ làm việc).`);
  }

  const formProblem = formSchemaProblem(content.form.schema);
  if (formProblem) bad("/form/schema", formProblem);
  else {
    const props = new Set(formProperties(content.form.schema));
    const seen = new Set<string>();
    content.form.ui.order.forEach((name, i) => {
      if (!props.has(name)) bad(`/form/ui/order/${i}`, `Trường ${name} không có trong JSON Schema.`);
      if (seen.has(name)) bad(`/form/ui/order/${i}`, `Trường ${name} xuất hiện hai lần.`);
      seen.add(name);
    });
    for (const name of props) {
      if (!seen.has(name)) bad("/form/ui/order", `Thiếu trường ${name} trong thứ tự hiển thị.`);
      if (!content.form.ui.fields[name]) bad(`/form/ui/fields/${name}`, `Trường ${name} cần nhãn hiển thị.`);
    }
    (content.form.ui.subject ?? []).forEach((name, i) => {
      if (!props.has(name)) bad(`/form/ui/subject/${i}`, `Trường ${name} không có trong JSON Schema.`);
    });
    for (const name of Object.keys(content.form.ui.fields)) {
      if (!props.has(name)) bad(`/form/ui/fields/${name}`, `Trường ${name} không có trong JSON Schema.`);
    }
    registryHintProblems(content, bad);
  }

  content.agencies.forEach((code, i) => {
    if (!facts.departments.has(code)) bad(`/agencies/${i}`, `Không có cơ quan ${code} trong danh mục cơ quan.`);
  });
  content.steps.forEach((s, i) => {
    if (s.agency && !facts.departments.has(s.agency)) bad(`/steps/${i}/agency`, `Không có cơ quan ${s.agency} trong danh mục cơ quan.`);
    // A department belongs to the agency that does the step: the other agency, else each implementing one.
    if (s.department) {
      const doers = s.agency ? [s.agency] : content.agencies;
      const missing = doers.filter((a) => facts.departments.has(a) && !facts.departments.get(a)!.has(s.department!));
      if (missing.length) bad(`/steps/${i}/department`, `Phòng ban ${s.department} không có ở cơ quan ${missing.join(", ")}.`);
    }
  });

  content.legalBasis.forEach((l, i) => {
    if (l.effectiveTo && l.effectiveTo < l.effectiveFrom) bad(`/legalBasis/${i}/effectiveTo`, "Ngày hết hiệu lực trước ngày có hiệu lực.");
    if (l.issuedOn && l.issuedOn > l.effectiveFrom) bad(`/legalBasis/${i}/issuedOn`, "Ngày ban hành sau ngày có hiệu lực.");
  });
  return problems;
}

function uniqueKeys(items: Array<{ key: string }>, base: string, what: string, bad: (path: string, message: string) => void) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.key)) bad(`${base}/${i}/key`, `Mã ${item.key} của ${what} bị trùng.`);
    seen.add(item.key);
  });
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
