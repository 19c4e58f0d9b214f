import { defineError } from "../http/errors.ts";

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export const FileTooLarge = defineError<[number]>(
  "files.too_large",
  "too_large",
  (max) => ({
    vi: `Tệp vượt quá dung lượng cho phép (${size(max)}).`,
    en: `The file is larger than allowed (${size(max)}).`,
  }),
  (max) => ({ details: { maxBytes: max } }),
);

export const FileTypeNotAllowed = defineError<[string, readonly string[]]>(
  "files.type_not_allowed",
  "unsupported",
  (type) => ({
    vi: `Loại tệp ${type} không được chấp nhận.`,
    en: `Files of type ${type} are not accepted.`,
  }),
  (type, allowed) => ({ details: { contentType: type, allowed: [...allowed] } }),
);

export const FileNotFound = defineError<[string]>("files.not_found", "not_found", () => ({
  vi: "Không tìm thấy tệp.",
  en: "No such file.",
}));

export const EmptyFile = defineError("files.empty", "invalid", () => ({
  vi: "Tệp rỗng.",
  en: "The file is empty.",
}));
