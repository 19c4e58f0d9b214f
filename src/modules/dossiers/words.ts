// The dossier's words on the pages, Vietnamese first: each internal status, action, queue and rating
// level in the words an applicant or an officer reads (DOMAIN.md §3), never the internal code.
import { tr } from "../../web/i18n.ts";
import type { PageRequest } from "../../web/render.ts";
import type { DossierAction, DossierStatus, Queue } from "./model.ts";

type Words<K extends string> = Record<K, readonly [string, string]>;

export const STATUS_WORDS: Words<DossierStatus> = {
  draft: ["Bản nháp (chưa nộp)", "Draft (not filed)"],
  new: ["Mới đăng ký, chờ tiếp nhận", "Filed, awaiting reception"],
  incomplete: ["Cần hoàn thiện trước khi tiếp nhận", "To be completed before reception"],
  refused_receipt: ["Không được tiếp nhận", "Not received"],
  processing: ["Đang xử lý", "Being processed"],
  supplementing: ["Chờ bổ sung", "Awaiting supplement"],
  withdrawn: ["Đã rút hồ sơ", "Withdrawn"],
  stopped: ["Dừng xử lý", "Processing stopped"],
  refused: ["Từ chối giải quyết", "Refused"],
  done: ["Đã có kết quả", "Result issued"],
  returned: ["Đã trả kết quả", "Result returned"],
};

/** What an action is called on its button and in the history ("received" is the receipt's own entry). */
export const ACTION_WORDS: Words<DossierAction | "received"> = {
  submit: ["Nộp hồ sơ", "File"],
  received: ["Tiếp nhận hồ sơ, cấp mã và hẹn trả kết quả", "Received, code and return date issued"],
  receive: ["Tiếp nhận hồ sơ", "Receive"],
  refuse_receipt: ["Từ chối tiếp nhận", "Refuse to receive"],
  assign: ["Phân công xử lý", "Assign"],
  forward: ["Chuyển bước tiếp theo", "Forward to the next step"],
  send_back: ["Chuyển trả bước trước", "Send back to the previous step"],
  request_supplement: ["Yêu cầu bổ sung hồ sơ", "Request a supplement"],
  supplement: ["Bổ sung hồ sơ", "Supplement"],
  approve: ["Phê duyệt", "Approve"],
  refuse: ["Từ chối giải quyết", "Refuse"],
  apologize: ["Xin lỗi và hẹn lại ngày trả kết quả", "Apologise and set a new return date"],
  stop: ["Dừng xử lý", "Stop processing"],
  finish: ["Kết thúc xử lý, có kết quả", "Finish with the result"],
  return: ["Trả kết quả", "Return the result"],
  withdraw: ["Rút hồ sơ", "Withdraw"],
};

export const QUEUE_WORDS: Words<Queue> = {
  new: ["Mới tiếp nhận", "New"],
  processing: ["Đang xử lý", "Processing"],
  supplement: ["Chờ bổ sung", "Awaiting supplement"],
  due_soon: ["Sắp đến hạn", "Due soon"],
  overdue: ["Quá hạn", "Overdue"],
  finished: ["Đã có kết quả", "Result issued"],
  returned: ["Đã trả kết quả", "Returned"],
};

/** The national portal's three satisfaction levels (DOMAIN.md §3). */
export const RATING_LEVELS = ["very_satisfied", "satisfied", "unsatisfied"] as const;
export const RATING_WORDS: Words<(typeof RATING_LEVELS)[number]> = {
  very_satisfied: ["Rất hài lòng", "Very satisfied"],
  satisfied: ["Hài lòng", "Satisfied"],
  unsatisfied: ["Không hài lòng", "Not satisfied"],
};

export const RETURN_METHODS = ["counter", "post", "online"] as const;
export const RETURN_WORDS: Words<(typeof RETURN_METHODS)[number]> = {
  counter: ["Trả trực tiếp tại quầy", "At the counter"],
  post: ["Qua bưu chính công ích", "By public post"],
  online: ["Trực tuyến (tải về trên Cổng)", "Online (download on the portal)"],
};

export const TIMELINESS_WORDS: Words<"early" | "on_time" | "late"> = {
  early: ["Trước hạn", "Early"],
  on_time: ["Đúng hạn", "On time"],
  late: ["Quá hạn", "Late"],
};

const say = <K extends string>(page: PageRequest, words: Words<K>, key: string): string => {
  const w = (words as Record<string, readonly [string, string]>)[key];
  return w ? tr(page, w[0], w[1]) : key;
};
export const statusName = (page: PageRequest, s: string) => say(page, STATUS_WORDS, s);
export const actionName = (page: PageRequest, a: string) => say(page, ACTION_WORDS, a);
export const queueName = (page: PageRequest, q: string) => say(page, QUEUE_WORDS, q);
export const ratingName = (page: PageRequest, l: string) => say(page, RATING_WORDS, l);
export const returnName = (page: PageRequest, m: string) => say(page, RETURN_WORDS, m);
export const timelinessName = (page: PageRequest, t: string) => say(page, TIMELINESS_WORDS, t);
/**
 * A finished dossier against its legal due date: late is late whether or not the agency apologised, and says
 * so (DOMAIN.md §3: the apology excuses nothing).
 */
export const dossierTimelinessName = (page: PageRequest, t: string, apologized: boolean) =>
  t === "late" && apologized ? tr(page, "Trễ hạn, đã xin lỗi", "Late, apologised") : timelinessName(page, t);
