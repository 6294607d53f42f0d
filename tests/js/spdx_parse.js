// Parses every line of a corpus file with spdx-expression-parse and prints one JSON result per
// line: {"ok": tree} or {"error": message}. Used by tests/policy/spdx_npm_test.cc.
'use strict'
const fs = require('fs')
const parse = require('spdx-expression-parse')

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n')
for (const line of lines) {
  if (line === '' || line.startsWith('#')) continue
  const expr = line.startsWith('!') ? line.slice(1) : line
  try {
    console.log(JSON.stringify({ ok: parse(expr) }))
  } catch (e) {
    console.log(JSON.stringify({ error: String(e.message) }))
  }
}
