// The pages' text: Vietnamese first, English by the language switch. One system for every page: `tr()` for
// text written where it is shown, and tables of keys (`defineMessages`) for the kit's text and each module's
// (`messages` of its definition, registered by the app as its menus are). `{name}` marks a parameter.
import type { Lang } from "../platform/http/language.ts";
import type { Messages } from "../platform/module.ts";

export type { Lang };

/** The values of a text's `{name}` parameters. */
export type Params = Readonly<Record<string, string | number>>;

/** `vi` or `en`, by the page's language: for text written where it is shown. */
export function tr(page: { lang: Lang }, vi: string, en: string): string {
  return page.lang === "en" ? en : vi;
}

/** `text` with its `{name}` parameters filled in; an unknown one stays as written. */
export function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A table of text by key, in both languages: the English is typed by the Vietnamese, so a missing one fails the typecheck. */
export interface MessageTable<Key extends string> extends Messages<Key> {
  /** The page's translator for these keys, checked when compiled: `t("daysOff.heading", { year })`. */
  of(page: { lang: Lang }): (key: Key, params?: Params) => string;
}

/** The keys of a table: `MessageKeyOf<typeof calendarMessages>`. */
export type MessageKeyOf<T> = T extends MessageTable<infer Key> ? Key : never;

/**
 * Declares a table of text (the kit's, or a module's: pass it as the module's `messages` too, so the kit's
 * `page.t` knows its keys and the app refuses a key two modules define).
 */
export function defineMessages<Key extends string>(table: { vi: Readonly<Record<Key, string>>; en: Readonly<Record<NoInfer<Key>, string>> }): MessageTable<Key> {
  const { vi, en } = table;
  return { vi, en, of: (page) => (key, params) => fill((page.lang === "en" ? en : vi)[key], params) };
}

