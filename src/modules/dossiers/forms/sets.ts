// The one-stop form sets as versioned rules (ARCHITECTURE.md principle 4, DOMAIN.md §2–3): Circular
// 01/2018/TT-VPCP's six forms, and Circular 03/2025/TT-VPCP's seven from 15 September 2025. A dossier keeps the
// set in force when it was received (filed, when it never was); a register, the set in force over its period.
//
// Sources: DOMAIN.md §3 (corrected 4 December 2026) for the 2025 titles and contents. The official text of
// Circular 03/2025/TT-VPCP and its Phụ lục I was not available (no source searched for issue 14 holds it; the
// titles were found only in a secondary report), so no article or clause is cited here; the 2018 titles are those of Circular 01/2018/TT-VPCP's annex as
// provinces still print them (Mẫu 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả"; Mẫu 03 as Thanh Hóa's one-stop
// system prints it). Check both against the official annexes before relying on a title.

/** What a form is for, whatever its number in a set. */
export type FormKind = "receipt" | "supplement" | "refusal" | "apology" | "stop" | "control" | "register";

/** The circular a form set comes from. */
export type FormBasis = "01/2018/TT-VPCP" | "03/2025/TT-VPCP";

export interface FormEdition {
  basis: FormBasis;
  /** Mẫu số, two digits. */
  number: string;
  kind: FormKind;
  /** The form's title as the annex names it (sentence case; printed in capitals). */
  title: string;
}

export interface FormSet {
  basis: FormBasis;
  /** The first instant the set applies to (Vietnam's midnight); null for the first set kept here. */
  from: Date | null;
  forms: readonly FormEdition[];
}

/** Circular 03/2025/TT-VPCP applies from 15 September 2025 (DOMAIN.md §2), 00:00 in Vietnam. */
export const CIRCULAR_03_2025_FROM = new Date("2025-09-15T00:00:00+07:00");

const edition = (basis: FormBasis) => (number: string, kind: FormKind, title: string): FormEdition => ({ basis, number, kind, title });
const old = edition("01/2018/TT-VPCP");
const current = edition("03/2025/TT-VPCP");

/** Oldest first. */
export const FORM_SETS: readonly FormSet[] = [
  {
    basis: "01/2018/TT-VPCP",
    from: null,
    forms: [
      old("01", "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
      old("02", "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
      old("03", "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
      old("04", "apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
      old("05", "control", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
      old("06", "register", "Sổ theo dõi hồ sơ"),
    ],
  },
  {
    basis: "03/2025/TT-VPCP",
    from: CIRCULAR_03_2025_FROM,
    forms: [
      current("01", "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
      current("02", "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
      current("03", "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
      current("04", "apology", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
      current("05", "stop", "Thông báo dừng giải quyết hồ sơ"),
      current("06", "control", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
      current("07", "register", "Sổ theo dõi hồ sơ"),
    ],
  },
];

/** The form numbers any set has: what the route accepts before the dossier is read. */
export const FORM_NUMBERS = [...new Set(FORM_SETS.flatMap((s) => s.forms.map((f) => f.number)))].sort();

/** The set in force at `at`. */
export function formSetAt(at: Date): FormSet {
  return FORM_SETS.findLast((s) => s.from === null || s.from.getTime() <= at.getTime())!;
}

/** The edition of `kind` in `set` (every set has a receipt, a control sheet and a register; only 2025 has a stop notice). */
export function editionOf(set: FormSet, kind: FormKind): FormEdition | undefined {
  return set.forms.find((f) => f.kind === kind);
}

/** The dossier's dates that choose its set: received, else filed, else created (a draft has no forms). */
export interface DatedDossier {
  receivedAt: Date | string | null;
  submittedAt: Date | string | null;
  createdAt: Date | string;
}

/** The set a dossier keeps: the one in force when it was received, or filed if it never was. */
export function formSetOf(d: DatedDossier): FormSet {
  return formSetAt(new Date(d.receivedAt ?? d.submittedAt ?? d.createdAt));
}

/**
 * Whether a form applies to a dossier whose history holds `actions`: each form exists once the event it records
 * happened (the receipt after receipt, the supplement request after one was made, the refusal after a refusal at
 * the desk or after receipt, the apology after an apology, the stop notice after a stop); the control sheet and
 * the register line once it was received.
 */
export function applies(kind: FormKind, actions: ReadonlySet<string>): boolean {
  switch (kind) {
    case "receipt":
    case "control":
    case "register":
      return actions.has("receive");
    case "supplement":
      return actions.has("request_supplement");
    case "refusal":
      return actions.has("refuse_receipt") || actions.has("refuse");
    case "apology":
      return actions.has("apologize");
    case "stop":
      return actions.has("stop");
  }
}

/** The forms a dossier has now, in its set's order; `officer`: with the register line, which is the desk's. */
export function formsOffered(d: DatedDossier, actions: ReadonlySet<string>, opts: { officer: boolean }): FormEdition[] {
  return formSetOf(d).forms.filter((f) => applies(f.kind, actions) && (opts.officer || f.kind !== "register"));
}
