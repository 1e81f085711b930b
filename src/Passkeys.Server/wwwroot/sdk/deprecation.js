// deprecation.js — warns once per page when an old name of the SDK is used.

const warnedDeprecations = new Set();

// Old names keep working for one release (docs/sdk.md, "Deprecations"); each warns once per page.
export function deprecated(oldName, replacement) {
  if (warnedDeprecations.has(oldName)) return;
  warnedDeprecations.add(oldName);
  globalThis.console?.warn?.(`passkeys.js: ${oldName} is deprecated and will be removed in the next release; use ${replacement} instead (docs/sdk.md, "Deprecations").`);
}
