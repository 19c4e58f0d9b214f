import type { RegistryRightsConfig } from "../../../platform/config/index.ts";

/** The settings' defaults (cfg), as `loadConfig` gives them when nothing is set (platform/config). */
export const DEFAULT_RIGHTS: RegistryRightsConfig = { officerPerMinute: 30, clientPerMinute: 120, anomalyDistinct: 20, requestReplyWorkingDays: 2, requestDays: { see: 10, correct: 10, delete: 20 }, breachNotifyHours: 72 };
