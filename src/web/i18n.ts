import type { Lang } from "../platform/http/language.ts";

export type { Lang };

/**
 * The pages' text, Vietnamese first. Every key exists in both languages: the English table is typed
 * by the Vietnamese one, so a missing translation fails the typecheck. `{name}` marks a parameter.
 */
const vi = {
  "site.name": "Một cửa điện tử",
  "site.portal": "Cổng dịch vụ công",
  "site.office": "Hệ thống một cửa",
  "skip.main": "Bỏ qua đến nội dung chính",
  "nav.label": "Điều hướng chính",
  "nav.home": "Trang chủ",
  "nav.daysOff": "Ngày nghỉ",
  "nav.office": "Dành cho cán bộ",
  "nav.portal": "Cổng dịch vụ công",
  "nav.officeHome": "Bàn làm việc",
  "nav.api": "API cho nhà phát triển",
  "nav.catalog": "Thủ tục hành chính",
  "nav.catalogAdmin": "Quản lý thủ tục",
  "nav.myDossiers": "Hồ sơ của tôi",
  "nav.lookup": "Tra cứu hồ sơ",
  "nav.dossiers": "Hồ sơ cần xử lý",
  "nav.intake": "Tiếp nhận tại quầy",
  "lang.label": "Ngôn ngữ",
  "viewer.signIn": "Đăng nhập",
  "viewer.signOut": "Đăng xuất",
  "viewer.signedInAs": "Xin chào, {name}",
  "footer.about":
    "motcua là phần mềm Chính phủ điện tử mã nguồn mở (giấy phép AGPL-3.0): cổng dịch vụ công, một cửa điện tử, liên thông văn bản và chia sẻ dữ liệu.",
  "footer.api": "Tài liệu API",
  "card.coming": "Sắp có",
  "card.open": "Mở",

  "home.title": "Cổng dịch vụ công",
  "home.heading": "Dịch vụ công trực tuyến",
  "home.intro":
    "Tìm thủ tục hành chính, nộp hồ sơ trực tuyến, theo dõi kết quả và góp ý với cơ quan nhà nước — tại một nơi.",
  "home.offers": "Những gì nền tảng cung cấp",
  "home.catalog.title": "Thủ tục hành chính",
  "home.catalog.text": "Tra cứu thủ tục theo tên, lĩnh vực, cơ quan: thành phần hồ sơ, thời hạn giải quyết, phí và lệ phí.",
  "home.file.title": "Nộp hồ sơ trực tuyến",
  "home.file.text": "Điền tờ khai, đính kèm giấy tờ và nộp hồ sơ mà không cần đến cơ quan; thanh toán phí trực tuyến.",
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
  "office.signIn": "Cán bộ cần đăng nhập (có xác thực hai lớp) để sử dụng các chức năng dưới đây.",
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

  "daysOff.title": "Ngày nghỉ năm {year}",
  "daysOff.heading": "Ngày nghỉ lễ, Tết năm {year}",
  "daysOff.intro":
    "Các ngày nghỉ theo Điều 112 Bộ luật Lao động 2019 và thông báo của Chính phủ. Thời hạn giải quyết hồ sơ không tính các ngày này.",
  "daysOff.yearLabel": "Năm",
  "daysOff.show": "Xem",
  "daysOff.previous": "Năm trước ({year})",
  "daysOff.next": "Năm sau ({year})",
  "daysOff.otherYears": "Năm khác",
  "daysOff.caption": "Danh sách ngày nghỉ năm {year}",
  "daysOff.count": "{count} ngày nghỉ",
  "daysOff.date": "Ngày",
  "daysOff.weekday": "Thứ",
  "daysOff.name": "Tên ngày nghỉ",
  "daysOff.kind": "Loại",
  "daysOff.empty": "Chưa có ngày nghỉ nào được ghi cho năm {year}.",
  "daysOff.invalidYear": "Năm không hợp lệ: hãy nhập một năm từ {min} đến {max}.",
  "daysOff.kind.holiday": "Nghỉ lễ, Tết",
  "daysOff.kind.compensatory": "Nghỉ bù",
  "daysOff.kind.swap": "Nghỉ hoán đổi",
  "daysOff.kind.other": "Ngày nghỉ khác",

  "notFound.title": "Không tìm thấy trang",
  "notFound.heading": "Không tìm thấy trang",
  "notFound.text": "Địa chỉ bạn mở không có trên hệ thống. Có thể liên kết đã cũ hoặc địa chỉ bị gõ sai.",
  "notFound.home": "Về trang chủ",

  "error.title": "Đã có lỗi xảy ra",
  "error.text": "Hệ thống chưa xử lý được yêu cầu này. Vui lòng thử lại sau ít phút.",
  "error.reference": "Mã tham chiếu khi liên hệ hỗ trợ: {id}",
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  "site.name": "One-Stop e-Services",
  "site.portal": "Public service portal",
  "site.office": "One-stop office",
  "skip.main": "Skip to main content",
  "nav.label": "Main navigation",
  "nav.home": "Home",
  "nav.daysOff": "Days off",
  "nav.office": "For officers",
  "nav.portal": "Public service portal",
  "nav.officeHome": "Workspace",
  "nav.api": "API for developers",
  "nav.catalog": "Procedures",
  "nav.catalogAdmin": "Manage procedures",
  "nav.myDossiers": "My dossiers",
  "nav.lookup": "Look up a dossier",
  "nav.dossiers": "Work queue",
  "nav.intake": "Counter intake",
  "lang.label": "Language",
  "viewer.signIn": "Sign in",
  "viewer.signOut": "Sign out",
  "viewer.signedInAs": "Signed in as {name}",
  "footer.about":
    "motcua is open-source e-Government software (AGPL-3.0 licence): public-service portal, one-stop office, document exchange and data sharing.",
  "footer.api": "API documentation",
  "card.coming": "Coming soon",
  "card.open": "Open",

  "home.title": "Public service portal",
  "home.heading": "Online public services",
  "home.intro":
    "Find administrative procedures, file applications online, follow their progress and give feedback to the administration — in one place.",
  "home.offers": "What the platform offers",
  "home.catalog.title": "Administrative procedures",
  "home.catalog.text": "Search procedures by name, field or agency: required documents, processing time, fees and charges.",
  "home.file.title": "File an application online",
  "home.file.text": "Fill in the form, attach documents and submit without visiting the office; pay fees online.",
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
  "office.signIn": "Officers sign in (with a second factor) to use the functions below.",
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

  "daysOff.title": "Days off in {year}",
  "daysOff.heading": "Public holidays and days off in {year}",
  "daysOff.intro":
    "Days off under Article 112 of the Labour Code 2019 and the Government's announcements. Processing times do not count these days.",
  "daysOff.yearLabel": "Year",
  "daysOff.show": "Show",
  "daysOff.previous": "Previous year ({year})",
  "daysOff.next": "Next year ({year})",
  "daysOff.otherYears": "Other years",
  "daysOff.caption": "Days off in {year}",
  "daysOff.count": "{count} days off",
  "daysOff.date": "Date",
  "daysOff.weekday": "Weekday",
  "daysOff.name": "Name",
  "daysOff.kind": "Kind",
  "daysOff.empty": "No days off are recorded for {year} yet.",
  "daysOff.invalidYear": "Not a valid year: enter a year from {min} to {max}.",
  "daysOff.kind.holiday": "Public holiday",
  "daysOff.kind.compensatory": "Compensatory day off",
  "daysOff.kind.swap": "Swapped day off",
  "daysOff.kind.other": "Other day off",

  "notFound.title": "Page not found",
  "notFound.heading": "Page not found",
  "notFound.text": "There is no page at this address. The link may be out of date or the address mistyped.",
  "notFound.home": "Go to the home page",

  "error.title": "Something went wrong",
  "error.text": "The system could not handle this request. Please try again in a few minutes.",
  "error.reference": "Reference to quote when contacting support: {id}",
};

const catalogues: Record<Lang, Record<MessageKey, string>> = { vi, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The text of `key` in `lang`, with `{name}` parameters filled in. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = catalogues[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator bound to one language, for a page to pass around as `t`. */
export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}

/** Every key, for the test that checks both catalogues are filled. */
export function messageKeys(): MessageKey[] {
  return Object.keys(vi) as MessageKey[];
}

export function catalogue(lang: Lang): Readonly<Record<MessageKey, string>> {
  return catalogues[lang];
}
