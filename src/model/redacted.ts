/**
 * The redaction boundary as a type: the store's write functions accept only `Redacted` values, and
 * only the redactor (src/capture/redact.ts) produces them, so no path can write raw data by mistake.
 */
declare const redactedBrand: unique symbol;
export type Redacted<T> = T & { readonly [redactedBrand]: true };
