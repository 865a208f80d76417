/** SF_PASSKEY_FILE is read as untrusted input: the user's own, 0600, no link, a P-256 PKCS#8 key. */
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { readPasskeyFile, writePasskeyFile } from '../../src/store/passkey-file.js'
import { newPasskey } from '../support/passkey.js'
import { test } from '../support/scrub.js'
import { codeOf } from '../support/test.js'

function dir(): string {
  const d = test.info().outputPath()
  mkdirSync(d, { recursive: true })
  return d
}

test('written 0600 and read back as the same credential', async () => {
  const file = join(dir(), 'passkey.json')
  const { credential } = newPasskey()
  await writePasskeyFile(file, credential)
  expect(statSync(file).mode & 0o777).toBe(0o600)
  expect(await readPasskeyFile(file)).toEqual(credential)
})

test('readable by others: PASSKEY_FILE_PERMISSIONS', async () => {
  const file = join(dir(), 'passkey.json')
  await writePasskeyFile(file, newPasskey().credential)
  chmodSync(file, 0o644)
  expect(await codeOf(readPasskeyFile(file))).toBe('PASSKEY_FILE_PERMISSIONS')
})

test('a symbolic link, not JSON, a key of another curve, a missing field: PASSKEY_FILE_INVALID', async () => {
  const d = dir()
  const real = join(d, 'real.json')
  await writePasskeyFile(real, newPasskey().credential)
  const link = join(d, 'link.json')
  symlinkSync(real, link)
  expect(await codeOf(readPasskeyFile(link))).toBe('PASSKEY_FILE_INVALID')
  const bad = (name: string, text: string) => {
    const f = join(d, name)
    writeFileSync(f, text, { mode: 0o600 })
    return readPasskeyFile(f)
  }
  expect(await codeOf(bad('text.json', 'not json'))).toBe('PASSKEY_FILE_INVALID')
  const { credential } = newPasskey()
  const { generateKeyPairSync } = await import('node:crypto')
  const rsa = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')
  expect(await codeOf(bad('p384.json', JSON.stringify({ ...credential, privateKey: rsa })))).toBe('PASSKEY_FILE_INVALID')
  expect(await codeOf(bad('nocount.json', JSON.stringify({ ...credential, signCount: undefined })))).toBe('PASSKEY_FILE_INVALID')
})
