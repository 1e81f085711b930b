import type { CeremonyReporter } from './passkeys.js';

/** What the SDK reports when navigator.credentials throws (docs/analytics.md, "Client events"); null: not reported. */
export type ClientOutcome = 'cancelled' | 'timed-out' | 'not-allowed' | 'invalid-state' | 'security' | 'not-supported' | 'unknown';

/** The client outcome of the PasskeyError a ceremony threw, or null for the page's own abort. */
export declare function clientOutcomeOf(failure: unknown, context?: { hasFocus?: boolean }): ClientOutcome | null;

/** A fire-and-forget reporter for one ceremony's …/ceremonies/{ceremonyId}/client-events address. */
export declare function ceremonyReporter(url: string, doFetch?: typeof fetch): CeremonyReporter;
