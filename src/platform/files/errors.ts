import { defineError } from "../http/errors.ts";

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** `Tệp "x.pdf" ` / `File "x.pdf" ` when the client named the file, for the messages only. */
function named(name: string | undefined, vi: boolean): string {
  return name ? `${vi ? "Tệp" : "File"} "${name}"` : vi ? "Tệp" : "The file";
}

export const FileTooLarge = defineError<[number, string?]>(
  "files.too_large",
  "too_large",
  (max, name) => ({
    vi: `${named(name, true)} vượt quá dung lượng cho phép (${size(max)}).`,
    en: `${named(name, false)} is larger than allowed (${size(max)}).`,
  }),
  (max, name) => ({ details: { maxBytes: max, ...(name ? { declaredName: name } : {}) } }),
);

export const FileTypeNotAllowed = defineError<[string, readonly string[], string?]>(
  "files.type_not_allowed",
  "unsupported",
  (type, _allowed, name) => ({
    vi: `${named(name, true)} có loại ${type}, không được chấp nhận.`,
    en: `${named(name, false)} is of type ${type}, which is not accepted.`,
  }),
  (type, allowed, name) => ({
    details: { contentType: type, allowed: [...allowed], ...(name ? { declaredName: name } : {}) },
  }),
);

export const FileNotFound = defineError<[string]>("files.not_found", "not_found", () => ({
  vi: "Không tìm thấy tệp.",
  en: "No such file.",
}));

export const EmptyFile = defineError("files.empty", "invalid", () => ({
  vi: "Tệp rỗng.",
  en: "The file is empty.",
}));
