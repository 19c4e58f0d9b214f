// The process engine: how a procedure version's steps become a dossier's plan, each step's share of the
// time, and which moves a step allows. Pure rules, no tables or routes yet; the dossiers apply them.
import { defineModule } from "../../platform/module.ts";

export const workflowModule = defineModule({
  name: "workflow",
  needs: [],
  provides: [],
  build: () => ({}),
});

export {
  type Desks,
  firstProcessingStep,
  implementingAgency,
  nextStep,
  planSteps,
  previousStep,
  processingTimeFor,
  receivingAgencies,
  returnDesk,
  signed,
  type StepPlan,
  TRANSFER_STEP,
} from "./engine.ts";
