/** The strict readers of Salesforce's xml and urlencoded token answers (src/oauth/token-formats.ts). */
import { formatOfContentType, parseFlatXml, parseForm } from '../../src/oauth/token-formats.js'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

test('the flat <OAuth> element is read, entities decoded; any other shape is refused', () => {
  expect(parseFlatXml('<?xml version="1.0" encoding="UTF-8"?><OAuth><a>x&amp;y</a><b/></OAuth>')).toEqual({ a: 'x&y', b: '' })
  for (const bad of ['<OAuth><a><b>1</b></a></OAuth>', '<OAuth><a>1</a><a>2</a></OAuth>', '<OAuth><a>&bogus;</a></OAuth>', '<OAuth><a>1</a></OAuth><x/>', '<Other><a>1</a></Other>', '<OAuth><a>1</b></OAuth>', '<OAuth><a>x & y</a></OAuth>', '{"a":"1"}']) {
    expect(parseFlatXml(bad), bad).toBeUndefined()
  }
})

test('a form answer is read once per key; a repeated key is refused', () => {
  expect(parseForm('a=1&b=x%20y')).toEqual({ a: '1', b: 'x y' })
  expect(parseForm('a=1&a=2')).toBeUndefined()
})

test('content types name their format', () => {
  expect(['application/json;charset=UTF-8', 'application/xml;charset=UTF-8', 'text/xml', 'application/x-www-form-urlencoded', 'text/html'].map(formatOfContentType)).toEqual(['json', 'xml', 'xml', 'urlencoded', undefined])
})
