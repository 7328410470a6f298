#!/usr/bin/env node
// html_check.js - open an HTML report in headless Chromium and print, as one
// JSON document on stdout, what tests/e2e/report_html.sh asserts on:
//
//   console     every console message and log entry (level, text, url)
//   exceptions  uncaught exceptions (text)
//   requests    the URL of every network request the page made
//   page        the numbers the page shows (data-stat), its table rows, its
//               data block as the browser parses it, and what the page's
//               own controls do: a text filter, a kind filter, a sort
//
// usage: html_check.js CHROMIUM FILE.html [SCREENSHOT.png]
//
// It talks the DevTools protocol over --remote-debugging-pipe (NUL-framed
// JSON on file descriptors 3 and 4): no port, no WebSocket (Node 20 has no
// WebSocket client), nothing but node's built-ins. Host names resolve to
// nothing (--host-resolver-rules), so a request that slipped through could
// not leave the machine; it would still be listed. Exit 0 when the page was
// checked (the verdict is the caller's), 2 when Chromium could not be driven.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [chrome, file, shot] = process.argv.slice(2);
if (!chrome || !file) {
  process.stderr.write('usage: html_check.js CHROMIUM FILE.html [SCREENSHOT.png]\n');
  process.exit(2);
}
const url = 'file://' + path.resolve(file);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'html-check-'));
const child = spawn(chrome, [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe',
  '--host-resolver-rules=MAP * ~NOTFOUND', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
  '--user-data-dir=' + profile, '--window-size=1280,1400', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });

let stderr = '';
child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });

let exited = false;
child.on('exit', () => { exited = true; });

// Stops Chromium (the one this script started) and removes its profile.
async function finish(code, msg) {
  if (msg) process.stderr.write('html_check: ' + msg + '\n' + (code ? stderr.slice(-1500) : ''));
  for (let i = 0; i < 40 && !exited; i++) await new Promise((r) => setTimeout(r, 50));
  if (!exited) {
    try { child.kill('SIGKILL'); } catch (e) { /* already gone */ }
    for (let i = 0; i < 40 && !exited; i++) await new Promise((r) => setTimeout(r, 50));
  }
  try {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (e) {
    process.stderr.write('html_check: cannot remove ' + profile + ': ' + e.message + '\n');
  }
  process.exit(code);
}
const deadline = setTimeout(() => finish(2, 'timed out'), 45000);
child.on('error', (e) => finish(2, 'cannot run ' + chrome + ': ' + e.message));

// --- the protocol ---------------------------------------------------------
const toChrome = child.stdio[3];
const fromChrome = child.stdio[4];
const pending = new Map();
const waiters = [];
let nextId = 0;
let inbuf = Buffer.alloc(0);

const seen = { console: [], exceptions: [], requests: [] };

function onEvent(m) {
  const p = m.params || {};
  switch (m.method) {
    case 'Runtime.consoleAPICalled':
      seen.console.push({
        level: p.type,
        text: (p.args || []).map((a) => (a.value !== undefined ? String(a.value) : a.description || a.type)).join(' '),
        url: '',
      });
      break;
    case 'Runtime.exceptionThrown': {
      const d = p.exceptionDetails || {};
      seen.exceptions.push((d.exception && d.exception.description) || d.text || 'exception');
      break;
    }
    case 'Log.entryAdded':
      seen.console.push({ level: p.entry.level, text: p.entry.text, url: p.entry.url || '' });
      break;
    case 'Network.requestWillBeSent':
      seen.requests.push(p.request.url);
      break;
    default:
      break;
  }
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].method === m.method) {
      waiters[i].resolve(p);
      waiters.splice(i, 1);
    }
  }
}

fromChrome.on('data', (chunk) => {
  inbuf = Buffer.concat([inbuf, chunk]);
  let end;
  while ((end = inbuf.indexOf(0)) >= 0) {
    const m = JSON.parse(inbuf.subarray(0, end).toString('utf8'));
    inbuf = inbuf.subarray(end + 1);
    if (m.id !== undefined && pending.has(m.id)) {
      const { resolve, reject, method } = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) reject(new Error(method + ': ' + m.error.message));
      else resolve(m.result);
    } else if (m.method) {
      onEvent(m);
    }
  }
});

function send(method, params, sessionId) {
  const msg = { id: ++nextId, method, params: params || {} };
  if (sessionId) msg.sessionId = sessionId;
  toChrome.write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => pending.set(msg.id, { resolve, reject, method }));
}

