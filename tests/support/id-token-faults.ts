/**
 * The emulator's id_token faults (its `idToken` switch) and the code the harness must answer each with.
 * `nonce`: a fault of the nonce, which only the code exchange's id_token carries (a refresh's has none).
 */
export const ID_TOKEN_FAULTS = [
  { fault: 'forged-signature', code: 'ID_TOKEN_SIGNATURE_INVALID', nonce: false },
  { fault: 'unknown-kid', code: 'ID_TOKEN_KEY_UNKNOWN', nonce: false },
  { fault: 'wrong-nonce', code: 'ID_TOKEN_NONCE_MISMATCH', nonce: true },
  { fault: 'no-nonce', code: 'ID_TOKEN_NONCE_MISMATCH', nonce: true },
  { fault: 'wrong-audience', code: 'ID_TOKEN_AUDIENCE_MISMATCH', nonce: false },
  { fault: 'wrong-issuer', code: 'ID_TOKEN_ISSUER_MISMATCH', nonce: false },
  { fault: 'expired', code: 'ID_TOKEN_EXPIRED', nonce: false },
  { fault: 'wrong-at-hash', code: 'ID_TOKEN_AT_HASH_MISMATCH', nonce: false },
  { fault: 'wrong-subject', code: 'ID_TOKEN_SUBJECT_MISMATCH', nonce: false },
] as const
