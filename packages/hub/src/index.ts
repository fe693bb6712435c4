export { startHub } from './hub.js';
export {
  HUB_PROFILES,
  HUB_PROFILE_NAMES,
  mergeKnobs,
  parseKnobAssignments,
  resolveHubProfile,
} from './profiles.js';
export { checkDfsps } from './topology.js';
export { FSPIOP_ERRORS } from './fspiop/errors.js';
export { HUB_SERVICES, HUB_STAGES } from './types.js';
export type {
  CallbackKnobs,
  DbPoolKnobs,
  FaultKnobs,
  HubHandle,
  HubKnobs,
  HubKnobsPatch,
  HubOptions,
  HubProfile,
  HubProfileName,
  HubService,
  HubStage,
  LedgerSnapshot,
  OutageKnobs,
  ParticipantSnapshot,
  StageKnobs,
} from './types.js';
