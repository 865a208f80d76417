/** The one login-URL validator (SF_LOGIN_URL, targets' loginUrl, token files' loginUrl and instanceUrl, instance_url). */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { checkLoginUrl, instanceUrlWarning, isLoopbackHost, isSalesforceHost, normaliseLoginUrl, sameLoginUrl, type GoodUrl } from '../../src/oauth/hosts.js'

const bad = (raw: string) => {
  const r = checkLoginUrl(raw)
  expect(r.ok, raw).toBe(false)
  return r as { problem: string; fix: string }
}

test('https hosts and loopback http pass, normalised to origin + path', () => {
  expect(checkLoginUrl('https://acme.my.salesforce.com/')).toEqual({ ok: true, url: 'https://acme.my.salesforce.com', hostname: 'acme.my.salesforce.com' })
  expect(checkLoginUrl(' https://site.example.test/community// ')).toMatchObject({ ok: true, url: 'https://site.example.test/community' })
  for (const u of ['http://127.0.0.1:4567', 'http://localhost:1717', 'http://[::1]:9']) expect(checkLoginUrl(u).ok, u).toBe(true)
})

test('one loopback rule for URL hosts and bare addresses (SF_LOGIN_URL, the callback server, emulator --host)', () => {
  // As the URL parser gives hostnames, and as a user types --host.
  for (const h of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1', '::ffff:127.0.0.1', '[::ffff:7f00:1]', new URL('http://[::ffff:127.0.0.1]/').hostname]) expect(isLoopbackHost(h), h).toBe(true)
  for (const h of ['0.0.0.0', '10.0.0.1', '::', '[::2]', '127.0.0.1.example.com', 'localhost.example.com', '128.0.0.1', '::ffff:10.0.0.1', '[::ffff:a00:1]', 'evil-localhost']) expect(isLoopbackHost(h), h).toBe(false)
  expect(checkLoginUrl('http://[::ffff:127.0.0.1]:9').ok).toBe(true)
})

test('http to a non-loopback host is refused, naming the https form', () => {
  const r = bad('http://evil.example')
  expect(r.problem).toBe('uses http://')
  expect(r.fix).toContain('https://evil.example')
})

test('not a URL and other schemes are refused, each with its own problem', () => {
  expect(bad('not a url').problem).toBe('is not a URL')
  expect(bad('login.salesforce.com').problem).toBe('is not a URL')
  for (const [u, scheme] of [['ftp://login.salesforce.com', 'ftp:'], ['file:///etc/passwd', 'file:'], ['data:text/plain,hello', 'data:'], ['javascript:alert(1)', 'javascript:']]) {
    expect(bad(u as string).problem).toBe(`has scheme ${scheme}`)
  }
  expect(bad('https://login.salesforce.com/?x=1').problem).toContain('query')
  expect(bad('https://login.salesforce.com/#x').problem).toContain('fragment')
})

test('credentials are refused and never echoed', () => {
  for (const raw of ['https://user:hunter2-pass@login.salesforce.com', 'https://user:hunter2-pass@', 'ht tp://user:hunter2-pass@x']) {
    const r = bad(raw)
    expect(`${r.problem} ${r.fix}`).not.toContain('hunter2-pass')
  }
})

test('look-alike hosts are refused, naming the punycode form: a Cyrillic "о", or an xn-- label', () => {
  const cyrillic = bad('https://l\u043egin.salesforce.com')
  expect(cyrillic.problem).toMatch(/^has the internationalised host xn--lgin-[a-z0-9]+\.salesforce\.com$/)
  expect(bad('https://xn--lgin-73d.salesforce.com').problem).toContain('xn--lgin-73d.salesforce.com')
  expect(bad('https://acme.xn--e1afmkfd.example').problem).toContain('internationalised')
})

test('Salesforce domains, sandboxes and sites; anything else gets a warning, loopback does not', () => {
  for (const h of ['login.salesforce.com', 'acme.my.salesforce.com', 'acme--uat.sandbox.my.salesforce.com', 'na1.salesforce.com', 'acme.lightning.force.com', 'acme.my.salesforce.mil', 'x.cloudforce.com', 'x.database.com', 'acme.my.site.com', 'LOGIN.SALESFORCE.COM.']) expect(isSalesforceHost(h), h).toBe(true)
  for (const h of ['evil.example', 'salesforce.com.evil.example', 'evilsalesforce.com', 'force.co']) expect(isSalesforceHost(h), h).toBe(false)
  const good = (u: string) => checkLoginUrl(u) as GoodUrl
  expect(instanceUrlWarning(good('https://acme.my.salesforce.com'))).toBeUndefined()
  expect(instanceUrlWarning(good('http://127.0.0.1:3000'))).toBeUndefined()
  expect(instanceUrlWarning(good('https://evil.example'))).toMatch(/^instance_url https:\/\/evil\.example is outside Salesforce's domains \(\*\.salesforce\.com, \*\.force\.com/)
})

test('sameLoginUrl compares normalised URLs: host case and trailing slash do not matter, host, port and path do', () => {
  expect(sameLoginUrl('https://Login.Salesforce.com/', 'https://login.salesforce.com')).toBe(true)
  expect(sameLoginUrl('http://127.0.0.1:1000', 'http://127.0.0.1:1001')).toBe(false)
  expect(sameLoginUrl('https://site.example/a', 'https://site.example/b')).toBe(false)
  expect(sameLoginUrl('not a url', 'not a url')).toBe(false)
})

test('normaliseLoginUrl is the one normaliser: what checkLoginUrl keeps, or LOGIN_URL_INVALID (endpoint URLs are built on it)', () => {
  expect(normaliseLoginUrl('https://Acme.My.Salesforce.com//')).toBe('https://acme.my.salesforce.com')
  expect(normaliseLoginUrl('https://site.example.test/community/')).toBe('https://site.example.test/community')
  expect(endpointsFor('https://site.example.test/community//').token).toBe('https://site.example.test/community/services/oauth2/token')
  for (const bad of ['http://login.salesforce.com', 'https://u:p@login.salesforce.com', 'not a url']) {
    expect(() => normaliseLoginUrl(bad), bad).toThrow(expect.objectContaining({ code: 'LOGIN_URL_INVALID', exitCode: 2 }))
    expect(() => endpointsFor(bad), bad).toThrow(expect.objectContaining({ code: 'LOGIN_URL_INVALID' }))
  }
})
