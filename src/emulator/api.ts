/**
 * The REST API versions the emulator answers for, oldest first (GET /services/data lists them;
 * `version=latest` on the identity URL fills in the last). Salesforce's list starts at 20.0 (Winter '11);
 * 64.0 is Summer '25 (REST API Developer Guide, "Versions").
 */
export const API_VERSIONS: readonly string[] = Array.from({ length: 64 - 20 + 1 }, (_, i) => `${20 + i}.0`)
export const LATEST_API_VERSION = API_VERSIONS[API_VERSIONS.length - 1] ?? '64.0'

/** The release name of a version, as /services/data answers it (three releases a year since 20.0 = Winter '11). */
export function releaseLabel(version: string): string {
  const n = Number.parseInt(version, 10) - 20
  const season = ['Winter', 'Spring', 'Summer'][n % 3] ?? 'Winter'
  const year = 11 + Math.floor(n / 3)
  return `${season} '${String(year).padStart(2, '0')}`
}
