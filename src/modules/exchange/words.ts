// The exchange's words on the pages, Vietnamese first: statuses, states, changes asked for.
import { tr } from "../../web/i18n.ts";
import type { PageRequest } from "../../web/render.ts";

type Words = Record<string, readonly [string, string]>;

export const STATUS_WORDS: Words = {
  "01": ["Đã đến", "Arrived"],
  "02": ["Từ chối tiếp nhận", "Refused"],
  "03": ["Đã tiếp nhận", "Accepted"],
  "04": ["Đã phân công", "Assigned"],
  "05": ["Đang xử lý", "Processing"],
  "06": ["Hoàn thành", "Done"],
  "13": ["Bên gửi thu hồi", "Recalled by the sender"],
  "15": ["Đồng ý thu hồi/cập nhật", "Recall or update accepted"],
  "16": ["Từ chối thu hồi/cập nhật", "Recall or update refused"],
};

export const STATE_WORDS: Words = {
  received: ["Chờ tiếp nhận", "To be accepted"],
  refused: ["Đã từ chối", "Refused"],
  accepted: ["Đã tiếp nhận", "Accepted"],
  assigned: ["Đã phân công", "Assigned"],
  processing: ["Đang xử lý", "Processing"],
  done: ["Hoàn thành", "Done"],
  recalled: ["Đã thu hồi", "Recalled"],
  replaced: ["Đã được thay thế", "Replaced"],
  sent: ["Đã gửi", "Sent"],
};

export const DELIVERY_WORDS: Words = {
  pending: ["Đang chuyển", "On its way"],
  delivered: ["Đã chuyển đến", "Delivered"],
  undelivered: ["Không chuyển được", "Undelivered"],
};

export const CHANGE_WORDS: Words = {
  1: ["Bên gửi đề nghị thu hồi văn bản", "The sender asks to revoke the document"],
  2: ["Bên gửi gửi bản cập nhật của văn bản", "The sender sent an update of the document"],
  3: ["Bên gửi thay thế văn bản bằng văn bản mới", "The sender replaced the document by a new one"],
};

const say = (page: PageRequest, words: Words, key: string | number) => {
  const w = words[String(key)];
  return w ? tr(page, w[0], w[1]) : String(key);
};
export const statusName = (page: PageRequest, code: string) => `${code} · ${say(page, STATUS_WORDS, code)}`;
export const stateName = (page: PageRequest, state: string) => say(page, STATE_WORDS, state);
export const deliveryName = (page: PageRequest, d: string) => say(page, DELIVERY_WORDS, d);
export const changeName = (page: PageRequest, type: number) => say(page, CHANGE_WORDS, type);
