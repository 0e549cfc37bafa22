// The committed test-only CA and server certificate (tls/README.md), for an HTTPS emulator on loopback.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = (name: string) => fileURLToPath(new URL(`./tls/${name}`, import.meta.url));

/** Paths of the PEM files: give `ca` to a child process as `NODE_EXTRA_CA_CERTS`. */
export const TEST_TLS_FILES = {
  ca: file('ca.pem'),
  cert: file('server.pem'),
  key: file('server-key.pem'),
} as const;

export interface TestTls {
  /** The CA certificate that signed `cert`: what a client must trust. */
  ca: string;
  /** The server certificate, for `api.vps.test`, `localhost` and `127.0.0.1`. */
  cert: string;
  key: string;
}

/** The PEM texts; `emulator.start({ tls: testTls() })` serves HTTPS with them. */
export function testTls(): TestTls {
  return {
    ca: readFileSync(TEST_TLS_FILES.ca, 'utf8'),
    cert: readFileSync(TEST_TLS_FILES.cert, 'utf8'),
    key: readFileSync(TEST_TLS_FILES.key, 'utf8'),
  };
}
