// semver.js - oracle for the "semver" scheme: npm's own `semver` package.
//
// Reads "A\tB" lines on stdin and prints, per line, semver.compare(A, B)
// (strict parsing: -1, 0 or 1) or E when either is not a valid version
// (compare() throws). Lines are split on "\n" only, so "\r", "\v" and
// other whitespace reach semver as data. Usage:
//   node semver.js NODE_MODULES_DIR < pairs > answers
'use strict'

const path = require('path')
const semver = require(path.join(process.argv[2], 'semver'))

const lines = require('fs').readFileSync(0, 'utf8').split('\n')
if (lines.length && lines[lines.length - 1] === '') {
  lines.pop()
}
const out = []
for (const line of lines) {
  const tab = line.indexOf('\t')
  const a = tab < 0 ? line : line.slice(0, tab)
  const b = tab < 0 ? '' : line.slice(tab + 1)
  let r
  try {
    r = String(semver.compare(a, b))
  } catch (e) {
    r = 'E'
  }
  out.push(r)
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '')
