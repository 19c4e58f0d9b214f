// The catalogue's words on the pages, Vietnamese first: channels, units, levels, money, and a JSON
// pointer into a version document said in words ("Trình tự thực hiện › bước 2 › giờ").
import { formatMoney, formatNumber } from "../../web/format.ts";
import { tr } from "../../web/i18n.ts";
import type { PageRequest } from "../../web/render.ts";
import { FIELD_WORDS, SECTIONS } from "./diff.ts";
import type { Fee, ProcedureContent, ProcessingTime } from "./model.ts";


type Words = Record<string, readonly [string, string]>;
const say = (page: PageRequest, words: Words, key: string | number) => {
  const w = words[String(key)];
  return w ? tr(page, w[0], w[1]) : String(key);
};

export const CHANNEL_WORDS: Words = {
  counter: ["Trực tiếp", "In person"],
  online: ["Trực tuyến", "Online"],
  post: ["Bưu chính công ích", "Public postal service"],
};
/** How one files on a channel other than online, in a sentence ("nộp hồ sơ trực tiếp"). */
const FILING_WORDS: Words = {
  counter: ["trực tiếp", "in person"],
  post: ["qua dịch vụ bưu chính công ích", "through the public postal service"],
};
const UNIT_WORDS: Words = {
  working_days: ["ngày làm việc", "working days"],
  days: ["ngày", "days"],
  hours: ["giờ làm việc", "working hours"],
  same_day: ["trong ngày", "the same day"],
};
export const LEVEL_WORDS: Words = { ministry: ["Cấp Bộ", "Ministry"], province: ["Cấp tỉnh", "Province"], commune: ["Cấp xã", "Commune"] };
export const AUDIENCE_WORDS: Words = { citizen: ["Công dân", "Citizens"], business: ["Doanh nghiệp, tổ chức", "Businesses and organisations"] };
export const ONLINE_LEVEL_WORDS: Words = { full: ["Toàn trình", "Fully online"], partial: ["Một phần", "Partly online"] };
export const ASSURANCE_WORDS: Words = {
  0: ["Chỉ cần tài khoản trên Cổng (không yêu cầu định danh điện tử)", "An account on the portal is enough (no electronic identification required)"],
  1: ["Cần tài khoản định danh điện tử mức 1", "Requires an electronic identification account, level 1"],
  2: ["Cần tài khoản định danh điện tử mức 2", "Requires an electronic identification account, level 2"],
};
const FEE_KIND_WORDS: Words = { fee: ["Lệ phí", "Fee"], charge: ["Phí", "Charge"] };
const ROLE_WORDS: Words = { receiver: ["Bộ phận tiếp nhận và trả kết quả", "Reception desk"], specialist: ["Chuyên viên xử lý", "Specialist"], leader: ["Lãnh đạo", "Leader"] };

export const channelName = (page: PageRequest, c: string) => say(page, CHANNEL_WORDS, c);
export const filingPhrase = (page: PageRequest, c: string) => say(page, FILING_WORDS, c);
export const levelName = (page: PageRequest, l: string) => say(page, LEVEL_WORDS, l);
export const audienceName = (page: PageRequest, a: string) => say(page, AUDIENCE_WORDS, a);
export const onlineLevelName = (page: PageRequest, l: string) => say(page, ONLINE_LEVEL_WORDS, l);
export const assuranceText = (page: PageRequest, n: number) => say(page, ASSURANCE_WORDS, n);
export const feeKindName = (page: PageRequest, k: string) => say(page, FEE_KIND_WORDS, k);
export const roleName = (page: PageRequest, r: string) => say(page, ROLE_WORDS, r);

/** `5 ngày làm việc`, `0,5 ngày làm việc`, `4 giờ làm việc`. */
export function timeText(page: PageRequest, t: Pick<ProcessingTime, "amount" | "unit">): string {
  if (t.unit === "same_day") return tr(page, "Trong ngày (tiếp nhận sau giờ chốt: ngày làm việc tiếp theo)", "The same day (received after the cut-off: the next working day)");
  return `${formatNumber(t.amount, page.lang)} ${say(page, UNIT_WORDS, t.unit)}`;
}

