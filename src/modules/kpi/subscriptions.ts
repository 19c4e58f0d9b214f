// The leaders' subscriptions to the monthly report (placeholder until the report lands).
import type { App } from "../../platform/http/types.ts";
import type { Access } from "../../platform/http/access.ts";

export interface Subscriptions {
  has(userId: string, agency: string): Promise<boolean>;
  routes(app: App, opts: { kpi: unknown; directory: unknown; clock: unknown; access: Access; back: string }): void;
}
