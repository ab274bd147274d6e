/**
 * The redactor, as capture imports it. Its engine is pure (no I/O) and lives in src/model/redact.ts,
 * below the store, so that the store's own writers can run the full pass on what they derive
 * (session.json, the index, merged segments) and take nothing but `Redacted` values.
 */
export * from '../model/redact.js';
