// The Decision 766/QĐ-TTg index as data: a version is its groups, each group its components, each component a
// value read from named inputs (a ratio of sums, or one less a sum of ratios) and a rule that turns the value into
// points. The evaluator below interprets it; nothing is evaluated as code. Versions are rows of
// `kpi_formula_versions` (the default is data/kpi/index766-formulas.json, loaded by a seed); docs/kpi.md lists the
// sources.
import type { Static } from "@sinclair/typebox";
import { Type, Value } from "../../platform/typebox.ts";

/** The inputs a formula may name: what the rollups and the catalogue give for a scope and a period (docs/kpi.md). */
export const INPUTS = [
  "received",
  "online_received",
  "processed",
  "ended_on_time",
  "ended_late",
  "open_on_time",
  "open_overdue",
  "finished",
  "electronic_result",
  "digitised",
  "reused",
  "vneid",
  "fee_bearing",
  "paid_online",
  "ratings",
  "rating_unsatisfied",
  "procedures",
  "online_procedures",
  "online_procedures_with_dossiers",
  "fee_procedures",
  "fee_procedures_paid_online",
] as const;
export type InputName = (typeof INPUTS)[number];
export type Inputs = Record<InputName, number>;

const Name = Type.Union(INPUTS.map((n) => Type.Literal(n)));
const Ratio = Type.Object({ num: Type.Array(Name, { minItems: 1 }), den: Type.Array(Name, { minItems: 1 }) }, { additionalProperties: false });
type Ratio = Static<typeof Ratio>;
const Text = Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });

const ValueExpr = Type.Union([
  Type.Object({ ratio: Ratio }, { additionalProperties: false }),
  /** 1 − Σ ratios (Decision 766's satisfaction: 100% − late ratio − complaint ratio). */
  Type.Object({ oneMinus: Type.Array(Ratio, { minItems: 1 }) }, { additionalProperties: false }),
]);
type ValueExpr = Static<typeof ValueExpr>;

