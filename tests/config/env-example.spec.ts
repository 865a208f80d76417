import { readFileSync } from 'node:fs'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { VARIABLES } from '../../src/config.js'

test('.env.example documents every variable the config reads, and sets none', () => {
  const text = readFileSync('.env.example', 'utf8')
  for (const key of Object.keys(VARIABLES)) expect(text, key).toMatch(new RegExp(`^# ${key}=`, 'm'))
  // Nothing is active by default: a copied .env must still mean "the embedded emulator".
  expect(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l))).toEqual([])
})
