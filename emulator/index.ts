export { type Fault, FaultPlan, parseFault, ROUTES, type Route } from './faults.ts';
export { formatTime, ProviderModel, SNAPSHOT_LIMIT } from './model.ts';
export {
  API_PREFIX,
  CREATE_MESSAGE,
  Emulator,
  type EmulatorOptions,
  type LoggedRequest,
  RESTORE_MESSAGE,
} from './server.ts';
