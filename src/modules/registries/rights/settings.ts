import type { RegistryRightsConfig } from "../../../platform/config/index.ts";

/** The settings' defaults (cfg), as `loadConfig` gives them when nothing is set (platform/config). */
export const DEFAULT_RIGHTS: RegistryRightsConfig = { officerPerMinute: 30, clientPerMinute: 120, anomalyDistinct: 20, requestHours: 72, breachNotifyHours: 72 };