/** `75.000 đồng` (as the catalogue publishes amounts), `Miễn phí` for nothing. */
export function moneyText(page: PageRequest, amount: number): string {
  if (amount <= 0) return tr(page, "Miễn phí", "Free");
  return page.lang === "en" ? formatMoney(amount, "en") : `${formatNumber(amount, "vi")} đồng`;
}

/** Whether a procedure charges nothing at all. */
export const isFree = (fees: ReadonlyArray<Pick<Fee, "amount">>) => fees.every((f) => f.amount <= 0);

const SECTIONS_EN: Record<keyof ProcedureContent, string> = {
  code: "Procedure code",
  illustrative: "Illustrative code",
  name: "Name",
  description: "Description",
  field: "Field",
  levels: "Levels",
  agencies: "Implementing agencies",
  audience: "Who may file",
  onlineLevel: "Online service level",
  assuranceLevel: "Electronic identification required",
  components: "Dossier components",
  form: "Form (e-form)",
  fees: "Fees and charges",
  processingTimes: "Processing time",
  results: "Results",
  conditions: "Requirements and conditions",
  legalBasis: "Legal basis",
  steps: "Process steps",
};
const FIELD_WORDS_EN: Record<string, string> = {
  replacedByEForm: "the e-form stands for it online",
  shownOnly: "shown in person only",
  name: "name",
  required: "required",
  counts: "number of copies",
  fileTypes: "file types",
  template: "template",
  note: "note",
  kind: "kind",
  amount: "amount",
  channel: "channel",
  exemptions: "exemptions",
  unit: "unit",
  role: "role",
  department: "department",
  agency: "inter-agency step",
  hours: "hours",
  leaderSigns: "leader signs",
  title: "title",
  issuedOn: "issued on",
  effectiveFrom: "effective from",
  effectiveTo: "effective until",
  electronic: "electronic result",
  schema: "JSON Schema",
  ui: "labels and order",
  key: "key",
  code: "code",
  description: "description",
};
const FIELD_WORDS_VI: Record<string, string> = { key: "mã", code: "mã", description: "mô tả", ...FIELD_WORDS };
/** What one item of each list is called ("bước 2"). */
const ITEM_WORDS: Record<string, readonly [string, string]> = {
  components: ["thành phần", "component"],
  fees: ["khoản thu", "fee"],
  processingTimes: ["cách thức", "channel"],
  results: ["kết quả", "result"],
  conditions: ["điều kiện", "condition"],
  legalBasis: ["văn bản", "document"],
  steps: ["bước", "step"],
  agencies: ["cơ quan", "agency"],
  levels: ["mục", "item"],
  audience: ["mục", "item"],
  exemptions: ["trường hợp", "case"],
  order: ["vị trí", "position"],
};

export function sectionName(page: PageRequest, key: string): string {
  const k = key as keyof ProcedureContent;
  return (page.lang === "en" ? SECTIONS_EN[k] : SECTIONS[k]) ?? key;
}

/** A JSON pointer into a version document in words: `/steps/1/hours` → `Trình tự thực hiện › bước 2 › thời gian (giờ làm việc)`. */
export function readablePath(page: PageRequest, pointer: string): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .filter((p) => p !== "")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (parts.length === 0) return tr(page, "Toàn bộ thủ tục", "The whole procedure");
  const words = [sectionName(page, parts[0]!)];
  let list = parts[0]!;
  for (const part of parts.slice(1)) {
    if (/^\d+$/.test(part)) {
      const item = ITEM_WORDS[list] ?? ["mục", "item"];
      words.push(`${tr(page, item[0], item[1])} ${Number(part) + 1}`);
    } else {
      words.push((page.lang === "en" ? FIELD_WORDS_EN[part] : FIELD_WORDS_VI[part]) ?? part);
      list = part;
    }
  }
  return words.join(" › ");
}