const Rule = Type.Union([
  /** points × value. */
  Type.Object({ kind: Type.Literal("linear") }, { additionalProperties: false }),
  /** points when value ≥ atLeast, else `otherwise`. */
  Type.Object({ kind: Type.Literal("threshold"), atLeast: Type.Number({ minimum: 0, maximum: 1 }), otherwise: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  /** points × min(1, value / target): the full points from the target up. */
  Type.Object({ kind: Type.Literal("scaled"), target: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }, { additionalProperties: false }),
  /** points whatever the value. */
  Type.Object({ kind: Type.Literal("constant") }, { additionalProperties: false }),
  /** Not computed here (no data): 0 points, said so in the answer. */
  Type.Object({ kind: Type.Literal("unavailable"), reason: Text }, { additionalProperties: false }),
]);
type Rule = Static<typeof Rule>;

const Component = Type.Object(
  {
    key: Type.String({ pattern: "^[a-z0-9_.-]{1,40}$" }),
    label: Text,
    /** The national portal's indicator ("Mô tả công thức tính chỉ số 766"), e.g. "2.1". */
    indicator: Type.Optional(Type.String({ maxLength: 10 })),
    points: Type.Number({ minimum: 0, maximum: 100 }),
    value: Type.Optional(ValueExpr),
    rule: Rule,
  },
  { additionalProperties: false },
);
export type Component = Static<typeof Component>;

const Group = Type.Object(
  {
    key: Type.Union(["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"].map((k) => Type.Literal(k))),
    label: Text,
    maxPoints: Type.Number({ minimum: 0, maximum: 100 }),
    components: Type.Array(Component, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

export const FormulaVersionBody = Type.Object(
  {
    /** Where the formulas come from: the legal text and the national portal's description. */
    source: Type.Object(
      { legal: Type.String({ minLength: 1 }), urls: Type.Array(Type.String({ minLength: 1 })), notes: Type.Optional(Type.String()) },
      { additionalProperties: false },
    ),
    groups: Type.Array(Group, { minItems: 1, maxItems: 6 }),
  },
  { additionalProperties: false },
);
export type FormulaVersionBody = Static<typeof FormulaVersionBody>;

export const FormulaVersion = Type.Object(
  {
    version: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,60}$" }),
    validFrom: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
    ...FormulaVersionBody.properties,
  },
  { additionalProperties: false },
);
export type FormulaVersion = Static<typeof FormulaVersion>;

/** The problems of a candidate version (empty when valid): the schema's, then the components' own. */
export function formulaProblems(candidate: unknown): Array<{ path: string; message: string }> {
  const errors = [...Value.Errors(FormulaVersion, candidate)].map((e) => ({ path: e.path, message: e.message }));
  if (errors.length) return errors;
  const v = candidate as FormulaVersion;
  const problems: Array<{ path: string; message: string }> = [];
  v.groups.forEach((g, i) =>
    g.components.forEach((c, j) => {
      const needsValue = c.rule.kind === "linear" || c.rule.kind === "threshold" || c.rule.kind === "scaled";
      if (needsValue && !c.value) problems.push({ path: `/groups/${i}/components/${j}/value`, message: "this rule needs a value" });
      if (c.rule.kind === "threshold" && c.rule.otherwise > c.points) problems.push({ path: `/groups/${i}/components/${j}/rule/otherwise`, message: "more than the points" });
    }),
  );
  v.groups.forEach((g, i) => {
    const sum = g.components.reduce((s, c) => s + c.points, 0);
    if (Math.abs(sum - g.maxPoints) > 1e-9) problems.push({ path: `/groups/${i}/maxPoints`, message: `the components' points add up to ${sum}` });
  });
  return problems;
}

/** Two decimals, as the national portal shows points ("làm tròn 2 chữ số thập phân"). */
export const round2 = (x: number): number => Math.round(x * 100 + Number.EPSILON * 100) / 100;

const sum = (inputs: Inputs, names: readonly InputName[]) => names.reduce((s, n) => s + inputs[n], 0);
const ratioOf = (inputs: Inputs, r: Ratio): number | null => {
  const den = sum(inputs, r.den);
  return den === 0 ? null : sum(inputs, r.num) / den;
};

/** The value of an expression: a ratio in [0, 1] (clamped), or null when a denominator is zero. */
export function valueOf(expr: ValueExpr, inputs: Inputs): number | null {
  if ("ratio" in expr) return ratioOf(inputs, expr.ratio);
  let total = 0;
  for (const r of expr.oneMinus) {
    const v = ratioOf(inputs, r);
    if (v === null) return null;
    total += v;
  }
  return Math.max(0, 1 - total);
}

/** The inputs an expression reads, with their values (the answer shows what each score was computed from). */
function inputsOf(expr: ValueExpr | undefined, inputs: Inputs): Partial<Inputs> {
  if (!expr) return {};
  const ratios = "ratio" in expr ? [expr.ratio] : expr.oneMinus;
  const out: Partial<Inputs> = {};
  for (const r of ratios) for (const n of [...r.num, ...r.den]) out[n] = inputs[n];
  return out;
}

export interface ComponentScore {
  key: string;
  label: { vi: string; en: string };
  indicator: string | null;
  maxPoints: number;
  points: number;
  /** The ratio the rule read, rounded to 4 decimals; null when nothing to divide by, or not computed. */
  value: number | null;
  inputs: Partial<Inputs>;
  rule: Rule;
  computed: boolean;
}

export interface GroupScore {
  key: string;
  label: { vi: string; en: string };
  maxPoints: number;
  points: number;
  components: ComponentScore[];
}

function pointsOf(c: Component, value: number | null): number {
  switch (c.rule.kind) {
    case "linear":
      return value === null ? 0 : c.points * value;
    case "threshold":
      return value === null ? 0 : value >= c.rule.atLeast ? c.points : c.rule.otherwise;
    case "scaled":
      return value === null ? 0 : c.points * Math.min(1, value / c.rule.target);
    case "constant":
      return c.points;
    case "unavailable":
      return 0;
  }
}

/** Scores every group of a version from the inputs. A value with nothing to divide by gives 0 points. */
export function evaluate(body: FormulaVersionBody, inputs: Inputs): { groups: GroupScore[]; total: number } {
  const groups = body.groups.map((g): GroupScore => {
    const components = g.components.map((c): ComponentScore => {
      const value = c.value ? valueOf(c.value, inputs) : null;
      return {
        key: c.key,
        label: c.label,
        indicator: c.indicator ?? null,
        maxPoints: c.points,
        points: round2(pointsOf(c, value)),
        value: value === null ? null : Math.round(value * 10000) / 10000,
        inputs: inputsOf(c.value, inputs),
        rule: c.rule,
        computed: c.rule.kind !== "unavailable",
      };
    });
    return { key: g.key, label: g.label, maxPoints: g.maxPoints, points: round2(components.reduce((s, c) => s + c.points, 0)), components };
  });
  return { groups, total: round2(groups.reduce((s, g) => s + g.points, 0)) };
}
