export { GARBAGE_PAGE, proxyPage } from './apply-faults.ts';
export {
  type Fault,
  type FaultKind,
  FaultPlan,
  faultLabel,
  parseFault,
  ROUTES,
  type Route,
} from './faults.ts';
export { addForeignSnapshots, FOREIGN_SERVER_IDS, FOREIGN_SNAPSHOT_IDS } from './hostile.ts';
export {
  HOSTILE_KINDS,
  HOSTILE_TEXTS,
  type HostileField,
  type HostileKind,
  hostileFor,
  hostileKindFor,
  hostileText,
  SERVER_ID_PLACEHOLDER,
} from './hostile-texts.ts';
export { createdAtOf, formatTime, ProviderModel, SNAPSHOT_LIMIT } from './model.ts';
export { LoopbackProxy, type ProxyLogEntry, type ProxyOptions } from './proxy.ts';
export type { LoggedRequest } from './respond.ts';
export { API_PREFIX, CREATE_MESSAGE, RESTORE_MESSAGE } from './routes.ts';
export { Emulator, type EmulatorOptions, type StartOptions } from './server.ts';
export { type LocalTimestamps, localStamp, parseShift } from './timestamps.ts';
export { TEST_TLS_FILES, type TestTls, testTls } from './tls.ts';
export { VirtualClock } from './virtual-clock.ts';