const KIT_VI = {
  "site.name": "Một cửa điện tử",
  "site.portal": "Cổng dịch vụ công",
  "site.office": "Hệ thống một cửa",
  "skip.main": "Bỏ qua đến nội dung chính",
  "nav.label": "Điều hướng chính",
  "nav.menu": "Menu",
  "footer.daysOff": "Ngày nghỉ",
  "lang.label": "Ngôn ngữ",
  "viewer.signIn": "Đăng nhập",
  "viewer.signOut": "Đăng xuất",
  "viewer.signedInAs": "Xin chào, {name}",
  "footer.about":
    "motcua là phần mềm Chính phủ điện tử mã nguồn mở (giấy phép AGPL-3.0): cổng dịch vụ công, một cửa điện tử, liên thông văn bản và chia sẻ dữ liệu.",
  "footer.api": "Tài liệu API",
  "card.coming": "Sắp có",

  "home.title": "Cổng dịch vụ công",
  "home.heading": "Dịch vụ công trực tuyến",
  "home.intro":
    "Tìm thủ tục hành chính, nộp hồ sơ trực tuyến, theo dõi kết quả và góp ý với cơ quan nhà nước — tại một nơi.",
  "home.offers": "Những gì nền tảng cung cấp",
  "home.catalog.title": "Thủ tục hành chính",
  "home.catalog.text": "Tra cứu thủ tục theo tên, lĩnh vực, cơ quan: thành phần hồ sơ, thời hạn giải quyết, phí và lệ phí.",
  "home.file.title": "Nộp hồ sơ trực tuyến",
  "home.file.text": "Điền tờ khai, đính kèm giấy tờ và nộp hồ sơ mà không cần đến cơ quan; theo dõi hồ sơ và tải kết quả điện tử trên cổng.",
  "home.lookup.title": "Tra cứu hồ sơ",
  "home.lookup.text": "Xem tình trạng xử lý và ngày hẹn trả kết quả bằng mã hồ sơ ghi trên giấy tiếp nhận.",
  "home.feedback.title": "Phản ánh, kiến nghị",
  "home.feedback.text": "Gửi phản ánh, kiến nghị về quy định hành chính và việc giải quyết thủ tục; theo dõi câu trả lời.",
  "home.data.title": "Dữ liệu của tôi",
  "home.data.text": "Xem cơ quan nào đã tra cứu dữ liệu dân cư của bạn, khi nào và để làm gì.",
  "home.dashboards.title": "Số liệu công khai",
  "home.dashboards.text": "Kết quả giải quyết hồ sơ đúng hạn, mức độ hài lòng và Bộ chỉ số phục vụ người dân, doanh nghiệp.",
  "home.daysOff.title": "Ngày nghỉ lễ, Tết",
  "home.daysOff.text": "Các ngày nghỉ trong năm, dùng để tính ngày hẹn trả kết quả.",
  "home.api.title": "API cho nhà phát triển",
  "home.api.text": "Mô tả OpenAPI của các dịch vụ công khai, để tích hợp với hệ thống của cơ quan, doanh nghiệp.",

  "office.title": "Hệ thống một cửa — dành cho cán bộ",
  "office.heading": "Bàn làm việc của cán bộ",
  "office.intro":
    "Tiếp nhận hồ sơ tại quầy hoặc trực tuyến, luân chuyển xử lý giữa các phòng ban, trả kết quả và gửi nhận văn bản liên thông.",
  "office.signIn": "Cán bộ cần đăng nhập (có xác thực hai bước) để sử dụng các chức năng dưới đây.",
  "office.offers": "Chức năng",
  "office.inbox.title": "Hồ sơ cần xử lý",
  "office.inbox.text": "Hồ sơ mới, đang xử lý, chờ bổ sung, sắp đến hạn và quá hạn của đơn vị.",
  "office.receive.title": "Tiếp nhận hồ sơ",
  "office.receive.text": "Kiểm tra, tiếp nhận hồ sơ và in giấy tiếp nhận, hẹn trả kết quả (Mẫu 01).",
  "office.exchange.title": "Văn bản liên thông",
  "office.exchange.text": "Gửi, nhận văn bản điện tử giữa các cơ quan theo chuẩn edXML.",
  "office.catalog.title": "Quản lý thủ tục",
  "office.catalog.text": "Soạn, công bố thủ tục hành chính, biểu mẫu và quy trình xử lý.",
  "office.kpi.title": "Báo cáo, chỉ số",
  "office.kpi.text": "Kết quả giải quyết hồ sơ của đơn vị và Bộ chỉ số theo Quyết định 766/QĐ-TTg.",
  "office.daysOff.title": "Lịch ngày nghỉ",
  "office.daysOff.text": "Các ngày nghỉ lễ, Tết, nghỉ bù dùng để tính thời hạn giải quyết.",

  "notFound.title": "Không tìm thấy trang",
  "notFound.heading": "Không tìm thấy trang",
  "notFound.text": "Địa chỉ bạn mở không có trên hệ thống. Có thể liên kết đã cũ hoặc địa chỉ bị gõ sai.",
  "notFound.home": "Về trang chủ",

  "error.title": "Đã có lỗi xảy ra",
  "error.text": "Hệ thống chưa xử lý được yêu cầu này. Vui lòng thử lại sau ít phút.",
  "error.reference": "Mã tham chiếu khi liên hệ hỗ trợ: {id}",
  "unavailable.title": "Hệ thống tạm thời gián đoạn",
  "unavailable.retry": "Tải lại trang",
};

