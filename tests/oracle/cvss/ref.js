// ref.js - the reference CVSS base scores: {metaeffekt}'s ae-cvss-calculator
// (npm, Apache-2.0), an implementation of CVSS 2.0, 3.0, 3.1 and 4.0
// independent of ours.
//
// Reads one vector a line on stdin and prints, per line, its base score
// with one decimal, or E when the library refuses the vector. Usage:
//   node ref.js NODE_MODULES_DIR < vectors > scores
//
// Which of the library's scores is the base score:
//   v2.0, v3.x  scores.base (temporal and environmental are separate);
//   v4.0        scores.baseMetricsOnly: its scores.base applies the threat
//               and environmental metrics present in the vector (CVSS-BTE),
//               while customs computes CVSS-B.
'use strict'

const path = require('path')
const ae = require(path.join(process.argv[2], 'ae-cvss-calculator'))

const lines = require('fs').readFileSync(0, 'utf8').split('\n')
if (lines.length && lines[lines.length - 1] === '') {
  lines.pop()
}
const out = []
for (const line of lines) {
  let r = 'E'
  try {
    const v = ae.fromVector(line)
    if (v) {
      const s = v.calculateScores()
      const score = line.startsWith('CVSS:4.0/') ? s.baseMetricsOnly : s.base
      if (typeof score === 'number' && !isNaN(score)) {
        r = score.toFixed(1)
      }
    }
  } catch (e) {
    r = 'E'
  }
  out.push(r)
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '')