function event(method) {
  return new Promise((resolve) => waiters.push({ method, resolve }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- what the page is asked, in the page -----------------------------------
// Runs in the page; returns plain data. Drives the page's own controls the
// way a person would (typing, unticking, clicking a header) and reads back
// which rows stay visible.
function probe() {
  const out = { stats: {}, rows: 0, visible: 0, controls: false, data: null, dataError: null };
  const visible = () => Array.from(document.querySelectorAll('#findings tbody tr')).filter((r) => !r.hidden);
  document.querySelectorAll('[data-stat]').forEach((e) => {
    out.stats[e.getAttribute('data-stat')] = e.textContent.trim();
  });
  out.statText = Array.from(document.querySelectorAll('.card')).map((c) => c.textContent.trim());
  try {
    out.data = JSON.parse(document.getElementById('customs-data').textContent);
  } catch (e) {
    out.dataError = String(e);
  }
  const table = document.getElementById('findings');
  const ctl = document.getElementById('controls');
  if (!table) return out;
  out.rows = table.tBodies[0].rows.length;
  out.visible = visible().length;
  out.controls = !!ctl && !ctl.hidden;
  out.shown = (document.getElementById('shown') || {}).textContent;
  out.ids = Array.from(table.tBodies[0].rows).map((r) => r.cells[1].querySelector('.id').textContent);
  if (!ctl) return out;
  const q = document.getElementById('q');
  const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));
  // a text filter on the first row's id: only rows holding that text stay
  const word = out.ids[0] || '';
  q.value = word;
  fire(q, 'input');
  out.textFilter = {
    word,
    visible: visible().length,
    allMatch: visible().every((r) => r.textContent.toLowerCase().includes(word.toLowerCase())),
    shown: document.getElementById('shown').textContent,
  };
  q.value = 'no-such-finding-anywhere-' + Date.now();
  fire(q, 'input');
  out.noMatch = { visible: visible().length, noneShown: !document.getElementById('none').hidden };
  q.value = '';
  fire(q, 'input');
  // the kind filter: without vulnerabilities only the secrets stay
  const vulnBox = ctl.querySelector('input[value="kind:vuln"]');
  vulnBox.click();
  out.withoutVulns = visible().length;
  vulnBox.click();
  out.afterReset = visible().length;
  // a sort on the ID column, then back
  const idButton = table.tHead.rows[0].cells[1].querySelector('button');
  idButton.click();
  out.sortedAsc = Array.from(table.tBodies[0].rows).map((r) => r.cells[1].querySelector('.id').textContent);
  out.sortState = table.tHead.rows[0].cells[1].getAttribute('aria-sort');
  idButton.click();
  out.sortedDesc = Array.from(table.tBodies[0].rows).map((r) => r.cells[1].querySelector('.id').textContent);
  return out;
}

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(domain + '.enable', {}, sessionId);
  const loaded = event('Page.loadEventFired');
  const nav = await send('Page.navigate', { url }, sessionId);
  if (nav.errorText) throw new Error('cannot open ' + url + ': ' + nav.errorText);
  await loaded;
  await sleep(300); // late console messages and requests
  let shotDone = false;
  if (shot) {
    const m = await send('Page.getLayoutMetrics', {}, sessionId);
    const size = m.cssContentSize || m.contentSize;
    const png = await send('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: size.width, height: Math.min(size.height, 6000), scale: 1 },
    }, sessionId);
    fs.writeFileSync(shot, Buffer.from(png.data, 'base64'));
    shotDone = true;
  }
  const r = await send('Runtime.evaluate', {
    expression: '(' + probe.toString() + ')()', returnByValue: true, awaitPromise: false,
  }, sessionId);
  if (r.exceptionDetails) seen.exceptions.push('probe: ' + (r.exceptionDetails.exception || {}).description);
  await sleep(200);
  process.stdout.write(JSON.stringify({
    url, console: seen.console, exceptions: seen.exceptions, requests: seen.requests,
    page: r.result ? r.result.value : null, screenshot: shotDone,
  }) + '\n');
  try { await Promise.race([send('Browser.close'), sleep(2000)]); } catch (e) { /* closing anyway */ }
  clearTimeout(deadline);
  await finish(0);
}

main().catch((e) => finish(2, e.message));