const KIT_EN: Record<keyof typeof KIT_VI, string> = {
  "site.name": "One-Stop e-Services",
  "site.portal": "Public service portal",
  "site.office": "One-stop office",
  "skip.main": "Skip to main content",
  "nav.label": "Main navigation",
  "nav.menu": "Menu",
  "footer.daysOff": "Days off",
  "lang.label": "Language",
  "viewer.signIn": "Sign in",
  "viewer.signOut": "Sign out",
  "viewer.signedInAs": "Signed in as {name}",
  "footer.about":
    "motcua is open-source e-Government software (AGPL-3.0 licence): public-service portal, one-stop office, document exchange and data sharing.",
  "footer.api": "API documentation",
  "card.coming": "Coming soon",

  "home.title": "Public service portal",
  "home.heading": "Online public services",
  "home.intro":
    "Find administrative procedures, file applications online, follow their progress and give feedback to the administration — in one place.",
  "home.offers": "What the platform offers",
  "home.catalog.title": "Administrative procedures",
  "home.catalog.text": "Search procedures by name, field or agency: required documents, processing time, fees and charges.",
  "home.file.title": "File an application online",
  "home.file.text": "Fill in the form, attach documents and submit without visiting the office; follow the application and download an electronic result here.",
  "home.lookup.title": "Look up an application",
  "home.lookup.text": "See the processing status and the promised return date with the code on your receipt.",
  "home.feedback.title": "Feedback and petitions",
  "home.feedback.text": "Report problems with administrative rules or the handling of a procedure, and follow the answer.",
  "home.data.title": "My data",
  "home.data.text": "See which agency looked up your population-registry data, when, and for what purpose.",
  "home.dashboards.title": "Public statistics",
  "home.dashboards.text": "Applications settled on time, satisfaction, and the index of service to citizens and businesses.",
  "home.daysOff.title": "Public holidays",
  "home.daysOff.text": "The days off of the year, used to compute return dates.",
  "home.api.title": "API for developers",
  "home.api.text": "The OpenAPI description of the public services, for integration with agencies' and businesses' systems.",

  "office.title": "One-stop office — for officers",
  "office.heading": "Officer's workspace",
  "office.intro":
    "Receive applications at the counter or online, route them between departments, return results and exchange official documents.",
  "office.signIn": "Officers sign in (with two-step verification) to use the functions below.",
  "office.offers": "Functions",
  "office.inbox.title": "Work queue",
  "office.inbox.text": "New, in progress, awaiting supplement, due soon and overdue applications of your unit.",
  "office.receive.title": "Receive applications",
  "office.receive.text": "Check and receive an application, print the receipt with the return date (Form 01).",
  "office.exchange.title": "Document exchange",
  "office.exchange.text": "Send and receive electronic official documents between agencies (edXML).",
  "office.catalog.title": "Procedure management",
  "office.catalog.text": "Draft and publish administrative procedures, their forms and processing steps.",
  "office.kpi.title": "Reports and indicators",
  "office.kpi.text": "Your unit's results and the index of Decision 766/QĐ-TTg.",
  "office.daysOff.title": "Calendar of days off",
  "office.daysOff.text": "Public holidays and compensatory days off used to compute deadlines.",

  "notFound.title": "Page not found",
  "notFound.heading": "Page not found",
  "notFound.text": "There is no page at this address. The link may be out of date or the address mistyped.",
  "notFound.home": "Go to the home page",

  "error.title": "Something went wrong",
  "error.text": "The system could not handle this request. Please try again in a few minutes.",
  "error.reference": "Reference to quote when contacting support: {id}",
  "unavailable.title": "Briefly unavailable",
  "unavailable.retry": "Reload the page",
};

/** The kit's own text: the frame of every page, the homes, the error pages. */
export const kitMessages = defineMessages({ vi: KIT_VI, en: KIT_EN });

export type MessageKey = keyof typeof KIT_VI;

/**
 * A page's translator: the kit's keys, typed; at run time it also knows every table the app registered
 * (`registerMessages`), for a kit component given a module's key.
 */
export type Translate = (key: MessageKey, params?: Params) => string;

/** Every text the pages of an app can say, by language: the kit's and the modules' tables. */
export interface Catalogue {
  readonly tables: readonly Messages[];
  readonly vi: ReadonlyMap<string, string>;
  readonly en: ReadonlyMap<string, string>;
}

/**
 * The catalogue of the kit's table and `tables` (the modules' `messages`). Throws when a key is defined twice
 * or a table lacks a key in one language: every key means one text, in both languages.
 */
export function catalogueOf(tables: readonly Messages[] = []): Catalogue {
  const all: readonly Messages[] = [kitMessages, ...tables];
  const vi = new Map<string, string>();
  const en = new Map<string, string>();
  for (const table of all) {
    const keys = Object.keys(table.vi);
    const missing = [...keys.filter((k) => !(k in table.en)), ...Object.keys(table.en).filter((k) => !(k in table.vi))];
    if (missing.length) throw new Error(`messages: "${missing[0]}" is not in both languages`);
    for (const key of keys) {
      if (vi.has(key)) throw new Error(`messages: the key "${key}" is defined twice`);
      vi.set(key, table.vi[key]!);
      en.set(key, table.en[key]!);
    }
  }
  return { tables: all, vi, en };
}

const KIT_CATALOGUE = catalogueOf();

/** A translator bound to one language, for a page to pass around as `t`; an unknown key is shown as itself. */
export function translator(lang: Lang, catalogue: Catalogue = KIT_CATALOGUE): Translate {
  const texts = catalogue[lang];
  return (key, params) => fill(texts.get(key) ?? key, params);
}
