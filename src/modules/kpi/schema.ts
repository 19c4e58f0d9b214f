import { Type } from "../../platform/typebox.ts";
import { Literals, Nullable } from "../../platform/http/schema.ts";
import { INPUTS } from "./formulas.ts";
import { BEHIND } from "./service.ts";

const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD (Asia/Ho_Chi_Minh)" });
const Agency = Type.String({ pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$", description: "QCVN 102 code: the agency's subtree" });
const Province = Type.String({ pattern: "^[0-9]{2}$", description: "province code: the whole province (its supervisors)" });
const Ratio = Nullable(Type.Number(), { description: "0–1, 4 decimals; null with nothing to divide by" });
const Text = Type.Object({ vi: Type.String(), en: Type.String() });

export const KpiQuery = Type.Object(
  {
    agency: Type.Optional(Agency),
    province: Type.Optional(Province),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    procedure: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "only this procedure's dossiers" })),
    channel: Type.Optional(Literals(["online", "counter", "post"] as const, "only the dossiers filed through this channel")),
  },
  { additionalProperties: false },
);

export const Index766Query = Type.Object(
  { agency: Type.Optional(Agency), province: Type.Optional(Province), period: Type.String({ pattern: "^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$", description: "2026-Q3, 2026-07 or 2026" }) },
  { additionalProperties: false },
);

export const BreakdownQuery = Type.Composite([KpiQuery, Type.Object({ by: Literals(["procedure", "agency", "competent", "channel"] as const) })], { additionalProperties: false });

export const BehindQuery = Type.Composite(
  [KpiQuery, Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) })],
  { additionalProperties: false },
);
export const BehindParams = Type.Object({ indicator: Literals(BEHIND) });

const n = Type.Integer();
export const CountsDto = Type.Object({
  filed: n,
  received: n,
  onlineReceived: n,
  refusedAtReceipt: n,
  finishedEarly: n,
  finishedOnTime: n,
  finishedLate: n,
  refused: n,
  stopped: n,
  withdrawn: n,
  endedOnTime: n,
  endedLate: n,
  inProgressOnTime: n,
  inProgressOverdue: n,
  supplements: n,
  paidOnline: n,
  feeBearing: n,
  electronicResults: n,
  digitised: n,
  reused: n,
  vneid: n,
  ratings: Type.Object({ verySatisfied: n, satisfied: n, unsatisfied: n }),
  processingSeconds: n,
});

const ScopeDto = Type.Object({ agency: Nullable(Type.String()), province: Nullable(Type.String()) });
const PeriodDto = Type.Object({ from: Day, to: Day });

export const SummaryDto = Type.Object({
  scope: ScopeDto,
  period: PeriodDto,
  counts: CountsDto,
  onTimeRatio: Ratio,
  onlineRatio: Ratio,
  paidOnlineRatio: Ratio,
  digitisedRatio: Ratio,
  electronicResultRatio: Ratio,
  satisfactionRatio: Ratio,
  averageProcessingHours: Nullable(Type.Number()),
  procedures: Type.Array(Type.Object({ procedureCode: Type.String(), finished: n, averageProcessingHours: Nullable(Type.Number()), onTimeRatio: Ratio })),
  targets: Type.Array(Type.Object({ indicator: Type.String(), actual: Ratio, target: Type.Number(), edition: Type.String(), source: Type.String() })),
});

const InputsDto = Type.Record(Type.String(), Type.Number(), { description: `the inputs used, by name: ${INPUTS.join(", ")}` });
const RuleDto = Type.Object({
  kind: Type.String(),
  atLeast: Type.Optional(Type.Number()),
  otherwise: Type.Optional(Type.Number()),
  target: Type.Optional(Type.Number()),
  reason: Type.Optional(Text),
});

export const Index766Dto = Type.Object({
  scope: ScopeDto,
  period: Type.Object({ from: Day, to: Day, name: Type.String() }),
  formula: Type.Object({ version: Type.String(), validFrom: Day, source: Type.Object({ legal: Type.String(), urls: Type.Array(Type.String()), notes: Type.Optional(Type.String()) }) }),
  inputs: InputsDto,
  groups: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Text,
      maxPoints: Type.Number(),
      points: Type.Number(),
      components: Type.Array(
        Type.Object({
          key: Type.String(),
          label: Text,
          indicator: Nullable(Type.String()),
          maxPoints: Type.Number(),
          points: Type.Number(),
          value: Ratio,
          inputs: InputsDto,
          rule: RuleDto,
          computed: Type.Boolean(),
        }),
      ),
    }),
  ),
  total: Type.Number(),
});

export const BreakdownDto = Type.Object({ items: Type.Array(Type.Object({ key: Type.String(), counts: CountsDto, onTimeRatio: Ratio })) });

export const BehindPage = Type.Object({
  items: Type.Array(
    Type.Object({
      dossierId: Type.String(),
      code: Nullable(Type.String()),
      procedureCode: Type.String(),
      agencyCode: Type.String(),
      competentAgencyCode: Type.String(),
      channel: Type.String(),
      receivedAt: Nullable(Type.String({ format: "date-time" })),
      dueAt: Nullable(Type.String({ format: "date-time" })),
      endedAt: Nullable(Type.String({ format: "date-time" })),
      timeliness: Nullable(Type.String()),
    }),
  ),
  page: n,
  pageSize: n,
  hasMore: Type.Boolean(),
  total: n,
});
