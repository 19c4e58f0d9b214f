import type { App } from "../../platform/http/types.ts";
import type { DirectoryService } from "../directory/index.ts";
import type { ExchangeService } from "./service.ts";

export function exchangeOfficePages(_deps: { exchange: ExchangeService; directory: DirectoryService; maxUploadBytes: number }) {
  return async (_app: App) => {};
}
